/**
 * What happens when a deadline comes due: the warning at 75% of the term, the breach with its escalation
 * to the higher body, and silence = refusal (APPC art. 91(2)) with the complaint filed for the applicant.
 * Everything is written through the caller's transaction, the one that claimed the deadline, so a crash
 * half-way commits nothing and a retry fires nothing twice.
 */
import { channelPolicies } from './channels.ts';
import { prepareRegistration, registrationEvent, type CaseDraft, type RegistrationDeps } from './intake.ts';
import type { CaseRecord, Language, NewCaseEvent } from './model.ts';
import type { CaseTransaction, ReferenceData } from './ports.ts';
import { resume } from './clock-steps.ts';
import { noticeToApplicant, organisationName, type NoticeDeps } from './notices.ts';
import type { BusinessCalendar } from './sla/calendar.ts';
import { applyDecision, cancelDeadline, decideDeadline, fulfilledIn, meetDeadline, nextCheckFor, type Deadline } from './sla/deadline-rules.ts';
import { workflows } from './workflow/registry.ts';

/** The actor of what the legal clock does by itself. */
export const SYSTEM_ACTOR = { actorId: null, actorRole: 'system' } as const;

/** The category of a complaint about an official's or a body's conduct, silence included. */
export const SILENCE_COMPLAINT_CATEGORY = 'governance.officials';

export interface DeadlineDeps extends RegistrationDeps, NoticeDeps {
  reference: ReferenceData;
  calendar: BusinessCalendar;
}

export type DeadlineResult =
  /** The case is being changed by another transaction: left for the next tick. */
  | { type: 'busy' }
  /** Nothing was due after all (the row's next check was stale): rescheduled. */
  | { type: 'rescheduled' }
  /** The case had already fulfilled the obligation (e.g. rows written before the rule): met, nothing fires. */
  | { type: 'met' }
  | { type: 'warned' }
  /** A timer went off: the applicant's deadline lapsed (the clock runs again), or the survey was sent. */
  | { type: 'fired'; obligation: Deadline['obligation'] }
  /** A timer no longer needed (the applicant answered, the case was reopened). */
  | { type: 'cancelled' }
  | { type: 'breached'; escalatedTo: string | null; silenceRefusal: boolean; complaint: CaseRecord | null };

const event = (caseId: string, type: string, occurredAt: Date, payload: Record<string, unknown>): NewCaseEvent => ({
  caseId,
  type,
  ...SYSTEM_ACTOR,
  occurredAt,
  payload,
});

const COMPLAINT_TEXT: Record<Language, (registrationNumber: string) => string> = {
  kk: (n) =>
    `${n} өтінішіне белгіленген мерзімде жауап берілмеді. ӘРПК 91-бабының 2-тармағына сәйкес жауап бермеу бас тарту деп есептеледі; ` +
    'өтініш беруші осыған жоғары тұрған органға шағым береді.',
  ru: (n) =>
    `Обращение ${n} не получило ответа в установленный срок. В силу пункта 2 статьи 91 АППК молчание считается отказом; ` +
    'заявитель обжалует его в вышестоящий орган.',
  en: (n) =>
    `The appeal ${n} got no answer within its term. Under APPC art. 91(2) silence counts as a refusal; ` +
    'the applicant complains about it to the higher body.',
};

export const silenceComplaintText = (language: Language, registrationNumber: string): string => COMPLAINT_TEXT[language](registrationNumber);

/**
 * Files the applicant's complaint about silence to the higher body, through the same registration as every
 * door (its own 20-working-day deadline, registration number and event), inside the caller's transaction.
 */
export async function fileSilenceComplaint(deps: DeadlineDeps, tx: CaseTransaction, original: CaseRecord, higherBodyId: string): Promise<CaseRecord> {
  const draft: CaseDraft = {
    channel: original.channel,
    kind: 'complaint',
    category: SILENCE_COMPLAINT_CATEGORY,
    urgency: 'normal',
    language: original.language,
    text: silenceComplaintText(original.language, original.registrationNumber),
    location: null,
    address: null,
    districtId: original.districtId,
    city: original.city,
    applicantId: original.applicantId,
    anonymous: false,
    organisationId: higherBodyId,
    // A complaint about a confidential case stays as closed as the case.
    confidential: original.confidential,
    triage: false,
    relatedCaseId: original.id,
    complaintConsent: original.complaintConsent,
    complaintAbout: 'silence',
    contestedOfficialId: null,
  };
  const { record, deadline } = await prepareRegistration(deps, draft);
  await tx.register({ record, trackingCodeHash: null, event: registrationEvent(SYSTEM_ACTOR, record, 'silence_refusal', null), idempotency: null, deadline });
  return record;
}

