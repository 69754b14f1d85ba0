import { DomainError } from './errors.ts';
import type { CaseMessage, CaseRecord, Outcome, TerminationReason } from './model.ts';
import type { ActionInput } from './workflow/definition.ts';
import { applyClockEffects, checkWindows, type ClockStep, type ClockStepDeps } from './clock-steps.ts';
import { noticeToApplicant, organisationName } from './notices.ts';
import { obligationsFulfilled } from './sla/deadline-rules.ts';
import { planAction } from './workflow/engine.ts';
import { workflows } from './workflow/registry.ts';
import type { CaseStore, CaseTransaction, Clock, IdGenerator, ReferenceData, SimilarCases, StaffDirectory } from './ports.ts';
import { actorOf, type Principal } from './principal.ts';
import { canAssign, canReadCase, canWorkOnCase, canWriteInternalNote, workflowRole } from './policy.ts';

export interface WorkDeps extends ClockStepDeps {
  store: CaseStore;
  reference: ReferenceData;
  staff: StaffDirectory;
  clock: Clock;
  ids: IdGenerator;
  normalise: (text: string) => string;
  textMaxChars: number;
  similarCases?: SimilarCases;
}

export interface ActionParams {
  reason?: string | undefined;
  organisationId?: string | undefined;
  outcome?: Outcome | undefined;
  answer?: string | undefined;
  terminationReason?: TerminationReason | undefined;
  message?: string | undefined;
  /** extend: the new last day of the term (YYYY-MM-DD, a working day). */
  until?: string | undefined;
  /** request_documents: the applicant's deadline (YYYY-MM-DD); the procedure's default when absent. */
  respondBy?: string | undefined;
  /** dispatch (102): the police unit (patrol crew, call sign) sent to the scene. */
  unit?: string | undefined;
  /** resolve: attachments (photos, an act) proving the fix. */
  proofAttachmentIds?: readonly string[] | undefined;
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
  if (p.proofAttachmentIds?.length) supplied.add('proof');
  if (p.until) supplied.add('until');
  if (p.unit?.trim()) supplied.add('unit');
  return supplied;
}

function cleanText(deps: WorkDeps, text: string, field: string): string {
  const clean = deps.normalise(text);
  if (!clean) throw new DomainError('ERR_TEXT_EMPTY', undefined, { field });
  if (clean.length > deps.textMaxChars) throw new DomainError('ERR_TEXT_TOO_LONG', undefined, { field, maxChars: deps.textMaxChars });
  return clean;
}

/** Takes a workflow action: checks state, role, inputs and legal windows, then writes the change, its event, its effects on the clock and the applicant's notice. */
export async function performAction(deps: WorkDeps, principal: Principal, caseId: string, action: string, params: ActionParams) {
  if (!workflowRole(principal)) throw new DomainError('ERR_UNAUTHENTICATED');
  return withWorkableCase(deps, principal, caseId, (tx, before) => applyAction(deps, tx, principal, before, action, params));
}

