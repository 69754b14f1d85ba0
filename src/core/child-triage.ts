/**
 * Risk triage of a child case: the classifier's urgency (its urgency rules cover a child in danger and
 * self-harm) or the child's own "I am in danger now" makes a case an emergency, and an emergency pages the
 * on-call crisis psychologist at once through the outbox. The 15-minute first-contact term is the term
 * policy's (data/term-policies.json); the deadline worker breaches and escalates it when nobody answers.
 */
import type { OnCallPerson, OnCallRoster } from './child-ports.ts';
import { SYSTEM_ACTOR } from './deadlines.ts';
import type { CaseRecord } from './model.ts';
import type { CaseTransaction, Clock } from './ports.ts';

export interface CrisisDeps {
  roster: OnCallRoster;
  clock: Clock;
  /** The staff link to a case (no case text): put in the page. */
  caseUrl: (caseId: string) => string;
}

export interface CrisisPage {
  /** The staff paged: the on-call psychologists, or the heads when nobody was on call (empty: nobody to page). */
  recipients: readonly string[];
  onCall: boolean;
  /** The psychologist the case was given to (the first on call), when it had nobody yet. */
  assigneeId: string | null;
}

export const CRISIS_PAGED = 'case.crisis_paged';

const needsPage = (c: CaseRecord): boolean => c.channel === 'child' && c.urgency === 'emergency' && c.stateKind === 'new';

/**
 * Pages the on-call psychologists of the case's organisation, inside the caller's transaction (so the page
 * commits with the case or not at all). Each gets a `crisis_page` notice in their own language with only
 * the registration number and a link. An unassigned case is given to the first on call, so the
 * confidential rule lets them open it. Idempotent: a case is paged once.
 */
export async function pageCrisisIfEmergency(deps: CrisisDeps, tx: CaseTransaction, caseId: string): Promise<CrisisPage | null> {
  const record = await tx.lockCase(caseId);
  if (!record || !needsPage(record)) return null;
  if (await tx.latestEvent(caseId, [CRISIS_PAGED])) return null;
  const now = deps.clock.now();
  const onDuty = await deps.roster.onDuty(record.organisationId, now);
  // Nobody on call is itself an alarm: the heads of the service are paged instead (and the deadline escalates).
  const recipients: OnCallPerson[] = onDuty.length > 0 ? onDuty : await deps.roster.heads(record.organisationId);
  let assigneeId: string | null = null;
  const first = onDuty[0];
  if (!record.assigneeId && first) {
    assigneeId = first.userId;
    await tx.updateCase({ ...record, assigneeId, updatedAt: now, version: record.version + 1 });
    await tx.appendEvent({
      caseId,
      type: 'case.assigned',
      ...SYSTEM_ACTOR,
      occurredAt: now,
      payload: { assigneeId, previousAssigneeId: null, reason: 'on_call' },
    });
  }
  for (const person of recipients) {
    await tx.enqueueNotification(
      {
        caseId,
        recipientId: person.userId,
        template: 'crisis_page',
        language: person.language,
        params: { registrationNumber: record.registrationNumber, caseUrl: deps.caseUrl(caseId) },
        fulfilsDeadlineId: null,
        notBefore: now,
      },
      now,
    );
  }
  const page: CrisisPage = { recipients: recipients.map((p) => p.userId), onCall: onDuty.length > 0, assigneeId };
  await tx.appendEvent({ caseId, type: CRISIS_PAGED, ...SYSTEM_ACTOR, occurredAt: now, payload: { ...page } });
  return page;
}
