/**
 * Admin changes to the business calendar: an admin marks a day off or a working day that the per-year
 * data does not know (an unexpected decree, a regional day off), or clears such an override. Each change
 * is an event in an append-only log; the overrides in force are the log's fold (per date, the latest event
 * wins; 'clear' removes the override), and every node rebuilds its calendar from them.
 *
 * A change applies to computations made after it: deadlines already computed are not recomputed.
 *
 * Pure rules (validation, the fold, the explanation of a day) plus the commands that use them through
 * the CalendarEventLog port.
 */
import { DomainError } from '../errors.ts';
import { canManageCalendar } from '../policy.ts';
import type { Clock } from '../ports.ts';
import { actorOf, type Principal } from '../principal.ts';
import { calendarDataSchema, fromDayNumber, isIsoDate, ruleYear, toDayNumber, type CalendarDataInput, type CalendarOverride, type Coverage, type IsoDate } from './calendar.ts';

export const OVERRIDE_REASON_MAX = 500;
/** Overrides and listed days stay within these dates (inclusive). */
export const CALENDAR_DATE_MIN: IsoDate = '2000-01-01';
export const CALENDAR_DATE_MAX: IsoDate = '2100-12-31';
/** The most days one listing returns. */
export const CALENDAR_DAYS_MAX = 366;

export const overrideTypes = ['day_off', 'working_day'] as const;
export type OverrideType = (typeof overrideTypes)[number];

/** Who recorded a change: a staff member, or the operator at the command line. */
export interface CalendarActor {
  actorId: string | null;
  actorRole: string;
}

export interface NewCalendarEvent extends CalendarActor {
  date: IsoDate;
  action: 'set' | 'clear';
  /** What the day becomes; null for 'clear'. */
  type: OverrideType | null;
  reason: string;
  occurredAt: Date;
}

export interface CalendarEvent extends NewCalendarEvent {
  /** Increasing in the order the events were recorded: the fold follows it. */
  id: number;
}

/** An override in force: the latest 'set' of its date, not cleared since. */
export interface CurrentOverride extends CalendarActor {
  date: IsoDate;
  type: OverrideType;
  reason: string;
  eventId: number;
  setAt: Date;
}

// ---------------------------------------------------------------------------------------------
// The fold

/** Applies events (in id order) to a map of overrides; returns the same map. */
export function applyCalendarEvents(overrides: Map<IsoDate, CurrentOverride>, events: readonly CalendarEvent[]): Map<IsoDate, CurrentOverride> {
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    if (e.action === 'clear' || e.type === null) overrides.delete(e.date);
    else overrides.set(e.date, { date: e.date, type: e.type, reason: e.reason, eventId: e.id, setAt: e.occurredAt, actorId: e.actorId, actorRole: e.actorRole });
  }
  return overrides;
}

export const foldCalendarEvents = (events: readonly CalendarEvent[]): Map<IsoDate, CurrentOverride> => applyCalendarEvents(new Map(), events);

/** The overrides as the pure calendar takes them. */
export const calendarOverrides = (overrides: ReadonlyMap<IsoDate, CurrentOverride>): CalendarOverride[] =>
  [...overrides.values()].map(({ date, type, reason }) => ({ date, type, reason }));

// ---------------------------------------------------------------------------------------------
// Why a day is (not) a working day

export type DayReason =
  | 'weekday'
  | 'weekend'
  | 'holiday'
  /** A holiday on a weekend moved its day off here (law). */
  | 'carry_over'
  /** A day off moved here by a government decree. */
  | 'decree'
  /** A day off in the data without a stated kind. */
  | 'day_off'
  /** A Saturday or Sunday worked by decree (for a day off moved elsewhere). */
  | 'moved_working_day'
  /** An admin override (see `override`). */
  | 'override';

export interface LocalizedName {
  en: string;
  ru: string;
  kk: string;
}

export interface CalendarDay {
  date: IsoDate;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  working: boolean;
  why: DayReason;
  /** The holiday's English name, the decree's reason or the admin's reason; null for plain days. */
  note: string | null;
  /** The public holiday on this date, also when an override changed the day. */
  holiday: LocalizedName | null;
  /** 'data' when the year's days off come from the per-year data, 'rule' when only from the weekend rule. */
  coverage: Coverage;
  /** The admin override in force, with what the data alone says about the day. */
  override: (CurrentOverride & { dataWorking: boolean; dataWhy: Exclude<DayReason, 'override'> }) | null;
}

interface BaseDay {
  working: boolean;
  why: Exclude<DayReason, 'override'>;
  note: string | null;
  holiday: LocalizedName | null;
}

