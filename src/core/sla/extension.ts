/**
 * Extending an answer term (APPC: a reasoned decision of the head, at most two months in total, the
 * applicant told within three working days). Pure: checks the requested date and returns the new term.
 */
import { DomainError } from '../errors.ts';
import { isIsoDate, type BusinessCalendar, type IsoDate } from './calendar.ts';
import { isOpen, warnAtFor, type Deadline } from './deadline-rules.ts';

/** The same day `months` calendar months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: IsoDate, months: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface ExtensionPlan {
  dueAt: Date;
  warnAt: Date;
  originalDueAt: Date;
  /** The last day the term may reach: the original due date plus the maximum. */
  limit: IsoDate;
}

/**
 * The answer deadline extended to 18:00 on `until`. Refused when the term is already over or paused, the
 * date is not a later working day, or the extensions would total more than `maxMonths`.
 */
export function planExtension(
  calendar: BusinessCalendar,
  deadline: Deadline,
  until: string,
  input: { now: Date; registeredAt: Date; maxMonths: number },
): ExtensionPlan {
  if (!isOpen(deadline.state) || deadline.dueAt.getTime() <= input.now.getTime()) {
    throw new DomainError('ERR_EXTENSION_TOO_LATE', undefined, { dueAt: deadline.dueAt.toISOString(), state: deadline.state });
  }
  if (!isIsoDate(until)) throw new DomainError('ERR_EXTENSION_DATE_INVALID', 'The date must be YYYY-MM-DD', { until });
  if (!calendar.isWorkingDay(until)) throw new DomainError('ERR_EXTENSION_DATE_INVALID', 'The new due date must be a working day', { until });
  const dueAt = calendar.workdayEndAt(until);
  if (dueAt.getTime() <= deadline.dueAt.getTime()) {
    throw new DomainError('ERR_EXTENSION_DATE_INVALID', 'The new due date must be after the current one', {
      until,
      dueAt: deadline.dueAt.toISOString(),
    });
  }
  const originalDueAt = deadline.originalDueAt ?? deadline.dueAt;
  const limit = addMonths(calendar.localDate(originalDueAt), input.maxMonths);
  if (until > limit) {
    throw new DomainError('ERR_EXTENSION_LIMIT', undefined, { until, limit, originalDueAt: originalDueAt.toISOString(), maxMonths: input.maxMonths });
  }
  return { dueAt, warnAt: warnAtFor(input.registeredAt, dueAt), originalDueAt, limit };
}
