import { DomainError } from './errors.ts';
import type { CaseRecord } from './model.ts';
import type { CaseListQuery, CaseStore, Clock } from './ports.ts';
import type { Deadline } from './sla/deadline-rules.ts';
import { actorOf, type Principal } from './principal.ts';
import { canReadCase, listScopeFor } from './policy.ts';

export interface ReadDeps {
  store: CaseStore;
  clock: Clock;
}

/**
 * Loads a case the principal may read. An invisible case is reported as not found, so that probing ids
 * reveals nothing. Every read of a confidential case is written to its history.
 */
export async function readCase(deps: ReadDeps, principal: Principal, caseId: string, what = 'case'): Promise<CaseRecord> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  const record = await deps.store.get(caseId);
  if (!record || !canReadCase(principal, record)) throw new DomainError('ERR_CASE_NOT_FOUND', undefined, { caseId });
  if (record.confidential && principal.type !== 'citizen' && principal.type !== 'tracking') {
    await deps.store.transaction((tx) =>
      tx.appendEvent({ caseId, type: 'case.confidential_read', ...actorOf(principal), occurredAt: deps.clock.now(), payload: { what } }),
    );
  }
  return record;
}

/** One case with its legal clock: the deadlines the applicant and staff see on the case. */
export async function readCaseWithDeadlines(deps: ReadDeps, principal: Principal, caseId: string): Promise<{ record: CaseRecord; deadlines: Deadline[] }> {
  const record = await readCase(deps, principal, caseId);
  return { record, deadlines: await deps.store.deadlines(caseId) };
}

export async function listCases(deps: ReadDeps, principal: Principal, query: CaseListQuery): Promise<CaseRecord[]> {
  const scope = listScopeFor(principal);
  if (scope.type === 'none') throw new DomainError('ERR_UNAUTHENTICATED');
  return deps.store.list(query, scope);
}

/** Event types the applicant's timeline leaves out: staff-internal facts. */
const INTERNAL_EVENTS: ReadonlySet<string> = new Set(['case.note_added', 'case.confidential_read', 'case.assigned', 'case.deadline_warning', 'case.notification_failed', 'case.crisis_paged', 'case.staff_paged']);

export async function caseTimeline(deps: ReadDeps, principal: Principal, caseId: string) {
  await readCase(deps, principal, caseId, 'events');
  const events = await deps.store.events(caseId);
  const staffView = principal.type === 'staff' || principal.type === 'machine';
  return staffView ? events : events.filter((e) => !INTERNAL_EVENTS.has(e.type));
}