/** Handles one claimed deadline at `now`: decides, then writes the deadline, its events and any complaint. */
export async function handleDueDeadline(deps: DeadlineDeps, tx: CaseTransaction, deadline: Deadline, now: Date): Promise<DeadlineResult> {
  const decision = decideDeadline(deadline, now);
  if (!decision) {
    await tx.saveDeadline({ ...deadline, nextCheckAt: nextCheckFor(deadline.state, deadline) });
    return { type: 'rescheduled' };
  }
  // SKIP LOCKED here too: an action holding the case (and about to meet this deadline) must not deadlock with us.
  const record = await tx.tryLockCase(deadline.caseId);
  if (!record) return { type: 'busy' };
  const state = workflows[record.channel].states[record.state];
  if (state && fulfilledIn(deadline.obligation, state)) {
    await tx.saveDeadline(meetDeadline(deadline, now));
    return { type: 'met' };
  }
  const dueAt = deadline.dueAt.toISOString();
  const common = { deadlineId: deadline.id, obligation: deadline.obligation, dueAt };
  if (decision === 'fire') return fireTimer(deps, tx, record, deadline, now);
  await tx.saveDeadline(applyDecision(deadline, decision, now));
  if (decision === 'warn') {
    await tx.appendEvent(event(record.id, 'case.deadline_warning', now, common));
    return { type: 'warned' };
  }
  await tx.appendEvent(event(record.id, 'case.deadline_breached', now, common));
  const escalatedTo = deps.reference.organisation(record.organisationId)?.higherBodyId ?? null;
  if (escalatedTo) {
    await tx.appendEvent(event(record.id, 'case.escalated', now, { ...common, fromOrganisationId: record.organisationId, toOrganisationId: escalatedTo }));
  }
  const silenceRefusal = deadline.obligation === 'answer' && channelPolicies[record.channel].silenceIsRefusal;
  if (!silenceRefusal) return { type: 'breached', escalatedTo, silenceRefusal, complaint: null };
  // Silence is a refusal in law whatever the applicant chose; consent only decides whether we complain for them.
  const complaint =
    record.complaintConsent && record.applicantId && escalatedTo ? await fileSilenceComplaint(deps, tx, record, escalatedTo) : null;
  if (complaint) {
    await noticeToApplicant(deps, tx, record, 'silence_complaint_filed', {
      complaintRegistrationNumber: complaint.registrationNumber,
      complaintOrganisationName: organisationName(deps, complaint.organisationId, record.language),
      dueAt: complaint.dueAt,
    }, now);
  }
  await tx.appendEvent(
    event(record.id, 'case.silence_refusal', now, {
      ...common,
      complaintConsent: record.complaintConsent,
      complaintCaseId: complaint?.id ?? null,
      complaintRegistrationNumber: complaint?.registrationNumber ?? null,
      toOrganisationId: complaint ? escalatedTo : null,
    }),
  );
  return { type: 'breached', escalatedTo, silenceRefusal, complaint };
}

/**
 * A timer going off. The applicant's deadline lapsing while the case still waits puts the case back to
 * work and restarts the paused terms (a body cannot stall by waiting for ever); the survey asks the
 * applicant whether the problem is really fixed. A timer whose moment has passed is cancelled.
 */
async function fireTimer(deps: DeadlineDeps, tx: CaseTransaction, record: CaseRecord, deadline: Deadline, now: Date): Promise<DeadlineResult> {
  const workflow = workflows[record.channel];
  const fired = applyDecision(deadline, 'fire', now);
  const common = { deadlineId: deadline.id, obligation: deadline.obligation, dueAt: deadline.dueAt.toISOString() };
  if (deadline.obligation === 'applicant_response' && workflow.states[record.state]?.clock === 'paused') {
    await tx.saveDeadline(fired);
    const asked = await tx.latestEvent(record.id, ['case.documents_requested']);
    const back = String(asked?.payload['fromState'] ?? workflow.initial);
    const state = workflow.states[back] ? back : workflow.initial;
    const after: CaseRecord = { ...record, state, stateKind: workflow.states[state]!.kind, updatedAt: now, version: record.version + 1 };
    const payload: Record<string, unknown> = { ...common, fromState: record.state, toState: state };
    await resume(deps, tx, { before: record, after, now, payload });
    await tx.updateCase(after);
    await tx.appendEvent(event(record.id, 'case.applicant_response_overdue', now, payload));
    return { type: 'fired', obligation: deadline.obligation };
  }
  if (deadline.obligation === 'survey' && record.stateKind === 'closed' && record.applicantId) {
    await tx.saveDeadline(fired);
    await noticeToApplicant(deps, tx, record, 'survey', {}, now);
    await tx.appendEvent(event(record.id, 'case.survey_sent', now, common));
    return { type: 'fired', obligation: deadline.obligation };
  }
  await tx.saveDeadline(cancelDeadline(deadline));
  return { type: 'cancelled' };
}