/** performAction inside a transaction that holds the case (the survey's "not fixed" reuses it). */
export async function applyAction(
  deps: WorkDeps,
  tx: CaseTransaction,
  principal: Principal,
  before: CaseRecord,
  action: string,
  params: ActionParams,
  options: { skipNotFixedWindow?: boolean } = {},
): Promise<CaseRecord> {
  const role = workflowRole(principal);
  if (!role) throw new DomainError('ERR_UNAUTHENTICATED');
  if (params.expectedVersion !== undefined && params.expectedVersion !== before.version) {
    throw new DomainError('ERR_CONCURRENT_UPDATE', undefined, { expectedVersion: params.expectedVersion, version: before.version });
  }
  const caseId = before.id;
  const workflow = workflows[before.channel];
  const plan = planAction(workflow, before, { action, role, supplied: suppliedInputs(params), outcome: params.outcome });
  const now = deps.clock.now();
  const after: CaseRecord = { ...before, state: plan.toState, stateKind: plan.toKind, updatedAt: now, version: before.version + 1 };
  const payload: Record<string, unknown> = { action, fromState: before.state, toState: plan.toState };
  const from = workflow.states[before.state];
  const to = workflow.states[plan.toState];
  if (!from || !to) throw new Error(`Workflow ${workflow.channel}: unknown state in ${before.state} → ${plan.toState}`);
  const step = { action, before, after, from, to, now, params, payload };
  await checkWindows(deps, tx, step, options);
  if (params.organisationId) redirect(deps, before, after, params.organisationId, payload);
  if (params.reason) payload['reason'] = cleanText(deps, params.reason, 'reason');
  if (params.terminationReason) payload['terminationReason'] = params.terminationReason;
  if (params.unit?.trim()) payload['unit'] = cleanText(deps, params.unit, 'unit');
  if (params.outcome) after.outcome = payload['outcome'] = params.outcome;
  if (plan.toKind === 'closed' && before.stateKind !== 'closed') after.closedAt = now;
  if (plan.toKind !== 'closed') {
    after.closedAt = null;
    if (before.stateKind === 'closed') after.outcome = null;
  }
  const fulfilled = obligationsFulfilled(from, to);
  if (fulfilled.length > 0) {
    // A met deadline stays met: a later reopening does not restart a term that was kept.
    const met = await tx.meetOpenDeadlines(caseId, fulfilled, now);
    if (met.length > 0) payload['deadlinesMet'] = met.map((d) => ({ obligation: d.obligation, dueAt: d.dueAt.toISOString() }));
  }
  await applyClockEffects(deps, tx, step);
  const text = params.answer ?? params.message;
  let body: string | null = null;
  if (text) {
    body = cleanText(deps, text, 'message');
    payload['messageId'] = (await writeMessage(deps, tx, principal, after, body, 'dialog', now)).id;
  }
  await tx.updateCase(after);
  await tx.appendEvent({ caseId, type: plan.event, ...actorOf(principal), occurredAt: now, payload });
  // Not offered as "already reported" once its clock stopped (an aborted transaction only hides it early).
  if (to.clock === 'stopped') deps.similarCases?.close(caseId);
  // Steps the applicant took themselves need no notice, except a reopening: it tells them the new term.
  if (role !== 'applicant' || (from.clock === 'stopped' && to.clock !== 'stopped')) await tellApplicant(deps, tx, step, body);
  return after;
}

/** The notice of a step, when the applicant must hear of it (the extension's own notice is sent with it). */
async function tellApplicant(deps: WorkDeps, tx: CaseTransaction, step: ClockStep, body: string | null): Promise<void> {
  const { action, before, after, now, payload } = step;
  const facts = { reason: typeof payload['reason'] === 'string' ? payload['reason'] : undefined, message: body ?? undefined };
  if (action === 'redirect') {
    await noticeToApplicant(deps, tx, after, 'case_redirected', { ...facts, fromOrganisationName: organisationName(deps, before.organisationId, before.language) }, now);
  } else if (action === 'notify_hearing') {
    await noticeToApplicant(deps, tx, after, 'hearing_notice', { ...facts, hearingUntil: new Date(String(payload['hearingUntil'])) }, now);
  } else if (step.to.clock === 'paused' && step.from.clock !== 'paused') {
    await noticeToApplicant(deps, tx, after, 'documents_requested', { ...facts, respondBy: new Date(String(payload['respondBy'])) }, now);
  } else if (after.state === 'terminated' && before.state !== 'terminated') {
    await noticeToApplicant(deps, tx, after, 'case_terminated', { ...facts, terminationReason: String(payload['terminationReason'] ?? '') }, now);
  } else if (after.outcome && step.to.clock === 'stopped' && step.from.clock !== 'stopped') {
    await noticeToApplicant(deps, tx, after, 'case_answered', { ...facts, outcome: after.outcome }, now);
  } else if (step.from.clock === 'stopped' && step.to.clock !== 'stopped') {
    await noticeToApplicant(deps, tx, after, 'case_reopened', { ...facts, dueAt: after.dueAt }, now);
  }
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
