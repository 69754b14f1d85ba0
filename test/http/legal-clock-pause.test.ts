/**
 * The legal clock while the body waits for the applicant (issue 4), over HTTP with literal dates:
 * request_documents pauses the answer term and sets the applicant's own deadline; providing the documents
 * resumes the term moved on by the working days the pause took; an applicant who never answers puts the
 * case back to work when their deadline lapses. With CLOCK_PAUSE_WHILE_AWAITING_APPLICANT=false the term
 * keeps running.
 *
 * Kazakhstan time is UTC+5; a working-day term ends 18:00 local = 13:00Z. 16 Dec 2026 is a holiday.
 * Every appeal is submitted on Wed 25 Nov 2026 at 10:00 local (05:00Z): its answer is due Thu 17 Dec 2026
 * 18:00 local (15 working days: Thu 26 Nov … Tue 15 Dec is 14, 16 Dec is Independence Day, 17 Dec the 15th).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { buildClockApp, harness, SOCIAL, type Citizen, type Staff } from '../support/legal-clock.ts';

const ORIGINAL_DUE = '2026-12-17T13:00:00.000Z';
const REQUEST = { message: 'Приложите справку о составе семьи.' };

describe('pausing the answer term while awaiting the applicant (the default)', () => {
  let t: TestApp;
  let citizen: Citizen;
  let head: Staff;
  let executor: Staff;
  const h = harness(() => t);
  const { act, ok, expectError, getCase, events, notifications, deadline, tickAt } = h;

  beforeAll(async () => {
    t = await buildClockApp();
    citizen = await h.citizen('+77015554201');
    head = await t.staff('head', SOCIAL);
    executor = await t.staff('executor', SOCIAL);
  });
  afterAll(async () => t.close());
  beforeEach(async () => h.startTest());

  /** An appeal in work since Wed 25 Nov 10:01 local. */
  async function inWork() {
    const a = await h.appeal(citizen.token);
    expect(a.dueAt).toBe(ORIGINAL_DUE);
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    return a;
  }

  it('pauses on Thu 26 Nov; the documents provided on Tue 1 Dec move the answer by 3 working days, to Tue 22 Dec', async () => {
    const a = await inWork();
    // Thu 26 Nov 10:00 local, the default of 5 working days: Fri 27 (1), Mon 30 (2), Tue 1 Dec (3), Wed 2 (4),
    // Thu 3 Dec (5) → 18:00 local on Thu 3 Dec = 13:00Z.
    const waiting = await ok(executor.token, a.caseId, 'request_documents', REQUEST, '2026-11-26T05:00:00.000Z');
    expect(waiting).toMatchObject({ state: 'awaiting_applicant', stateKind: 'waiting' });
    expect((await getCase(citizen.token, a.caseId)).deadlines).toEqual([
      { obligation: 'answer', dueAt: ORIGINAL_DUE, state: 'paused', originalDueAt: null, pausedAt: '2026-11-26T05:00:00.000Z' },
      { obligation: 'applicant_response', dueAt: '2026-12-03T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null },
    ]);
    expect((await events(head.token, a.caseId, 'case.documents_requested'))[0]?.payload).toMatchObject({
      respondBy: '2026-12-03T13:00:00.000Z',
      clockPaused: true,
    });
    const notices = await notifications(a.caseId, 'documents_requested');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipient_id: citizen.userId,
      language: 'ru',
      params: { registrationNumber: a.registrationNumber, respondBy: '2026-12-03 18:00', message: REQUEST.message },
    });

    // Tue 1 Dec 10:00 local. The pause took the working days Fri 27 Nov, Mon 30 Nov and Tue 1 Dec (3): the
    // answer moves from Thu 17 Dec by 3 working days: Fri 18, Mon 21, Tue 22 Dec → 18:00 local = 13:00Z.
    const resumed = await ok(citizen.token, a.caseId, 'provide_documents', { message: 'Справка приложена.' }, '2026-12-01T05:00:00.000Z');
    expect(resumed).toMatchObject({ state: 'in_work', dueAt: '2026-12-22T13:00:00.000Z' });
    expect((await getCase(head.token, a.caseId)).deadlines).toEqual([
      { obligation: 'answer', dueAt: '2026-12-22T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null },
      { obligation: 'applicant_response', dueAt: '2026-12-03T13:00:00.000Z', state: 'met', originalDueAt: null, pausedAt: null },
    ]);
    expect((await events(head.token, a.caseId, 'case.brought_into_compliance'))[0]?.payload).toMatchObject({
      deadlinesResumed: [{ obligation: 'answer', dueAt: '2026-12-22T13:00:00.000Z' }],
    });

    // The old due time no longer counts: Thu 17 Dec 18:00 local passes with no breach...
    await tickAt(ORIGINAL_DUE);
    expect(await deadline(a.caseId, 'answer')).toMatchObject({ breachedAt: null, dueAt: new Date('2026-12-22T13:00:00.000Z') });
    expect(await events(head.token, a.caseId, 'case.deadline_breached')).toEqual([]);
    // ...the new one does: Tue 22 Dec 18:00 local.
    await tickAt('2026-12-22T13:00:00.000Z');
    expect(await deadline(a.caseId, 'answer')).toMatchObject({ state: 'breached', breachedAt: new Date('2026-12-22T13:00:00.000Z') });
    expect((await events(head.token, a.caseId, 'case.deadline_breached'))[0]?.payload).toMatchObject({ obligation: 'answer', dueAt: '2026-12-22T13:00:00.000Z' });
  });

  it('puts the case back to work when the applicant never answers: at Thu 3 Dec 18:00 local, the answer moved by 5 working days to Thu 24 Dec', async () => {
    const a = await inWork();
    await ok(executor.token, a.caseId, 'request_documents', REQUEST, '2026-11-26T05:00:00.000Z');

    // Thu 3 Dec 17:59 local: the applicant still has a minute.
    await tickAt('2026-12-03T12:59:00.000Z');
    expect((await getCase(head.token, a.caseId)).state).toBe('awaiting_applicant');
    expect(await events(head.token, a.caseId, 'case.applicant_response_overdue')).toEqual([]);

    // Thu 3 Dec 18:00 local: the timer fires. The pause took Fri 27, Mon 30 Nov, Tue 1, Wed 2, Thu 3 Dec
    // (5 working days): 17 Dec + 5 working days = Fri 18, Mon 21, Tue 22, Wed 23, Thu 24 Dec → 13:00Z.
    await tickAt('2026-12-03T13:00:00.000Z');
    const overdue = await events(head.token, a.caseId, 'case.applicant_response_overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({
      actorRole: 'system',
      actorId: null,
      occurredAt: '2026-12-03T13:00:00.000Z',
      payload: {
        obligation: 'applicant_response',
        dueAt: '2026-12-03T13:00:00.000Z',
        fromState: 'awaiting_applicant',
        toState: 'in_work',
        deadlinesResumed: [{ obligation: 'answer', dueAt: '2026-12-24T13:00:00.000Z' }],
      },
    });
    const view = await getCase(head.token, a.caseId);
    expect(view).toMatchObject({ state: 'in_work', stateKind: 'open', dueAt: '2026-12-24T13:00:00.000Z' });
    expect(view.deadlines).toEqual([
      { obligation: 'answer', dueAt: '2026-12-24T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null },
      { obligation: 'applicant_response', dueAt: '2026-12-03T13:00:00.000Z', state: 'fired', originalDueAt: null, pausedAt: null },
    ]);
    // It fires once.
    await tickAt('2026-12-03T13:05:00.000Z');
    expect(await events(head.token, a.caseId, 'case.applicant_response_overdue')).toHaveLength(1);
  });

  it('takes an explicit respondBy only as a working day after today (400 ERR_RESPOND_BY_INVALID)', async () => {
    const a = await inWork();
    h.setClock('2026-11-26T05:00:00.000Z'); // Thu 26 Nov 10:00 local: "today" is 2026-11-26
    for (const respondBy of ['2026-11-20', '2026-11-26', '2026-11-28', '2026-11-29', '2026-12-16']) {
      // a past day, today, Saturday, Sunday, Independence Day
      const error = expectError(await act(executor.token, a.caseId, 'request_documents', { ...REQUEST, respondBy }), 400, 'ERR_RESPOND_BY_INVALID');
      expect(error.details).toEqual({ respondBy, today: '2026-11-26' });
    }
    const view = await getCase(head.token, a.caseId);
    expect(view.state).toBe('in_work');
    expect(view.deadlines).toEqual([{ obligation: 'answer', dueAt: ORIGINAL_DUE, state: 'pending', originalDueAt: null, pausedAt: null }]);
    expect(await notifications(a.caseId, 'documents_requested')).toEqual([]);

    // Fri 27 Nov, the next working day, is fine: 18:00 local = 13:00Z.
    await ok(executor.token, a.caseId, 'request_documents', { ...REQUEST, respondBy: '2026-11-27' });
    expect(await deadline(a.caseId, 'applicant_response')).toMatchObject({ dueAt: new Date('2026-11-27T13:00:00.000Z'), state: 'pending' });
  });

  it('breaches nothing while paused, even long past the original due time', async () => {
    const a = await inWork();
    // An explicit respondBy of Wed 20 Jan 2027 keeps the case waiting past Thu 17 Dec.
    await ok(executor.token, a.caseId, 'request_documents', { ...REQUEST, respondBy: '2027-01-20' }, '2026-11-26T05:00:00.000Z');
    expect(await deadline(a.caseId, 'applicant_response')).toMatchObject({ dueAt: new Date('2027-01-20T13:00:00.000Z'), state: 'pending' });

    await tickAt('2026-12-17T13:00:00.000Z');
    await tickAt('2026-12-18T05:00:00.000Z');
    await tickAt('2027-01-05T05:00:00.000Z');
    const view = await getCase(head.token, a.caseId);
    expect(view.state).toBe('awaiting_applicant');
    expect(view.deadlines?.[0]).toEqual({ obligation: 'answer', dueAt: ORIGINAL_DUE, state: 'paused', originalDueAt: null, pausedAt: '2026-11-26T05:00:00.000Z' });
    const clock = (await events(head.token, a.caseId)).filter((e) => e.type.startsWith('case.deadline_') || e.type === 'case.silence_refusal' || e.type === 'case.escalated');
    expect(clock).toEqual([]);
  });
});

