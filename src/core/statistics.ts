/**
 * Clock statistics per organisation and period: how the body keeps the legal clock. The period is of
 * receipt, in local (Kazakhstan) dates, `to` exclusive; a supervising role may include the organisations
 * below its own.
 */
import { DomainError } from './errors.ts';
import { isStaff, type Principal } from './principal.ts';
import { canReadStatistics } from './policy.ts';
import { isIsoDate, type BusinessCalendar } from './sla/calendar.ts';

export interface ClockStatisticsQuery {
  organisationId: string;
  from: string;
  to: string;
  includeSubtree: boolean;
}

export interface ClockStatistics {
  received: number;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  /** Still unanswered after the answer term ran out. */
  overdue: number;
  extended: number;
  redirected: number;
  silenceRefusals: number;
  averageHoursToAnswer: number | null;
  /** Complaints about an answer over answers given (0–1). */
  complainedShare: number | null;
  averageRating: number | null;
  ratings: number;
}

export interface StatisticsSource {
  clockStatistics(input: { organisations: readonly string[]; from: Date; to: Date }): Promise<ClockStatistics>;
}

export interface StatisticsDeps {
  statistics: StatisticsSource;
  calendar: Pick<BusinessCalendar, 'utcOffsetMinutes'>;
  subtree: (organisationId: string) => ReadonlySet<string>;
  hasOrganisation: (organisationId: string) => boolean;
}

const MAX_DAYS = 366 * 5;

export async function clockStatistics(deps: StatisticsDeps, principal: Principal, q: ClockStatisticsQuery) {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  if (!deps.hasOrganisation(q.organisationId)) throw new DomainError('ERR_UNKNOWN_ORGANISATION', undefined, { organisationId: q.organisationId });
  if (!isStaff(principal) || !canReadStatistics(principal, q.organisationId)) throw new DomainError('ERR_FORBIDDEN');
  if (!isIsoDate(q.from) || !isIsoDate(q.to) || q.to <= q.from) {
    throw new DomainError('ERR_VALIDATION', 'from and to are dates (YYYY-MM-DD), from before to', { from: q.from, to: q.to });
  }
  const localMidnight = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`) - deps.calendar.utcOffsetMinutes * 60_000);
  const from = localMidnight(q.from);
  const to = localMidnight(q.to);
  if ((to.getTime() - from.getTime()) / 86_400_000 > MAX_DAYS) throw new DomainError('ERR_VALIDATION', 'At most five years at a time', { from: q.from, to: q.to });
  // Only organisations the principal sees: a supervisor's subtree, never a sibling's.
  const organisations = q.includeSubtree ? [...deps.subtree(q.organisationId)].filter((id) => principal.scope.has(id)) : [q.organisationId];
  return { organisationId: q.organisationId, from: q.from, to: q.to, includeSubtree: q.includeSubtree, ...(await deps.statistics.clockStatistics({ organisations, from, to })) };
}
