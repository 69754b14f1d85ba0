import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadCalendarData } from '../../app/clock-data.ts';
import { createLiveCalendar, type CalendarAdmin } from '../../app/live-calendar.ts';
import { systemClock } from '../../app/platform.ts';
import { loadConfig } from '../../config/index.ts';
import { calendarOverrides, calendarOverview, clearCalendarDay, foldCalendarEvents, setCalendarDay, type CalendarDay } from '../../core/sla/calendar-admin.ts';
import { createBusinessCalendar, isIsoDate, type BusinessCalendar, type CalendarOverride } from '../../core/sla/calendar.ts';
import { createCalendarStore } from '../../storage/calendar-store.ts';
import { openDb, type Db } from '../../storage/db.ts';
import { FolderLockedError } from '../../storage/folder-lock.ts';
import { openContext } from '../context.ts';

/** 18:00 Kazakhstan time as an ISO date-time with its offset, e.g. 2026-04-16T18:00:00+05:00. */
function localIso(at: Date, offsetMinutes: number): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The admin overrides stored in the configured database, read without migrating or writing: PostgreSQL
 * (DATABASE_URL), or the embedded database in DATA_DIR when it exists and no server holds it.
 */
async function storedOverrides(): Promise<CalendarOverride[]> {
  const config = loadConfig(process.env);
  let db: Db;
  if (config.DATABASE_URL) {
    db = await openDb({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
  } else {
    const dir = path.join(config.DATA_DIR, 'db');
    if (!existsSync(path.join(dir, 'PG_VERSION'))) throw new Error(`no database in ${dir}`);
    db = await openDb({ dataDir: dir });
  }
  try {
    return calendarOverrides(foldCalendarEvents(await createCalendarStore(db).all()));
  } finally {
    await db.close();
  }
}

function unreadable(err: unknown): string {
  if (err instanceof FolderLockedError) {
    return 'the embedded database is in use by another process (a running `tyndau serve`?); ask it instead: GET /api/v1/calendar/days';
  }
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
}

/** The calendar with the stored overrides; when they cannot be read, without them, and one line on stderr says so. */
async function calendar(): Promise<BusinessCalendar> {
  const data = loadCalendarData();
  try {
    return createBusinessCalendar(data, await storedOverrides());
  } catch (err) {
    process.stderr.write(`tyndau: calendar overrides were not applied (${unreadable(err)}); this answer comes from the calendar data alone\n`);
    return createBusinessCalendar(data);
  }
}

export async function calendarDue(options: { from: string; workingDays: string }): Promise<void> {
  const from = new Date(options.from);
  const days = Number(options.workingDays);
  if (Number.isNaN(from.getTime())) throw new Error(`--from is not an ISO date-time: ${options.from}`);
  if (!Number.isInteger(days) || days < 0) throw new Error(`--working-days must be a whole number ≥ 0: ${options.workingDays}`);
  const cal = await calendar();
  process.stdout.write(`${localIso(cal.dueAt(from, days), cal.utcOffsetMinutes)}\n`);
}

export async function calendarIsWorkingDay(date: string): Promise<void> {
  if (!isIsoDate(date)) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  process.stdout.write(`${(await calendar()).isWorkingDay(date) ? 'yes' : 'no'}\n`);
}

// ---------------------------------------------------------------------------------------------
// tyndau calendar override list | set | clear: the operator's door to the same commands as the admin API

const describeDay = (d: CalendarDay): string =>
  `${d.date}: ${d.working ? 'working day' : 'day off'} (${d.why}${d.note ? `: ${d.note}` : ''})`;

async function withCalendarAdmin(fn: (admin: CalendarAdmin) => Promise<void>): Promise<void> {
  const ctx = await openContext();
  try {
    const { admin } = await createLiveCalendar(ctx.db, { clock: systemClock, logger: ctx.logger, refreshMs: 0 });
    await fn(admin);
  } finally {
    await ctx.close();
  }
}

export async function calendarOverrideList(options: { history?: boolean }): Promise<void> {
  await withCalendarAdmin(async (admin) => {
    const { overrides, events } = await calendarOverview(admin, 'operator');
    if (options.history) {
      for (const e of events) {
        process.stdout.write(`${e.id}\t${e.occurredAt.toISOString()}\t${e.date}\t${e.action}\t${e.type ?? '-'}\t${e.actorRole}\t${e.reason}\n`);
      }
      return;
    }
    for (const o of overrides) process.stdout.write(`${o.date}\t${o.type}\t${o.reason}\n`);
  });
}

export async function calendarOverrideSet(date: string, options: { type: string; reason: string }): Promise<void> {
  await withCalendarAdmin(async (admin) => {
    const { day } = await setCalendarDay(admin, 'operator', { date, type: options.type, reason: options.reason });
    process.stdout.write(`${describeDay(day)}\n`);
  });
}

export async function calendarOverrideClear(date: string, options: { reason: string }): Promise<void> {
  await withCalendarAdmin(async (admin) => {
    const { day } = await clearCalendarDay(admin, 'operator', { date, reason: options.reason });
    process.stdout.write(`${describeDay(day)}\n`);
  });
}
