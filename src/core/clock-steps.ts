/**
 * The legal clock's part in a workflow step: the windows a step must fall in (redirect, hearing, "not
 * fixed") and what a step does to the case's deadlines (pause and resume, extension and its notice, the
 * applicant's own deadline, a new term on reopening, the four-week survey).
 */
import { DomainError } from './errors.ts';
import type { CaseRecord, Channel, Outcome, StateKind } from './model.ts';
import { noticeToApplicant, type NoticeDeps } from './notices.ts';
import type { CaseStore, CaseTransaction, LegalClock } from './ports.ts';
import { isIsoDate, type BusinessCalendar } from './sla/calendar.ts';
import { isDuty, isOpen, pauseDeadline, resumeDeadline, warnAtFor, type Deadline } from './sla/deadline-rules.ts';
import { planExtension } from './sla/extension.ts';
import type { Procedures } from './sla/procedures.ts';

export interface ClockStepDeps extends NoticeDeps {
  store: CaseStore;
  calendar: BusinessCalendar;
  procedures: Procedures;
  legalClock: LegalClock;
  /** Whether duties stop while the applicant completes the appeal (the law's default). */
  pauseWhileAwaitingApplicant: boolean;
}

type Clock = 'runs' | 'paused' | 'stopped';

/** A step as the clock sees it. */
export interface ClockStep {
  action: string;
  before: CaseRecord;
  after: CaseRecord;
  from: { kind: StateKind; clock: Clock };
  to: { kind: StateKind; clock: Clock };
  now: Date;
  params: { until?: string | undefined; respondBy?: string | undefined; reason?: string | undefined; outcome?: Outcome | undefined; proofAttachmentIds?: readonly string[] | undefined };
  /** The event payload being built; effects add their facts to it. */
  payload: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const iso = (d: Date): string => d.toISOString();

/** When the body's redirect window closes (null when the channel has none). */
export function redirectWindowClosesAt(deps: Pick<ClockStepDeps, 'calendar' | 'procedures'>, record: Pick<CaseRecord, 'channel' | 'registeredAt'>): Date | null {
  const days = deps.procedures[record.channel].redirectWithinWorkingDays;
  return days === undefined ? null : deps.calendar.dueAt(record.registeredAt, days);
}

/** Until when the applicant may say "not fixed" (null when the channel has no such right or the case is open). */
export function notFixedUntil(deps: Pick<ClockStepDeps, 'procedures'>, record: Pick<CaseRecord, 'channel' | 'closedAt'>): Date | null {
  const days = deps.procedures[record.channel].notFixedWithinDays;
  return days === undefined || !record.closedAt ? null : new Date(record.closedAt.getTime() + days * DAY_MS);
}

/** Refuses a step outside its legal window. `skipNotFixedWindow` is for the survey's own "not fixed". */
export async function checkWindows(deps: ClockStepDeps, tx: CaseTransaction, step: ClockStep, options: { skipNotFixedWindow?: boolean } = {}): Promise<void> {
  const { action, before, now } = step;
  const procedure = deps.procedures[before.channel];
  if (action === 'redirect') {
    const closesAt = redirectWindowClosesAt(deps, before);
    if (closesAt && now.getTime() > closesAt.getTime()) {
      throw new DomainError('ERR_REDIRECT_WINDOW_CLOSED', undefined, { closedAt: iso(closesAt), workingDays: procedure.redirectWithinWorkingDays });
    }
  }
  if (action === 'report_not_fixed' && !options.skipNotFixedWindow) {
    const until = notFixedUntil(deps, before);
    if (until && now.getTime() > until.getTime()) throw new DomainError('ERR_NOT_FIXED_WINDOW_CLOSED', undefined, { until: iso(until) });
  }
  if (step.params.outcome === 'refused' && step.to.clock === 'stopped' && procedure.hearingWorkingDays !== undefined) {
    const hearing = await tx.latestEvent(before.id, ['case.hearing_notified']);
    if (!hearing) throw new DomainError('ERR_HEARING_REQUIRED', undefined, { workingDays: procedure.hearingWorkingDays });
    const until = new Date(String(hearing.payload['hearingUntil']));
    if (now.getTime() < until.getTime()) throw new DomainError('ERR_HEARING_PERIOD_RUNNING', undefined, { until: iso(until) });
  }
  if (step.params.proofAttachmentIds?.length) await checkProof(deps, before.id, step.params.proofAttachmentIds, step.payload);
}

const PROOF_TYPES = /^(image\/|application\/pdf$)/;

async function checkProof(deps: ClockStepDeps, caseId: string, ids: readonly string[], payload: Record<string, unknown>): Promise<void> {
  for (const id of ids) {
    const attachment = await deps.store.attachment(caseId, id);
    // The applicant's own photo of the problem proves nothing about the fix.
    if (!attachment || attachment.uploaderRole === 'applicant' || !PROOF_TYPES.test(attachment.mediaType)) {
      throw new DomainError('ERR_PROOF_INVALID', undefined, { attachmentId: id });
    }
  }
  payload['proofAttachmentIds'] = [...new Set(ids)];
}

/** What the step does to the deadlines; may move the case's due time. */
export async function applyClockEffects(deps: ClockStepDeps, tx: CaseTransaction, step: ClockStep): Promise<void> {
  const { action, from, to } = step;
  if (action === 'extend') return extend(deps, tx, step);
  if (action === 'notify_hearing') return hearing(deps, step);
  if (to.clock === 'paused' && from.clock !== 'paused') return awaitApplicant(deps, tx, step);
  if (from.clock === 'paused' && to.clock === 'runs') {
    await resume(deps, tx, step);
    return;
  }
  if (from.clock === 'stopped' && to.clock !== 'stopped') return newTerm(deps, tx, step);
  if (to.clock === 'stopped' && from.clock !== 'stopped') return scheduleSurvey(deps, tx, step);
}

async function extend(deps: ClockStepDeps, tx: CaseTransaction, step: ClockStep): Promise<void> {
  const { before, after, now, payload } = step;
  const rule = deps.procedures[before.channel].extension;
  // The latest answer term, whatever its state: a breached one is too late to extend, not missing.
  const answer = (await tx.deadlinesOf(before.id)).filter((d) => d.obligation === 'answer').at(-1);
  if (!rule || !answer) throw new DomainError('ERR_EXTENSION_NOT_AVAILABLE', undefined, { channel: before.channel });
  const plan = planExtension(deps.calendar, answer, step.params.until ?? '', { now, registeredAt: before.registeredAt, maxMonths: rule.maxMonths });
  const state = answer.state === 'warned' && plan.warnAt.getTime() <= now.getTime() ? 'warned' : 'pending';
  await tx.saveDeadline({ ...answer, state, dueAt: plan.dueAt, warnAt: plan.warnAt, originalDueAt: plan.originalDueAt, nextCheckAt: state === 'warned' ? plan.dueAt : plan.warnAt });
  after.dueAt = plan.dueAt;
  Object.assign(payload, { fromDueAt: iso(answer.dueAt), toDueAt: iso(plan.dueAt), originalDueAt: iso(plan.originalDueAt), limit: plan.limit });
  if (!before.applicantId) return;
  // The applicant must be told within N working days; the outbox meets this duty when the notice goes out.
  const noticeDueAt = deps.calendar.dueAt(now, rule.noticeWithinWorkingDays);
  const notice = await tx.insertDeadline(before.id, { obligation: 'notify_extension', dueAt: noticeDueAt, warnAt: warnAtFor(now, noticeDueAt), counting: 'working_days' }, now);
  payload['noticeDueAt'] = iso(noticeDueAt);
  await noticeToApplicant(deps, tx, after, 'term_extended', { dueAt: plan.dueAt, reason: step.params.reason }, now, { fulfilsDeadlineId: notice.id });
}

function hearing(deps: ClockStepDeps, step: ClockStep): void {
  const days = deps.procedures[step.before.channel].hearingWorkingDays;
  if (days === undefined) throw new DomainError('ERR_ACTION_UNKNOWN', 'This channel has no hearing', { action: step.action });
  step.payload['hearingUntil'] = iso(deps.calendar.dueAt(step.now, days));
}

/** The applicant's deadline: the date given (a working day after today) or the procedure's default. */
function respondByOf(deps: ClockStepDeps, channel: Channel, now: Date, respondBy: string | undefined): Date {
  if (respondBy === undefined) return deps.calendar.dueAt(now, deps.procedures[channel].applicantResponseWorkingDays);
  const today = deps.calendar.localDate(now);
  if (!isIsoDate(respondBy) || respondBy <= today || !deps.calendar.isWorkingDay(respondBy)) {
    throw new DomainError('ERR_RESPOND_BY_INVALID', undefined, { respondBy, today });
  }
  // Not beyond what a notice can fairly ask: at most 60 working days.
  if (deps.calendar.workingDaysBetween(today, respondBy) > 60) throw new DomainError('ERR_RESPOND_BY_INVALID', 'At most 60 working days', { respondBy });
  return deps.calendar.workdayEndAt(respondBy);
}

async function awaitApplicant(deps: ClockStepDeps, tx: CaseTransaction, step: ClockStep): Promise<void> {
  const { before, now, payload } = step;
  const respondBy = respondByOf(deps, before.channel, now, step.params.respondBy);
  await tx.insertDeadline(before.id, { obligation: 'applicant_response', dueAt: respondBy, warnAt: respondBy, counting: 'working_days' }, now);
  payload['respondBy'] = iso(respondBy);
  payload['clockPaused'] = deps.pauseWhileAwaitingApplicant;
  if (deps.pauseWhileAwaitingApplicant) {
    for (const d of await tx.deadlinesOf(before.id)) {
      if (isOpen(d.state) && isDuty(d.obligation)) await tx.saveDeadline(pauseDeadline(d, now));
    }
  }
}

/**
 * Ends the wait for the applicant: their deadline is met (or, from the worker, lapsed) and paused duties
 * run again, moved on by the pause. Returns the resumed deadlines.
 */
export async function resume(deps: Pick<ClockStepDeps, 'calendar'>, tx: CaseTransaction, step: Pick<ClockStep, 'before' | 'after' | 'now' | 'payload'>): Promise<Deadline[]> {
  const { before, after, now, payload } = step;
  await tx.meetOpenDeadlines(before.id, ['applicant_response'], now);
  const resumed: Deadline[] = [];
  for (const d of await tx.deadlinesOf(before.id)) {
    if (d.state !== 'paused') continue;
    const r = resumeDeadline(d, now, deps.calendar);
    await tx.saveDeadline(r);
    resumed.push(r);
  }
  const answer = resumed.find((d) => d.obligation === 'answer') ?? resumed[0];
  if (answer) after.dueAt = answer.dueAt;
  if (resumed.length > 0) payload['deadlinesResumed'] = resumed.map((d) => ({ obligation: d.obligation, dueAt: iso(d.dueAt) }));
  return resumed;
}

/** A reopened case gets a new term, counted from now as at registration; a pending survey is dropped. */
async function newTerm(deps: ClockStepDeps, tx: CaseTransaction, step: ClockStep): Promise<void> {
  const { before, after, now, payload } = step;
  for (const d of await tx.deadlinesOf(before.id)) {
    if (d.obligation === 'survey' && isOpen(d.state)) await tx.saveDeadline({ ...d, state: 'cancelled', nextCheckAt: null });
  }
  const schedule = deps.legalClock.schedule({ ...before, receivedAt: now });
  if (!schedule.dueAt || !schedule.obligation) return;
  // Reopened work is an answer owed, whatever the first obligation of the channel was.
  await tx.insertDeadline(before.id, { obligation: 'answer', dueAt: schedule.dueAt, warnAt: warnAtFor(now, schedule.dueAt), counting: schedule.counting }, now);
  after.dueAt = schedule.dueAt;
  payload['dueAt'] = iso(schedule.dueAt);
}

/** "Is it fixed?" some weeks after a case with an applicant to ask was closed on its merits. */
async function scheduleSurvey(deps: ClockStepDeps, tx: CaseTransaction, step: ClockStep): Promise<void> {
  const days = deps.procedures[step.before.channel].surveyAfterDays;
  if (days === undefined || !step.before.applicantId || !step.after.outcome) return;
  const at = new Date(step.now.getTime() + days * DAY_MS);
  await tx.insertDeadline(step.before.id, { obligation: 'survey', dueAt: at, warnAt: at, counting: 'elapsed' }, step.now);
  step.payload['surveyAt'] = iso(at);
}
