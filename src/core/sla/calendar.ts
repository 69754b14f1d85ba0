/**
 * The business calendar: which days are working days, when an appeal counts as registered and when a
 * term of N working days ends. Pure: the holiday data and admin overrides come in as arguments.
 *
 * Dates are 'YYYY-MM-DD' strings in the calendar's local zone (fixed UTC offset, Kazakhstan has had
 * no DST since 2005). Internally a date is a day number (days since 1970-01-01), so all arithmetic
 * is on integers and never touches the machine's time zone.
 */
import { z } from 'zod';

/** A civil date 'YYYY-MM-DD' in the calendar's local zone. */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A calendar where no working day can be found in ten years is broken data, not a long holiday. */
const MAX_SCAN_DAYS = 3_660;

// ---------------------------------------------------------------------------------------------
// Day numbers

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; throws RangeError on a malformed or impossible date. */
export function toDayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const n = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  // Date.UTC silently rolls 2026-02-30 over to March; the round trip catches it.
  if (!Number.isInteger(n) || fromDayNumber(n) !== date) throw new RangeError(`no such date: ${date}`);
  return n;
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

function isWeekend(n: number): boolean {
  const d = weekday(n);
  return d === 0 || d === 6;
}

function yearOf(n: number): number {
  return Number(fromDayNumber(n).slice(0, 4));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Data schema

const isoDate = z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');
const localizedName = z.object({ en: z.string().min(1), ru: z.string().min(1), kk: z.string().min(1) });

const holidaySchema = z.object({
  date: isoDate,
  name: localizedName,
  /** The date is expected but not yet confirmed (lunar holidays announced each year). */
  tentative: z.boolean().optional(),
});

const dayOffSchema = z.object({
  date: isoDate,
  reason: z.string().min(1),
  kind: z.enum(['carry_over', 'decree']).optional(),
});

const workingWeekendSchema = z.object({ date: isoDate, reason: z.string().min(1) });

const yearSchema = z.object({
  holidays: z.array(holidaySchema),
  daysOff: z.array(dayOffSchema).default([]),
  workingWeekends: z.array(workingWeekendSchema).default([]),
  /** False while the government has not yet published the year's decree transfers. */
  decreeTransfersKnown: z.boolean().default(true),
  note: z.string().optional(),
});

/** A holiday on a fixed day of every year, used for years the data does not cover. */
const fixedHolidaySchema = z.object({
  monthDay: z.string().refine((md) => /^\d{2}-\d{2}$/.test(md) && isIsoDate(`2001-${md}`), 'must be MM-DD, not 29 February'),
  name: localizedName,
  /** Religious holidays (7 January) are not moved when they fall on a weekend. */
  carryOver: z.boolean(),
});

export const calendarDataSchema = z
  .object({
    timezone: z.string().min(1),
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60),
    workdayEnd: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
    source: z.string().optional(),
    fixedHolidays: z.array(fixedHolidaySchema),
    years: z.record(z.string().regex(/^\d{4}$/, 'year keys are YYYY'), yearSchema),
  })
  .superRefine((data, ctx) => {
    for (const [year, y] of Object.entries(data.years)) {
      for (const message of yearProblems(year, y)) ctx.addIssue({ code: 'custom', path: ['years', year], message });
    }
  });

export type CalendarData = z.output<typeof calendarDataSchema>;
export type CalendarDataInput = z.input<typeof calendarDataSchema>;
export type CalendarYear = z.output<typeof yearSchema>;
export type FixedHoliday = z.output<typeof fixedHolidaySchema>;

