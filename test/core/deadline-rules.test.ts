import { describe, expect, it } from 'vitest';
import {
  applyDecision,
  decideDeadline,
  fulfilledIn,
  meetDeadline,
  nextCheckFor,
  obligationsFulfilled,
  warnAtFor,
  type Deadline,
} from '../../src/core/sla/deadline-rules.ts';

const HOUR = 3_600_000;
const received = new Date('2026-11-25T05:00:00Z');
const due = new Date('2026-11-29T05:00:00Z'); // 96 hours later
const warn = new Date('2026-11-28T05:00:00Z'); // 72 hours = 75%

function deadline(overrides: Partial<Deadline> = {}): Deadline {
  return {
    id: 1,
    caseId: '00000000-0000-4000-8000-000000000001',
    obligation: 'answer',
    dueAt: due,
    warnAt: warn,
    state: 'pending',
    warnedAt: null,
    breachedAt: null,
    metAt: null,
    nextCheckAt: warn,
    createdAt: received,
    counting: 'elapsed',
    originalDueAt: null,
    pausedAt: null,
    ...overrides,
  };
}

describe('warnAtFor', () => {
  it('is 75% of the way from receipt to the due time', () => {
    expect(warnAtFor(received, due)).toEqual(warn);
    expect(warnAtFor(new Date('2026-11-25T10:00:00Z'), new Date('2026-11-25T10:10:00Z'))).toEqual(new Date('2026-11-25T10:07:30Z'));
  });

  it('never falls after the due time, and refuses an invalid date', () => {
    expect(warnAtFor(due, received)).toEqual(received);
    expect(warnAtFor(due, due)).toEqual(due);
    expect(() => warnAtFor(new Date(Number.NaN), due)).toThrow(RangeError);
  });
});

describe('decideDeadline', () => {
  it('does nothing before the warning moment', () => {
    expect(decideDeadline(deadline(), new Date(warn.getTime() - 1))).toBeNull();
  });

  it('warns a pending deadline from 75% of its term, until it is due', () => {
    expect(decideDeadline(deadline(), warn)).toBe('warn');
    expect(decideDeadline(deadline(), new Date(due.getTime() - 1))).toBe('warn');
  });

  it('does not warn twice', () => {
    expect(decideDeadline(deadline({ state: 'warned', nextCheckAt: due }), new Date(warn.getTime() + HOUR))).toBeNull();
  });

  it('breaches at the due moment, warned or not', () => {
    expect(decideDeadline(deadline({ state: 'warned' }), due)).toBe('breach');
    expect(decideDeadline(deadline(), due)).toBe('breach');
  });

  it('catches up: a deadline found far past due goes straight to breach, with no warning', () => {
    expect(decideDeadline(deadline(), new Date(due.getTime() + 90 * 24 * HOUR))).toBe('breach');
  });

  it('never fires for a met or breached deadline', () => {
    const later = new Date(due.getTime() + 24 * HOUR);
    expect(decideDeadline(deadline({ state: 'met', nextCheckAt: null }), later)).toBeNull();
    expect(decideDeadline(deadline({ state: 'breached', nextCheckAt: null }), later)).toBeNull();
  });
});

describe('applying a decision', () => {
  const at = new Date('2026-11-28T06:00:00Z');

  it('a warning records when and moves the next check to the due time', () => {
    expect(applyDecision(deadline(), 'warn', at)).toMatchObject({ state: 'warned', warnedAt: at, nextCheckAt: due, breachedAt: null });
  });

  it('a breach records when and leaves nothing to check', () => {
    expect(applyDecision(deadline({ state: 'warned', warnedAt: warn }), 'breach', at)).toMatchObject({ state: 'breached', breachedAt: at, warnedAt: warn, nextCheckAt: null });
  });

  it('meeting closes an open deadline and leaves a finished one as it was', () => {
    expect(meetDeadline(deadline(), at)).toMatchObject({ state: 'met', metAt: at, nextCheckAt: null });
    const breached = deadline({ state: 'breached', breachedAt: due, nextCheckAt: null });
    expect(meetDeadline(breached, at)).toBe(breached);
  });

  it('schedules the next check by state', () => {
    expect(nextCheckFor('pending', deadline())).toEqual(warn);
    expect(nextCheckFor('warned', deadline())).toEqual(due);
    expect(nextCheckFor('met', deadline())).toBeNull();
    expect(nextCheckFor('breached', deadline())).toBeNull();
  });
});

describe('obligations fulfilled by a workflow step', () => {
  const newState = { kind: 'new', clock: 'runs' } as const;
  const open = { kind: 'open', clock: 'runs' } as const;
  const waiting = { kind: 'waiting', clock: 'paused' } as const;
  const closed = { kind: 'closed', clock: 'stopped' } as const;

  it('a stopped clock fulfils every duty of the body, and no timer (the survey comes after closing)', () => {
    const duties = ['answer', 'dispatch', 'first_contact', 'notify_extension', 'register'];
    expect([...obligationsFulfilled(open, closed)].sort()).toEqual(duties);
    expect([...obligationsFulfilled(newState, closed)].sort()).toEqual(duties);
    expect([...obligationsFulfilled(closed, closed)]).toEqual([]);
  });

  it('leaving the new state fulfils the first steps, not the answer', () => {
    expect([...obligationsFulfilled(newState, open)].sort()).toEqual(['dispatch', 'first_contact', 'register']);
  });

  it('a redirect, a request for documents or a reopening fulfils nothing', () => {
    expect(obligationsFulfilled(open, newState)).toEqual([]);
    expect(obligationsFulfilled(open, waiting)).toEqual([]);
    expect(obligationsFulfilled(waiting, open)).toEqual([]);
    expect(obligationsFulfilled(closed, open)).toEqual([]);
  });

  it('tells whether a state has already fulfilled an obligation', () => {
    expect(fulfilledIn('answer', closed)).toBe(true);
    expect(fulfilledIn('answer', open)).toBe(false);
    expect(fulfilledIn('dispatch', open)).toBe(true);
    expect(fulfilledIn('dispatch', newState)).toBe(false);
  });
});
