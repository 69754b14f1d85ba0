/**
 * The deadline worker's decisions, pure: when a deadline warns, when it is breached, and when it must be
 * looked at next. The worker only claims rows and writes what these functions decide.
 */
import type { StateKind } from '../model.ts';
import type { BusinessCalendar } from './calendar.ts';
import type { Obligation } from './terms.ts';

/**
 * pending → warned → met | breached for duties; pending → fired | met | cancelled for timers. A duty is
 * paused (and shifted on resuming) while the applicant completes the appeal.
 */
export const deadlineStates = ['pending', 'warned', 'paused', 'met', 'breached', 'fired', 'cancelled'] as const;
export type DeadlineState = (typeof deadlineStates)[number];

/** How a pause shifts a term: by the working days it lasted, or by the time it lasted (round-the-clock terms). */
export type Counting = 'working_days' | 'elapsed';

/** Duties of the body: warned at 75%, breached when missed, met by the step that fulfils them. */
export const DUTIES: readonly Obligation[] = ['answer', 'dispatch', 'first_contact', 'register', 'notify_extension'];
export const isDuty = (o: Obligation): boolean => DUTIES.includes(o);

/** Share of a term after which the executor and the head are warned. */
export const WARN_SHARE = 0.75;

export interface Deadline {
  id: number;
  caseId: string;
  obligation: Obligation;
  dueAt: Date;
  warnAt: Date;
  state: DeadlineState;
  warnedAt: Date | null;
  breachedAt: Date | null;
  metAt: Date | null;
  /** warnAt while pending, dueAt while warned, null once met or breached. */
  nextCheckAt: Date | null;
  createdAt: Date;
  counting: Counting;
  /** The due time before the first extension (the extension limit counts from it); null if never extended. */
  originalDueAt: Date | null;
  /** Set while paused. */
  pausedAt: Date | null;
}

/** warn and breach are a duty's; fire is a timer's. */
export type DeadlineDecision = 'warn' | 'breach' | 'fire' | null;

/** The warning moment: 75% of the way from receipt to the due time (never after the due time). */
export function warnAtFor(receivedAt: Date, dueAt: Date): Date {
  const from = receivedAt.getTime();
  const to = dueAt.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('invalid Date');
  if (to <= from) return new Date(to);
  return new Date(from + Math.floor(WARN_SHARE * (to - from)));
}

export const isOpen = (state: DeadlineState): boolean => state === 'pending' || state === 'warned';

/**
 * What a deadline needs now. Past due wins over the warning: a deadline found long overdue (after
 * downtime, a jumped clock) is breached once, with no warning first.
 */
export function decideDeadline(d: Pick<Deadline, 'state' | 'warnAt' | 'dueAt' | 'obligation'>, now: Date): DeadlineDecision {
  if (!isOpen(d.state)) return null;
  const t = now.getTime();
  const duty = isDuty(d.obligation);
  if (t >= d.dueAt.getTime()) return duty ? 'breach' : 'fire';
  if (duty && d.state === 'pending' && t >= d.warnAt.getTime()) return 'warn';
  return null;
}

/** When the worker must look at a deadline in this state again. */
export function nextCheckFor(state: DeadlineState, d: Pick<Deadline, 'warnAt' | 'dueAt'>): Date | null {
  switch (state) {
    case 'pending':
      return d.warnAt;
    case 'warned':
      return d.dueAt;
    default:
      return null;
  }
}

/** The deadline after a decision was applied at `now`. */
export function applyDecision(d: Deadline, decision: Exclude<DeadlineDecision, null>, now: Date): Deadline {
  if (decision === 'warn') return { ...d, state: 'warned', warnedAt: now, nextCheckAt: nextCheckFor('warned', d) };
  if (decision === 'fire') return { ...d, state: 'fired', nextCheckAt: null };
  return { ...d, state: 'breached', breachedAt: now, nextCheckAt: null };
}

/** A timer that is no longer needed (the case was reopened before its survey). */
export function cancelDeadline(d: Deadline): Deadline {
  return isOpen(d.state) ? { ...d, state: 'cancelled', nextCheckAt: null } : d;
}

/** Stops a running duty's clock while the applicant completes the appeal. */
export function pauseDeadline(d: Deadline, at: Date): Deadline {
  return isOpen(d.state) && isDuty(d.obligation) ? { ...d, state: 'paused', pausedAt: at, nextCheckAt: null } : d;
}

/**
 * Restarts a paused duty, its due time (and warning) moved on by the pause: the working days the pause
 * took for working-day terms (a pause within one day moves nothing), the time it took for the others.
 */
export function resumeDeadline(d: Deadline, at: Date, calendar: BusinessCalendar): Deadline {
  if (d.state !== 'paused' || !d.pausedAt) return d;
  let dueAt: Date;
  if (d.counting === 'working_days') {
    const days = Math.max(0, calendar.workingDaysBetween(calendar.localDate(d.pausedAt), calendar.localDate(at)));
    dueAt = days === 0 ? d.dueAt : calendar.workdayEndAt(calendar.addWorkingDays(calendar.localDate(d.dueAt), days));
  } else {
    dueAt = new Date(d.dueAt.getTime() + Math.max(0, at.getTime() - d.pausedAt.getTime()));
  }
  const warnAt = new Date(d.warnAt.getTime() + (dueAt.getTime() - d.dueAt.getTime()));
  const state: DeadlineState = d.warnedAt ? 'warned' : 'pending';
  return { ...d, state, dueAt, warnAt, pausedAt: null, nextCheckAt: nextCheckFor(state, { warnAt, dueAt }) };
}

/** The deadline once its obligation is fulfilled (the case reached a state whose clock is stopped). */
export function meetDeadline(d: Deadline, now: Date): Deadline {
  return isOpen(d.state) ? { ...d, state: 'met', metAt: now, nextCheckAt: null } : d;
}

/** Obligations that are the first step on a case: fulfilled once the case leaves its 'new' state. */
const FIRST_STEPS: readonly Obligation[] = ['register', 'dispatch', 'first_contact'];

/**
 * The obligations a workflow step fulfils. Every one when the case reaches a state whose clock is stopped
 * (answered, resolved, closed, withdrawn, terminated); the first steps (register, dispatch, first contact)
 * as soon as the case leaves a 'new' state (dispatched, in contact, in work). A redirect returns the case
 * to its initial state and fulfils nothing: the term keeps running.
 */
export function obligationsFulfilled(
  from: { kind: StateKind; clock: 'runs' | 'paused' | 'stopped' },
  to: { kind: StateKind; clock: 'runs' | 'paused' | 'stopped' },
): readonly Obligation[] {
  if (to.clock === 'stopped' && from.clock !== 'stopped') return DUTIES;
  if (from.kind === 'new' && to.kind !== 'new') return FIRST_STEPS;
  return [];
}

/** Whether a case in this state has already fulfilled the duty (the worker then only marks it met); timers never are. */
export function fulfilledIn(obligation: Obligation, state: { kind: StateKind; clock: 'runs' | 'paused' | 'stopped' }): boolean {
  if (!isDuty(obligation)) return false;
  return state.clock === 'stopped' || (FIRST_STEPS.includes(obligation) && state.kind !== 'new');
}
