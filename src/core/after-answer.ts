/**
 * What the applicant may do once the body has answered: rate the answer, complain about it to the higher
 * body (a new case with its own term, linked to this one and to the official who answered), and answer
 * the "is it fixed?" survey, where "no" reopens the case as "not fixed" does.
 */
import { applyAction, withWorkableCase, type WorkDeps } from './case-work.ts';
import { DomainError } from './errors.ts';
import { prepareRegistration, registrationEvent, toReceipt, type Receipt, type RegistrationDeps } from './intake.ts';
import type { CaseRecord } from './model.ts';
import { noticeToApplicant } from './notices.ts';
import type { CaseTransaction } from './ports.ts';
import { actorOf, type Principal } from './principal.ts';

/** The events that give an answer (or end the case without one): the official who did it is contested. */
const ANSWER_EVENTS = ['case.answered', 'case.resolved', 'case.resolved_on_first_contact', 'case.terminated'];

export type AfterAnswerDeps = WorkDeps & RegistrationDeps;

/** The signed-in applicant of the case, acting on their own case (a tracking code cannot complain or rate). */
async function withOwnCase<T>(deps: WorkDeps, principal: Principal, caseId: string, fn: (tx: CaseTransaction, record: CaseRecord, applicantId: string) => Promise<T>): Promise<T> {
  if (principal.type !== 'citizen') {
    throw new DomainError(principal.type === 'public' ? 'ERR_UNAUTHENTICATED' : 'ERR_FORBIDDEN', 'Only the applicant, signed in, may do this');
  }
  return withWorkableCase(deps, principal, caseId, (tx, record) => fn(tx, record, principal.userId));
}

const answered = (c: CaseRecord): boolean => c.stateKind === 'closed' && (c.outcome !== null || c.state === 'terminated');

function comment(deps: WorkDeps, text: string | undefined): string | null {
  if (text === undefined) return null;
  const clean = deps.normalise(text);
  if (clean.length > 2000) throw new DomainError('ERR_TEXT_TOO_LONG', undefined, { field: 'comment', maxChars: 2000 });
  return clean || null;
}

export interface Rating {
  caseId: string;
  score: number;
  comment: string | null;
  ratedAt: Date;
}

/** The applicant's 1–5 rating of the answer; a new rating replaces the old, both stay in the history. */
export async function rateAnswer(deps: WorkDeps, principal: Principal, caseId: string, input: { score: number; comment?: string | undefined }): Promise<Rating> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) throw new DomainError('ERR_VALIDATION', 'The score is 1 to 5', { score: input.score });
  return withOwnCase(deps, principal, caseId, async (tx, record, applicantId) => {
    if (!answered(record) || record.outcome === null) throw new DomainError('ERR_NOT_ANSWERED', undefined, { state: record.state });
    const now = deps.clock.now();
    const rating = { caseId, score: input.score, comment: comment(deps, input.comment), ratedAt: now };
    await tx.saveRating({ ...rating, applicantId });
    await tx.appendEvent({ caseId, type: 'case.rated', ...actorOf(principal), occurredAt: now, payload: { score: rating.score, comment: rating.comment } });
    return rating;
  });
}

/**
 * A complaint about the answer: registered as an appeal of kind complaint with the higher body of the
 * body that answered, about the same matter (so its term is the complaint's: 20 working days, 5 for a
 * public service), linked to this case and to the official who answered.
 */
export async function complainAboutAnswer(deps: AfterAnswerDeps, principal: Principal, caseId: string, input: { text: string }): Promise<Receipt> {
  return withOwnCase(deps, principal, caseId, async (tx, record) => {
    if (!deps.procedures[record.channel].complaintAboutAnswer) throw new DomainError('ERR_COMPLAINT_NOT_AVAILABLE', undefined, { channel: record.channel });
    if (!answered(record)) throw new DomainError('ERR_NOT_ANSWERED', undefined, { state: record.state });
    const higherBodyId = deps.reference.organisation(record.organisationId)?.higherBodyId;
    if (!higherBodyId) throw new DomainError('ERR_NO_HIGHER_BODY', undefined, { organisationId: record.organisationId });
    const text = deps.normalise(input.text);
    if (!text) throw new DomainError('ERR_TEXT_EMPTY', undefined, { field: 'text' });
    if (text.length > deps.textMaxChars) throw new DomainError('ERR_TEXT_TOO_LONG', undefined, { field: 'text', maxChars: deps.textMaxChars });
    const answer = await tx.latestEvent(record.id, ANSWER_EVENTS);
    const { record: complaint, deadline } = await prepareRegistration(deps, {
      channel: 'appeal',
      kind: 'complaint',
      category: record.category,
      urgency: 'normal',
      language: record.language,
      text,
      location: record.location,
      address: record.address,
      districtId: record.districtId,
      city: record.city,
      applicantId: record.applicantId,
      anonymous: false,
      organisationId: higherBodyId,
      confidential: record.confidential,
      triage: false,
      relatedCaseId: record.id,
      complaintConsent: record.complaintConsent,
      complaintAbout: 'answer',
      contestedOfficialId: answer?.actorId ?? null,
    });
    await tx.register({ record: complaint, trackingCodeHash: null, event: registrationEvent(actorOf(principal), complaint, 'answer_complaint', null), idempotency: null, deadline });
    const now = deps.clock.now();
    await tx.appendEvent({
      caseId,
      type: 'case.complaint_filed',
      ...actorOf(principal),
      occurredAt: now,
      payload: { complaintCaseId: complaint.id, complaintRegistrationNumber: complaint.registrationNumber, toOrganisationId: higherBodyId, contestedOfficialId: complaint.contestedOfficialId },
    });
    await noticeToApplicant(deps, tx, complaint, 'complaint_registered', { dueAt: complaint.dueAt, originalRegistrationNumber: record.registrationNumber }, now);
    return toReceipt(complaint);
  });
}

/** The applicant's answer to "is it fixed?"; "no" sends the case back to work whatever the "not fixed" window says. */
export async function answerSurvey(deps: WorkDeps, principal: Principal, caseId: string, input: { fixed: boolean; comment?: string | undefined }): Promise<CaseRecord> {
  return withOwnCase(deps, principal, caseId, async (tx, record) => {
    const last = await tx.latestEvent(caseId, ['case.survey_sent', 'case.survey_answered']);
    if (last?.type !== 'case.survey_sent') throw new DomainError('ERR_SURVEY_NOT_AVAILABLE');
    const now = deps.clock.now();
    const note = comment(deps, input.comment);
    await tx.appendEvent({ caseId, type: 'case.survey_answered', ...actorOf(principal), occurredAt: now, payload: { fixed: input.fixed, comment: note } });
    if (input.fixed || record.stateKind !== 'closed') return record;
    const reason = note ?? 'Not fixed (survey)';
    return applyAction(deps, tx, principal, record, 'report_not_fixed', { reason }, { skipNotFixedWindow: true });
  });
}
