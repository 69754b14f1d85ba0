import { DomainError } from './errors.ts';
import type { CaseMessage, CaseRecord, Outcome, TerminationReason } from './model.ts';
import type { ActionInput } from './workflow/definition.ts';
import type { BusinessCalendar } from './sla/calendar.ts';
import { obligationsFulfilled } from './sla/deadline-rules.ts';
import { planAction } from './workflow/engine.ts';
import { workflows } from './workflow/registry.ts';
import type { CaseStore, CaseTransaction, Clock, IdGenerator, ReferenceData, StaffDirectory } from './ports.ts';
import { actorOf, type Principal } from './principal.ts';
import { canAssign, canReadCase, canWorkOnCase, canWriteInternalNote, workflowRole } from './policy.ts';

export interface WorkDeps {
  store: CaseStore;
  reference: ReferenceData;
  staff: StaffDirectory;
  clock: Clock;
  calendar: BusinessCalendar;
  ids: IdGenerator;
  normalise: (text: string) => string;
  textMaxChars: number;
}

export interface ActionParams {
  reason?: string | undefined;
  organisationId?: string | undefined;
  outcome?: Outcome | undefined;
  answer?: string | undefined;
  terminationReason?: TerminationReason | undefined;
  message?: string | undefined;
  /** Optimistic concurrency: refuse when the case has changed since the client read it. */
  expectedVersion?: number | undefined;
}

/** Opens a transaction on a locked case the principal may work on. */
export async function withWorkableCase<T>(
  deps: WorkDeps,
  principal: Principal,
  caseId: string,
  fn: (tx: CaseTransaction, record: CaseRecord) => Promise<T>,
): Promise<T> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  return deps.store.transaction(async (tx) => {
    const record = await tx.lockCase(caseId);
    if (!record || !canReadCase(principal, record)) throw new DomainError('ERR_CASE_NOT_FOUND', undefined, { caseId });
    if (!canWorkOnCase(principal, record)) throw new DomainError('ERR_FORBIDDEN');
    return fn(tx, record);
  });
}

function suppliedInputs(p: ActionParams): Set<ActionInput> {
  const supplied = new Set<ActionInput>();
  if (p.reason?.trim()) supplied.add('reason');
  if (p.organisationId) supplied.add('organisation');
  if (p.outcome) supplied.add('outcome');
  if (p.answer?.trim()) supplied.add('answer');
  if (p.terminationReason) supplied.add('terminationReason');
  if (p.message?.trim()) supplied.add('message');
  return supplied;
}

function cleanText(deps: WorkDeps, text: string, field: string): string {
  const clean = deps.normalise(text);
  if (!clean) throw new DomainError('ERR_TEXT_EMPTY', undefined, { field });
  if (clean.length > deps.textMaxChars) throw new DomainError('ERR_TEXT_TOO_LONG', undefined, { field, maxChars: deps.textMaxChars });
  return clean;
}

/** Takes a workflow action: checks state, role and inputs, then writes the change, its event and any message. */
export async function performAction(deps: WorkDeps, principal: Principal, caseId: string, action: string, params: ActionParams) {
  const role = workflowRole(principal);
  if (!role) throw new DomainError('ERR_UNAUTHENTICATED');
  return withWorkableCase(deps, principal, caseId, async (tx, before) => {
    if (params.expectedVersion !== undefined && params.expectedVersion !== before.version) {
      throw new DomainError('ERR_CONCURRENT_UPDATE', undefined, { expectedVersion: params.expectedVersion, version: before.version });
    }
    const workflow = workflows[before.channel];
    const plan = planAction(workflow, before, { action, role, supplied: suppliedInputs(params) });
    const now = deps.clock.now();
    const after: CaseRecord = { ...before, state: plan.toState, stateKind: plan.toKind, updatedAt: now, version: before.version + 1 };
    const payload: Record<string, unknown> = { action, fromState: before.state, toState: plan.toState };
    if (params.organisationId) redirect(deps, before, after, params.organisationId, payload);
    if (params.reason) payload['reason'] = cleanText(deps, params.reason, 'reason');
    if (params.terminationReason) payload['terminationReason'] = params.terminationReason;
    if (params.outcome) after.outcome = payload['outcome'] = params.outcome;
    if (plan.toKind === 'closed' && before.stateKind !== 'closed') after.closedAt = now;
    if (plan.toKind !== 'closed') {
      after.closedAt = null;
      if (before.stateKind === 'closed') after.outcome = null;
    }
    const from = workflow.states[before.state];
    const to = workflow.states[plan.toState];
    const fulfilled = from && to ? obligationsFulfilled(from, to) : [];
    if (fulfilled.length > 0) {
      // A met deadline stays met: a later reopening does not restart a term that was kept.
      const met = await tx.meetOpenDeadlines(caseId, fulfilled, now);
      if (met.length > 0) payload['deadlinesMet'] = met.map((d) => ({ obligation: d.obligation, dueAt: d.dueAt.toISOString() }));
    }
    const text = params.answer ?? params.message;
    if (text) payload['messageId'] = (await writeMessage(deps, tx, principal, after, cleanText(deps, text, 'message'), 'dialog', now)).id;
    await tx.updateCase(after);
    await tx.appendEvent({ caseId, type: plan.event, ...actorOf(principal), occurredAt: now, payload });
    return after;
  });
}