export interface CalendarExplainer {
  /** What the data (or the weekend rule) alone says about a date. */
  base(date: IsoDate): BaseDay;
  /** The day as the calendar with these overrides sees it. */
  day(date: IsoDate, overrides: ReadonlyMap<IsoDate, CurrentOverride>): CalendarDay;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
const weekdayOf = (n: number): number => (((n + 4) % 7) + 7) % 7;

/**
 * Explains days with the same rules as createBusinessCalendar (a test keeps the two in agreement):
 * an override wins; then a worked weekend; then holidays and days off; then Saturday and Sunday.
 */
export function createCalendarExplainer(input: CalendarDataInput): CalendarExplainer {
  const data = calendarDataSchema.parse(input);
  const cache = new Map<number, Map<IsoDate, BaseDay>>();

  const specialDays = (year: number): Map<IsoDate, BaseDay> => {
    let days = cache.get(year);
    if (days) return days;
    days = new Map();
    const y = data.years[String(year)];
    if (y) {
      for (const h of y.holidays) days.set(h.date, { working: false, why: 'holiday', note: h.name.en, holiday: h.name });
      for (const d of y.daysOff) days.set(d.date, { working: false, why: d.kind ?? 'day_off', note: d.reason, holiday: null });
      for (const w of y.workingWeekends) days.set(w.date, { working: true, why: 'moved_working_day', note: w.reason, holiday: null });
    } else {
      const r = ruleYear(year, data.fixedHolidays);
      for (const date of r.holidays) {
        const name = data.fixedHolidays.find((h) => h.monthDay === date.slice(5))?.name ?? null;
        days.set(date, { working: false, why: 'holiday', note: name?.en ?? null, holiday: name });
      }
      for (const date of r.carryOvers) days.set(date, { working: false, why: 'carry_over', note: 'carry-over by the weekend rule', holiday: null });
    }
    cache.set(year, days);
    return days;
  };

  const base = (date: IsoDate): BaseDay => {
    const n = toDayNumber(date);
    const special = specialDays(Number(fromDayNumber(n).slice(0, 4))).get(date);
    if (special) return special;
    const wd = weekdayOf(n);
    return wd === 0 || wd === 6 ? { working: false, why: 'weekend', note: null, holiday: null } : { working: true, why: 'weekday', note: null, holiday: null };
  };

  return {
    base,
    day(date, overrides) {
      const b = base(date);
      const wd = weekdayOf(toDayNumber(date));
      const o = overrides.get(date);
      const coverage: Coverage = Object.hasOwn(data.years, date.slice(0, 4)) ? 'data' : 'rule';
      const common = { date, weekday: wd === 0 ? 7 : wd, holiday: b.holiday, coverage };
      if (!o) return { ...common, working: b.working, why: b.why, note: b.note, override: null };
      return { ...common, working: o.type === 'working_day', why: 'override', note: o.reason, override: { ...o, dataWorking: b.working, dataWhy: b.why } };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** A real date YYYY-MM-DD within 2000–2100, or ERR_CALENDAR_DATE_INVALID naming the field. */
export function parseCalendarDate(value: unknown, field = 'date'): IsoDate {
  if (typeof value === 'string' && isIsoDate(value) && value >= CALENDAR_DATE_MIN && value <= CALENDAR_DATE_MAX) return value;
  throw new DomainError('ERR_CALENDAR_DATE_INVALID', undefined, {
    field,
    value: typeof value === 'string' ? value.slice(0, 40) : null,
    min: CALENDAR_DATE_MIN,
    max: CALENDAR_DATE_MAX,
  });
}

export function parseOverrideType(value: unknown): OverrideType {
  const found = overrideTypes.find((t) => t === value);
  if (found) return found;
  throw new DomainError('ERR_VALIDATION', 'type must be day_off or working_day', { field: 'type', allowed: [...overrideTypes] });
}

/** Control characters (C0, DEL, C1) or a UTF-16 surrogate without its pair: text nobody meant to write. */
function hasUnprintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** The reason, trimmed: 1–500 characters on one line. */
export function parseOverrideReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  const length = [...reason].length;
  if (length >= 1 && length <= OVERRIDE_REASON_MAX && !hasUnprintable(reason)) return reason;
  throw new DomainError('ERR_CALENDAR_REASON_INVALID', undefined, {
    field: 'reason',
    length: typeof value === 'string' ? length : null,
    max: OVERRIDE_REASON_MAX,
  });
}

const describe = (type: OverrideType): string => (type === 'day_off' ? 'a day off' : 'a working day');

/**
 * The event that sets `type` on `date`, or ERR_CALENDAR_OVERRIDE_NOOP when nothing would change: an override
 * of that type is already in force, or the data already says so (to undo an override, clear it).
 */
export function planSetDay(
  explainer: CalendarExplainer,
  current: ReadonlyMap<IsoDate, CurrentOverride>,
  request: { date: IsoDate; type: OverrideType; reason: string },
  actor: CalendarActor,
  at: Date,
): NewCalendarEvent {
  const { date, type, reason } = request;
  const existing = current.get(date);
  if (existing?.type === type) {
    throw new DomainError('ERR_CALENDAR_OVERRIDE_NOOP', `${date} is already ${describe(type)} by an override (event ${existing.eventId})`, { date, type, why: 'override' });
  }
  const base = explainer.base(date);
  if (base.working === (type === 'working_day')) {
    const hint = existing ? '; to undo the override, clear it' : '';
    throw new DomainError('ERR_CALENDAR_OVERRIDE_NOOP', `${date} is already ${describe(type)} in the calendar data (${base.why})${hint}`, { date, type, why: base.why });
  }
  return { date, action: 'set', type, reason, occurredAt: at, ...actor };
}

/** The event that clears the override of `date`, or ERR_CALENDAR_OVERRIDE_NOT_FOUND. */
export function planClearDay(
  current: ReadonlyMap<IsoDate, CurrentOverride>,
  request: { date: IsoDate; reason: string },
  actor: CalendarActor,
  at: Date,
): NewCalendarEvent {
  if (!current.has(request.date)) throw new DomainError('ERR_CALENDAR_OVERRIDE_NOT_FOUND', undefined, { date: request.date });
  return { date: request.date, action: 'clear', type: null, reason: request.reason, occurredAt: at, ...actor };
}

// ---------------------------------------------------------------------------------------------
// Commands

/** The append-only log of calendar changes (src/storage/calendar-store.ts). */
export interface CalendarEventLog {
  /**
   * Runs fn in one transaction under a lock that every writer of the log takes: no other change is
   * recorded anywhere meanwhile, so a decision taken on all() still holds when fn appends.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Every event, oldest first. */
  all(): Promise<CalendarEvent[]>;
  append(event: NewCalendarEvent): Promise<CalendarEvent>;
}

export interface CalendarAdminDeps {
  explainer: CalendarExplainer;
  log: CalendarEventLog;
  clock: Clock;
  /** The overrides this node's calendar uses now. */
  overrides(): ReadonlyMap<IsoDate, CurrentOverride>;
  /** Re-reads the log, so that this node's calendar uses a change at once (never throws). */
  refresh(): Promise<void>;
}

export interface CalendarChange {
  event: CalendarEvent;
  /** The day as it is after the change. */
  day: CalendarDay;
}

/** Who may change the calendar: an admin (policy), or the operator at the command line. */
export type CalendarAuthor = Principal | 'operator';

function authorise(author: CalendarAuthor): CalendarActor {
  if (author === 'operator') return { actorId: null, actorRole: 'operator' };
  if (!canManageCalendar(author)) throw new DomainError('ERR_FORBIDDEN', "Only an admin may manage the business calendar's overrides");
  return actorOf(author);
}

async function record(deps: CalendarAdminDeps, plan: (current: ReadonlyMap<IsoDate, CurrentOverride>) => NewCalendarEvent): Promise<CalendarChange> {
  const { event, after } = await deps.log.exclusive(async () => {
    const current = foldCalendarEvents(await deps.log.all());
    const appended = await deps.log.append(plan(current));
    return { event: appended, after: applyCalendarEvents(current, [appended]) };
  });
  await deps.refresh();
  return { event, day: deps.explainer.day(event.date, after) };
}

/** Marks a date a day off or a working day (PUT /api/v1/admin/calendar/days/:date). */
export async function setCalendarDay(deps: CalendarAdminDeps, author: CalendarAuthor, input: { date: unknown; type: unknown; reason: unknown }): Promise<CalendarChange> {
  const actor = authorise(author);
  const date = parseCalendarDate(input.date);
  const type = parseOverrideType(input.type);
  const reason = parseOverrideReason(input.reason);
  return record(deps, (current) => planSetDay(deps.explainer, current, { date, type, reason }, actor, deps.clock.now()));
}

/** Removes the override of a date: the data decides again (DELETE /api/v1/admin/calendar/days/:date). */
export async function clearCalendarDay(deps: CalendarAdminDeps, author: CalendarAuthor, input: { date: unknown; reason: unknown }): Promise<CalendarChange> {
  const actor = authorise(author);
  const date = parseCalendarDate(input.date);
  const reason = parseOverrideReason(input.reason);
  return record(deps, (current) => planClearDay(current, { date, reason }, actor, deps.clock.now()));
}

/** The overrides in force and the whole history, read from the log (not this node's copy). */
export async function calendarOverview(deps: CalendarAdminDeps, author: CalendarAuthor): Promise<{ overrides: CurrentOverride[]; events: CalendarEvent[] }> {
  authorise(author);
  const events = await deps.log.all();
  const overrides = [...foldCalendarEvents(events).values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { overrides, events };
}

/** Every day of [from, to] (at most 366) with whether it is a working day and why; public. */
export function listCalendarDays(deps: Pick<CalendarAdminDeps, 'explainer' | 'overrides'>, input: { from: unknown; to: unknown }): CalendarDay[] {
  const from = toDayNumber(parseCalendarDate(input.from, 'from'));
  const to = toDayNumber(parseCalendarDate(input.to, 'to'));
  if (to < from || to - from + 1 > CALENDAR_DAYS_MAX) {
    throw new DomainError('ERR_CALENDAR_RANGE_INVALID', undefined, { from: input.from, to: input.to, maxDays: CALENDAR_DAYS_MAX });
  }
  const overrides = deps.overrides();
  const days: CalendarDay[] = [];
  for (let n = from; n <= to; n++) days.push(deps.explainer.day(fromDayNumber(n), overrides));
  return days;
}