/** Consistency checks zod cannot express per field: dates in their year, no contradictions. */
function yearProblems(year: string, y: CalendarYear): string[] {
  const problems: string[] = [];
  const off = [...y.holidays, ...y.daysOff].map((d) => d.date);
  const working = y.workingWeekends.map((d) => d.date);
  for (const date of [...off, ...working]) {
    if (!date.startsWith(`${year}-`)) problems.push(`${date} is not in ${year}`);
  }
  for (const date of working) {
    if (isIsoDate(date) && !isWeekend(toDayNumber(date))) problems.push(`working weekend ${date} is not a Saturday or Sunday`);
    if (off.includes(date)) problems.push(`${date} is both a day off and a working day`);
  }
  for (const date of duplicates([...off, ...working])) problems.push(`${date} is listed twice`);
  return problems;
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

/** A day an admin marks later (an unexpected decree, a local day off); wins over the data. */
export const calendarOverrideSchema = z.object({
  date: isoDate,
  type: z.enum(['day_off', 'working_day']),
  reason: z.string().optional(),
});
export type CalendarOverride = z.output<typeof calendarOverrideSchema>;

// ---------------------------------------------------------------------------------------------
// Years outside the data: the weekend carry-over rule

export interface RuleYear {
  holidays: IsoDate[];
  carryOvers: IsoDate[];
}

/**
 * The fixed-date holidays of a year and their carry-overs: a holiday on a weekend moves the day off
 * to the next day that is neither a weekend, a holiday nor already a carry-over (so Nauryz on
 * Sat–Mon gives Tuesday and Wednesday). Lunar holidays and decrees cannot be derived by rule.
 */
export function ruleYear(year: number, fixed: readonly FixedHoliday[]): RuleYear {
  const days = fixed
    .map((h) => ({ day: toDayNumber(`${String(year).padStart(4, '0')}-${h.monthDay}`), carryOver: h.carryOver }))
    .sort((a, b) => a.day - b.day);
  const holidays = new Set(days.map((h) => h.day));
  const carried = new Set<number>();
  for (const h of days) {
    if (!h.carryOver || !isWeekend(h.day)) continue;
    let c = h.day + 1;
    while (isWeekend(c) || holidays.has(c) || carried.has(c)) c++;
    carried.add(c);
  }
  return { holidays: [...holidays].map(fromDayNumber), carryOvers: [...carried].sort((a, b) => a - b).map(fromDayNumber) };
}

// ---------------------------------------------------------------------------------------------
// The calendar

export type Coverage = 'data' | 'rule';

export interface BusinessCalendar {
  readonly timezone: string;
  readonly utcOffsetMinutes: number;
  /** Minutes after local midnight when the working day ends (18:00 → 1080). */
  readonly workdayEndMinutes: number;
  isWorkingDay(date: IsoDate): boolean;
  /** The local date of an instant. */
  localDate(at: Date): IsoDate;
  /** Received on a working day before the end of the working day → that day; otherwise the next working day. */
  registrationDay(receivedAt: Date): IsoDate;
  /** The n-th working day after `day` (before it when n < 0); `day` itself when n = 0. */
  addWorkingDays(day: IsoDate, n: number): IsoDate;
  /** The end of a term of N working days: 18:00 local on the N-th working day after registration. */
  dueAt(receivedAt: Date, workingDays: number): Date;
  /**
   * Working days in (a, b], negated when b is before a (so it is antisymmetric).
   * workingDaysBetween(a, addWorkingDays(a, n)) = n for n >= 0, and for n < 0 when a is a working day.
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
  /** The UTC instant of the end of the working day on a local date. */
  workdayEndAt(day: IsoDate): Date;
  /** Whether a year's days off come from the data or only from the weekend rule. */
  coverage(year: number): Coverage;
}

interface YearDays {
  off: ReadonlySet<number>;
  working: ReadonlySet<number>;
}

function dataYearDays(y: CalendarYear): YearDays {
  return {
    off: new Set([...y.holidays, ...y.daysOff].map((d) => toDayNumber(d.date))),
    working: new Set(y.workingWeekends.map((d) => toDayNumber(d.date))),
  };
}

// A carry-over that spilled into January would be missed here; no fixed holiday falls after 16 December.
function ruleYearDays(year: number, fixed: readonly FixedHoliday[]): YearDays {
  const r = ruleYear(year, fixed);
  return { off: new Set([...r.holidays, ...r.carryOvers].map(toDayNumber)), working: new Set() };
}

function assertInstant(at: Date): number {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return t;
}

function assertInteger(n: number, what: string, min = -Infinity): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be an integer${min > -Infinity ? ` >= ${min}` : ''}: ${n}`);
}

export function createBusinessCalendar(input: CalendarDataInput, overrides: readonly CalendarOverride[] = []): BusinessCalendar {
  const data = calendarDataSchema.parse(input);
  // Later overrides replace earlier ones for the same date, as an admin's latest decision should.
  const overridden = new Map(overrides.map((o) => [toDayNumber(calendarOverrideSchema.parse(o).date), o.type === 'working_day']));
  const offsetMs = data.utcOffsetMinutes * MINUTE_MS;
  const endMs = minutesOf(data.workdayEnd) * MINUTE_MS;
  const cache = new Map<number, YearDays>();

  const yearDays = (year: number): YearDays => {
    let days = cache.get(year);
    if (!days) {
      const y = data.years[String(year)];
      days = y ? dataYearDays(y) : ruleYearDays(year, data.fixedHolidays);
      cache.set(year, days);
    }
    return days;
  };

  const working = (n: number): boolean => {
    const o = overridden.get(n);
    if (o !== undefined) return o;
    const days = yearDays(yearOf(n));
    if (days.working.has(n)) return true;
    return !days.off.has(n) && !isWeekend(n);
  };

  /** The nearest working day strictly after (step 1) or before (step -1) day n. */
  const nextWorking = (n: number, step: 1 | -1): number => {
    for (let i = 1; i <= MAX_SCAN_DAYS; i++) if (working(n + i * step)) return n + i * step;
    throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days of ${fromDayNumber(n)}`);
  };

  const addDays = (n: number, k: number): number => {
    let d = n;
    for (let i = 0; i < Math.abs(k); i++) d = nextWorking(d, k > 0 ? 1 : -1);
    return d;
  };

  const countBetween = (a: number, b: number): number => {
    if (b < a) return 0 - countBetween(b, a); // not unary minus: -0 would leak out of an empty range
    let count = 0;
    for (let d = a + 1; d <= b; d++) if (working(d)) count++;
    return count;
  };

  /** Local day number and milliseconds since local midnight of an instant. */
  const local = (at: Date): { day: number; ms: number } => {
    const t = assertInstant(at) + offsetMs;
    const day = Math.floor(t / DAY_MS);
    return { day, ms: t - day * DAY_MS };
  };

  const registration = (at: Date): number => {
    const { day, ms } = local(at);
    return working(day) && ms < endMs ? day : nextWorking(day, 1);
  };

  const endOf = (n: number): Date => new Date(n * DAY_MS + endMs - offsetMs);

  return {
    timezone: data.timezone,
    utcOffsetMinutes: data.utcOffsetMinutes,
    workdayEndMinutes: endMs / MINUTE_MS,
    isWorkingDay: (date) => working(toDayNumber(date)),
    localDate: (at) => fromDayNumber(local(at).day),
    registrationDay: (at) => fromDayNumber(registration(at)),
    addWorkingDays: (day, n) => {
      assertInteger(n, 'n');
      return fromDayNumber(addDays(toDayNumber(day), n));
    },
    dueAt: (at, workingDays) => {
      assertInteger(workingDays, 'workingDays', 0);
      return endOf(addDays(registration(at), workingDays));
    },
    workingDaysBetween: (a, b) => countBetween(toDayNumber(a), toDayNumber(b)),
    workdayEndAt: (day) => endOf(toDayNumber(day)),
    coverage: (year) => (Object.hasOwn(data.years, String(year)) ? 'data' : 'rule'),
  };
}