describe('with CLOCK_PAUSE_WHILE_AWAITING_APPLICANT=false', () => {
  let t: TestApp;
  let citizen: Citizen;
  let head: Staff;
  let executor: Staff;
  const h = harness(() => t);
  const { ok, getCase, events, deadline, tickAt } = h;

  beforeAll(async () => {
    t = await buildClockApp({ CLOCK_PAUSE_WHILE_AWAITING_APPLICANT: 'false' });
    citizen = await h.citizen('+77015554202');
    head = await t.staff('head', SOCIAL);
    executor = await t.staff('executor', SOCIAL);
  });
  afterAll(async () => t.close());
  beforeEach(async () => h.startTest());

  it('keeps the answer term running: breached on Thu 17 Dec 18:00 local while the case still awaits the applicant', async () => {
    const a = await h.appeal(citizen.token, { complaintConsent: false });
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    await ok(executor.token, a.caseId, 'request_documents', { ...REQUEST, respondBy: '2027-01-20' }, '2026-11-26T05:00:00.000Z');
    expect((await events(head.token, a.caseId, 'case.documents_requested'))[0]?.payload).toMatchObject({ respondBy: '2027-01-20T13:00:00.000Z', clockPaused: false });
    expect((await getCase(head.token, a.caseId)).deadlines).toEqual([
      { obligation: 'answer', dueAt: ORIGINAL_DUE, state: 'pending', originalDueAt: null, pausedAt: null },
      { obligation: 'applicant_response', dueAt: '2027-01-20T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null },
    ]);

    await tickAt(ORIGINAL_DUE);
    expect(await deadline(a.caseId, 'answer')).toMatchObject({ state: 'breached', breachedAt: new Date(ORIGINAL_DUE) });
    expect((await events(head.token, a.caseId, 'case.deadline_breached'))[0]?.payload).toMatchObject({ obligation: 'answer', dueAt: ORIGINAL_DUE });
    expect((await getCase(head.token, a.caseId)).state).toBe('awaiting_applicant');
  });

  it('gives a providing applicant no extra time: the due time stays Thu 17 Dec', async () => {
    const a = await h.appeal(citizen.token);
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    await ok(executor.token, a.caseId, 'request_documents', REQUEST, '2026-11-26T05:00:00.000Z');
    const back = await ok(citizen.token, a.caseId, 'provide_documents', { message: 'Справка приложена.' }, '2026-12-01T05:00:00.000Z');
    expect(back).toMatchObject({ state: 'in_work', dueAt: ORIGINAL_DUE });
    expect(await deadline(a.caseId, 'answer')).toMatchObject({ state: 'pending', dueAt: new Date(ORIGINAL_DUE), pausedAt: null });
  });
});
