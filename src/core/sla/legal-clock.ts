import type { LegalClock } from '../ports.ts';
import type { BusinessCalendar } from './calendar.ts';
import { computeDueAt, selectTerm, type TermPolicy } from './terms.ts';

const WORKDAY_HOURS = 9;

/**
 * The legal clock at intake: terms counted in working days (appeals) register on the working day the
 * law says, and a case filed after hours counts from the next working morning; hour and minute terms
 * (police, city, child) run round the clock from the moment of receipt.
 */
export function createLegalClock(calendar: BusinessCalendar, policies: readonly TermPolicy[]): LegalClock {
  return {
    schedule({ channel, kind, category, urgency, receivedAt }) {
      const year = (at: Date) => Number(calendar.localDate(at).slice(0, 4));
      const policy = selectTerm(policies, { channel, kind, category, urgency });
      const roundTheClock = { registeredAt: receivedAt, registrationYear: year(receivedAt), counting: 'elapsed' as const };
      if (!policy) return { ...roundTheClock, dueAt: null, obligation: null };
      const { obligation } = policy;
      if (!('workingDays' in policy.term)) return { ...roundTheClock, dueAt: computeDueAt(calendar, policy.term, receivedAt), obligation };
      const day = calendar.registrationDay(receivedAt);
      const registeredAt =
        day === calendar.localDate(receivedAt) ? receivedAt : new Date(calendar.workdayEndAt(day).getTime() - WORKDAY_HOURS * 3_600_000);
      const dueAt = calendar.dueAt(receivedAt, policy.term.workingDays);
      return { registeredAt, registrationYear: year(registeredAt), dueAt, obligation, counting: 'working_days' };
    },
  };
}
