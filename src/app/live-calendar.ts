import type { Logger } from 'pino';
import type { Clock } from '../core/ports.ts';
import {
  applyCalendarEvents,
  calendarOverrides,
  createCalendarExplainer,
  foldCalendarEvents,
  type CalendarAdminDeps,
  type CalendarEvent,
  type CurrentOverride,
} from '../core/sla/calendar-admin.ts';
import { createBusinessCalendar, type BusinessCalendar, type CalendarDataInput, type IsoDate } from '../core/sla/calendar.ts';
import { createCalendarStore } from '../storage/calendar-store.ts';
import type { Db } from '../storage/db.ts';
import { loadCalendarData } from './clock-data.ts';

/** What the calendar admin commands need, plus this process's refresh loop. */
export interface CalendarAdmin extends CalendarAdminDeps {
  /** The id of the last event this process's calendar includes (0: none). */
  lastEventId(): number;
  /** Stops the periodic refresh (the HTTP app does when it closes). */
  stop(): void;
}

export interface LiveCalendar {
  /** Delegates every call to a calendar rebuilt from the data and the overrides in force. */
  calendar: BusinessCalendar;
  admin: CalendarAdmin;
}

export interface LiveCalendarOptions {
  clock: Clock;
  logger: Logger;
  /** How often to re-read the log for changes made elsewhere; 0: only after this process's own changes. */
  refreshMs: number;
  /** The per-year data; data/calendars/kz.json when absent. */
  data?: CalendarDataInput;
}

/**
 * The business calendar every computation of this process uses: the per-year data plus the admin
 * overrides folded from calendar_events. It re-reads the events after the last one it saw right after
 * this process records a change, and every `refreshMs` otherwise, so other nodes' changes reach it.
 * A computation sees one consistent calendar: the swap happens between synchronous calls, never within.
 * Deadlines already computed are not recomputed: a change applies to computations made after it.
 */
export async function createLiveCalendar(db: Db, options: LiveCalendarOptions): Promise<LiveCalendar> {
  const data = options.data ?? loadCalendarData();
  const store = createCalendarStore(db);
  const explainer = createCalendarExplainer(data);
  const initial = await store.all(); // a database that cannot be read stops the start, as any other
  let overrides: ReadonlyMap<IsoDate, CurrentOverride> = foldCalendarEvents(initial);
  let lastId = initial.at(-1)?.id ?? 0;
  let current = createBusinessCalendar(data, calendarOverrides(overrides));

  const apply = (events: readonly CalendarEvent[]): void => {
    if (events.length === 0) return;
    const next = applyCalendarEvents(new Map(overrides), events);
    const built = createBusinessCalendar(data, calendarOverrides(next));
    overrides = next;
    current = built;
    lastId = events.at(-1)!.id;
    options.logger.info({ lastEventId: lastId, overrides: next.size }, 'business calendar overrides refreshed');
  };

  // One refresh at a time, in order: a refresh asked for after a change always starts after that change.
  let queue: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    queue = queue.then(async () => {
      try {
        apply(await store.since(lastId));
      } catch (err) {
        options.logger.warn({ err }, 'could not refresh the business calendar overrides; keeping the previous ones');
      }
    });
    return queue;
  };

  const timer = options.refreshMs > 0 ? setInterval(() => void refresh(), options.refreshMs) : null;
  timer?.unref(); // never keeps a process (a CLI command, a test) alive

  const calendar: BusinessCalendar = {
    timezone: current.timezone,
    utcOffsetMinutes: current.utcOffsetMinutes,
    workdayEndMinutes: current.workdayEndMinutes,
    isWorkingDay: (date) => current.isWorkingDay(date),
    localDate: (at) => current.localDate(at),
    registrationDay: (at) => current.registrationDay(at),
    addWorkingDays: (day, n) => current.addWorkingDays(day, n),
    dueAt: (at, workingDays) => current.dueAt(at, workingDays),
    workingDaysBetween: (a, b) => current.workingDaysBetween(a, b),
    workdayEndAt: (day) => current.workdayEndAt(day),
    coverage: (year) => current.coverage(year),
  };

  return {
    calendar,
    admin: {
      explainer,
      log: store,
      clock: options.clock,
      overrides: () => overrides,
      refresh,
      lastEventId: () => lastId,
      stop: () => {
        if (timer) clearInterval(timer);
      },
    },
  };
}
