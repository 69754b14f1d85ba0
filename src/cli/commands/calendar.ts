import { loadBusinessCalendar as calendar } from '../../app/clock-data.ts';
import { isIsoDate } from '../../core/sla/calendar.ts';

/** 18:00 Kazakhstan time as an ISO date-time with its offset, e.g. 2026-04-16T18:00:00+05:00. */
function localIso(at: Date, offsetMinutes: number): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function calendarDue(options: { from: string; workingDays: string }): void {
  const from = new Date(options.from);
  const days = Number(options.workingDays);
  if (Number.isNaN(from.getTime())) throw new Error(`--from is not an ISO date-time: ${options.from}`);
  if (!Number.isInteger(days) || days < 0) throw new Error(`--working-days must be a whole number ≥ 0: ${options.workingDays}`);
  const cal = calendar();
  process.stdout.write(`${localIso(cal.dueAt(from, days), cal.utcOffsetMinutes)}\n`);
}

export function calendarIsWorkingDay(date: string): void {
  if (!isIsoDate(date)) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  process.stdout.write(`${calendar().isWorkingDay(date) ? 'yes' : 'no'}\n`);
}
