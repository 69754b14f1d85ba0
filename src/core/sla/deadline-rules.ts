/**
 * The deadline worker's decisions, pure: when a deadline warns, when it is breached, and when it must be
 * looked at next. The worker only claims rows and writes what these functions decide.
 */
import type { StateKind } from '../model.ts';
import { obligationSchema, type Obligation } from './terms.ts';

export const deadlineStates = ['pending', 'warned', 'met', 'breached'] as const;
export type DeadlineState = (typeof deadlineStates)[number];

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
}

export type DeadlineDecision = 'warn' | 'breach' | null;

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
export function decideDeadline(d: Pick<Deadline, 'state' | 'warnAt' | 'dueAt'>, now: Date): DeadlineDecision {
  if (!isOpen(d.state)) return null;
  const t = now.getTime();
  if (t >= d.dueAt.getTime()) return 'breach';
  if (d.state === 'pending' && t >= d.warnAt.getTime()) return 'warn';
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
  return { ...d, state: 'breached', breachedAt: now, nextCheckAt: null };
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
  if (to.clock === 'stopped') return obligationSchema.options;
  if (from.kind === 'new' && to.kind !== 'new') return FIRST_STEPS;
  return [];
}

/** Whether a case in this state has already fulfilled the obligation (the worker then only marks it met). */
export function fulfilledIn(obligation: Obligation, state: { kind: StateKind; clock: 'runs' | 'paused' | 'stopped' }): boolean {
  return state.clock === 'stopped' || (FIRST_STEPS.includes(obligation) && state.kind !== 'new');
}