function redirect(deps: WorkDeps, before: CaseRecord, after: CaseRecord, organisationId: string, payload: Record<string, unknown>): void {
  if (!deps.reference.organisation(organisationId)) throw new DomainError('ERR_UNKNOWN_ORGANISATION', undefined, { organisationId });
  if (organisationId === before.organisationId) {
    throw new DomainError('ERR_ACTION_INPUT', 'The case is already with this organisation', { organisationId });
  }
  after.organisationId = organisationId;
  after.assigneeId = null;
  after.triage = false;
  payload['fromOrganisationId'] = before.organisationId;
  payload['toOrganisationId'] = organisationId;
}

async function writeMessage(
  deps: WorkDeps,
  tx: CaseTransaction,
  principal: Principal,
  record: CaseRecord,
  body: string,
  visibility: CaseMessage['visibility'],
  at: Date,
): Promise<CaseMessage> {
  const { actorId, actorRole } = actorOf(principal);
  const message: CaseMessage = { id: deps.ids.uuid(), caseId: record.id, authorId: actorId, authorRole: actorRole, visibility, body, createdAt: at };
  await tx.insertMessage(message);
  return message;
}

export async function assignCase(deps: WorkDeps, principal: Principal, caseId: string, assigneeId: string) {
  return withWorkableCase(deps, principal, caseId, async (tx, before) => {
    if (!canAssign(principal, before)) throw new DomainError('ERR_FORBIDDEN', 'Only a head, registrar or dispatcher assigns cases');
    if (before.stateKind === 'closed') throw new DomainError('ERR_CASE_CLOSED');
    const assignee = await deps.staff.staffOf(assigneeId, before.organisationId);
    if (!assignee) throw new DomainError('ERR_ASSIGNEE_INVALID', undefined, { assigneeId, organisationId: before.organisationId });
    const now = deps.clock.now();
    const after: CaseRecord = { ...before, assigneeId, updatedAt: now, version: before.version + 1 };
    await tx.updateCase(after);
    await tx.appendEvent({
      caseId,
      type: 'case.assigned',
      ...actorOf(principal),
      occurredAt: now,
      payload: { assigneeId, previousAssigneeId: before.assigneeId },
    });
    return after;
  });
}

/** A dialog message between applicant and staff, or an internal note the applicant never sees. */
export async function postMessage(deps: WorkDeps, principal: Principal, caseId: string, body: string, visibility: CaseMessage['visibility']) {
  return withWorkableCase(deps, principal, caseId, async (tx, record) => {
    if (visibility === 'internal' && !canWriteInternalNote(principal, record)) throw new DomainError('ERR_FORBIDDEN');
    if (record.stateKind === 'closed' && visibility === 'dialog') throw new DomainError('ERR_CASE_CLOSED');
    const now = deps.clock.now();
    const message = await writeMessage(deps, tx, principal, record, cleanText(deps, body, 'body'), visibility, now);
    await tx.appendEvent({
      caseId,
      type: visibility === 'internal' ? 'case.note_added' : 'case.message_posted',
      ...actorOf(principal),
      occurredAt: now,
      payload: { messageId: message.id },
    });
    return message;
  });
}
