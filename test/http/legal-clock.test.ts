/**
 * The legal clock of an appeal, over HTTP, with literal dates (issue 4): the redirect window, the head's
 * extension and the notice it owes, the hearing before a refusal, and the notices the applicant gets.
 * The pause while awaiting the applicant is in legal-clock-pause.test.ts; what the applicant may do after
 * the answer, and the city rules, in legal-clock-after-answer.test.ts.
 *
 * Kazakhstan time is UTC+5: a working-day term ends at 18:00 local = 13:00Z on its last working day. In
 * 2026 Wednesday 16 December (Independence Day) is a holiday (data/calendars/kz.json); 1 December is not.
 * Every test starts on Wednesday 25 November 2026 at 10:00 local (05:00Z).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runOutboxTick } from '../../src/jobs/outbox-worker.ts';
import type { TestApp } from '../support/app.ts';
import { png } from '../support/files.ts';
import { AKIMAT, buildClockApp, harness, LABOUR, LIGHTING, SOCIAL, type Citizen, type Staff } from '../support/legal-clock.ts';

let t: TestApp;
let citizen: Citizen;
let head: Staff;
let executor: Staff;
let registrar: Staff;
let lightingHead: Staff;
let lightingExecutor: Staff;

const h = harness(() => t);
const { act, ok, expectError, getCase, events, notifications, deadline, deadlines, tickAt, appeal } = h;

beforeAll(async () => {
  t = await buildClockApp();
  citizen = await h.citizen('+77015554101');
  head = await t.staff('head', SOCIAL);
  executor = await t.staff('executor', SOCIAL);
  registrar = await t.staff('registrar', SOCIAL);
  lightingHead = await t.staff('head', LIGHTING);
  lightingExecutor = await t.staff('executor', LIGHTING);
});
afterAll(async () => t.close());
beforeEach(async () => h.startTest());

const orgName = (id: string, language: 'kk' | 'ru' | 'en'): string => t.platform.reference.organisation(id)!.names[language];

describe('the redirect window: three working days after registration', () => {
  it('closes at 18:00 on the third working day, Mon 30 Nov 2026 (13:00Z): a minute before it redirects, a minute after it refuses', async () => {
    const early = await appeal(citizen.token);
    const late = await appeal(citizen.token);

    // Received Wed 25 Nov 10:00 local, a working day before 18:00: registered that day. Working days after
    // it: Thu 26 (1), Fri 27 (2), Mon 30 Nov (3) → 18:00 local on Mon 30 Nov = 2026-11-30T13:00Z.
    const view = await getCase(head.token, early.caseId);
    expect(view.windows).toEqual({ redirectUntil: '2026-11-30T13:00:00.000Z', notFixedUntil: null });
    expect((await getCase(citizen.token, late.caseId)).windows?.redirectUntil).toBe('2026-11-30T13:00:00.000Z');

    // Mon 30 Nov 17:59 local: still inside the window.
    const reason = 'Вопрос задолженности по заработной плате';
    const redirected = await ok(registrar.token, early.caseId, 'redirect', { organisationId: LABOUR, reason }, '2026-11-30T12:59:00.000Z');
    expect(redirected).toMatchObject({ state: 'registered', organisation: { id: LABOUR } });
    const [redirectEvent] = await events(citizen.token, early.caseId, 'case.redirected');
    expect(redirectEvent).toMatchObject({ occurredAt: '2026-11-30T12:59:00.000Z', payload: { fromOrganisationId: SOCIAL, toOrganisationId: LABOUR } });
    // The applicant is told where the appeal went, in the case's language.
    const notices = await notifications(early.caseId, 'case_redirected');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipient_id: citizen.userId,
      language: 'ru',
      state: 'pending',
      fulfils_deadline_id: null,
      params: { registrationNumber: early.registrationNumber, organisationName: orgName(LABOUR, 'ru'), fromOrganisationName: orgName(SOCIAL, 'ru'), reason },
    });

    // Mon 30 Nov 18:01 local: closed; the body must answer on the merits.
    const closed = expectError(await act(head.token, late.caseId, 'redirect', { organisationId: LABOUR, reason }, '2026-11-30T13:01:00.000Z'), 409, 'ERR_REDIRECT_WINDOW_CLOSED');
    expect(closed.details).toEqual({ closedAt: '2026-11-30T13:00:00.000Z', workingDays: 3 });
    expect(await getCase(head.token, late.caseId)).toMatchObject({ state: 'registered', organisation: { id: SOCIAL } });
    expect(await events(head.token, late.caseId, 'case.redirected')).toEqual([]);
    expect(await notifications(late.caseId, 'case_redirected')).toEqual([]);
  });
});

describe('extension of the answer term (action extend: the head, a reason and the new last day)', () => {
  const reason = 'Запрошены сведения в Государственном центре по выплате пенсий';

  it('moves the term to 18:00 on the new day, keeps the original due time, and allows up to original + 2 months', async () => {
    const a = await appeal(citizen.token);
    // 15 working days from Wed 25 Nov 2026: Thu 26 … Tue 15 Dec is 14, Wed 16 Dec is Independence Day,
    // Thu 17 Dec is the 15th → 18:00 local = 2026-12-17T13:00Z.
    expect(a.dueAt).toBe('2026-12-17T13:00:00.000Z');

    // The head decides on Wed 25 Nov at 10:01 local.
    const extended = await ok(head.token, a.caseId, 'extend', { reason, until: '2027-01-15' }, '2026-11-25T05:01:00.000Z');
    // Fri 15 Jan 2027 is a working day: 18:00 local = 13:00Z.
    expect(extended).toMatchObject({ state: 'registered', dueAt: '2027-01-15T13:00:00.000Z' });
    // The notice of the extension is owed within 3 working days of the decision (Wed 25 Nov): Thu 26, Fri 27,
    // Mon 30 Nov → 18:00 local on Mon 30 Nov = 13:00Z.
    expect((await getCase(head.token, a.caseId)).deadlines).toEqual([
      { obligation: 'answer', dueAt: '2027-01-15T13:00:00.000Z', state: 'pending', originalDueAt: '2026-12-17T13:00:00.000Z', pausedAt: null },
      { obligation: 'notify_extension', dueAt: '2026-11-30T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null },
    ]);
    const [first] = await events(head.token, a.caseId, 'case.term_extended');
    expect(first).toMatchObject({
      actorId: head.id,
      actorRole: 'head',
      // The limit: the original due day, 17 Dec 2026, plus two months = 17 Feb 2027.
      payload: {
        reason,
        fromDueAt: '2026-12-17T13:00:00.000Z',
        toDueAt: '2027-01-15T13:00:00.000Z',
        originalDueAt: '2026-12-17T13:00:00.000Z',
        limit: '2027-02-17',
        noticeDueAt: '2026-11-30T13:00:00.000Z',
      },
    });
    // The notice is an outbox row that, once delivered, fulfils the notify_extension deadline.
    const notice = await deadline(a.caseId, 'notify_extension');
    const notices = await notifications(a.caseId, 'term_extended');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipient_id: citizen.userId,
      language: 'ru',
      state: 'pending',
      fulfils_deadline_id: notice.id,
      params: { registrationNumber: a.registrationNumber, dueAt: '2027-01-15 18:00', reason },
    });

    // A second extension up to the limit itself, Wed 17 Feb 2027: allowed; the original stays 17 Dec.
    const again = await ok(head.token, a.caseId, 'extend', { reason, until: '2027-02-17' }, '2026-11-25T05:02:00.000Z');
    expect(again.dueAt).toBe('2027-02-17T13:00:00.000Z');
    const afterSecond = (await getCase(head.token, a.caseId)).deadlines!;
    expect(afterSecond.filter((d) => d.obligation === 'answer')).toEqual([
      { obligation: 'answer', dueAt: '2027-02-17T13:00:00.000Z', state: 'pending', originalDueAt: '2026-12-17T13:00:00.000Z', pausedAt: null },
    ]);
    expect(afterSecond.filter((d) => d.obligation === 'notify_extension').map((d) => d.dueAt)).toEqual(['2026-11-30T13:00:00.000Z', '2026-11-30T13:00:00.000Z']);
    expect((await events(head.token, a.caseId, 'case.term_extended'))[1]?.payload).toMatchObject({
      fromDueAt: '2027-01-15T13:00:00.000Z',
      toDueAt: '2027-02-17T13:00:00.000Z',
      originalDueAt: '2026-12-17T13:00:00.000Z',
      limit: '2027-02-17',
    });
    expect(await notifications(a.caseId, 'term_extended')).toHaveLength(2);

    // Thu 18 Feb 2027, a working day, is one day past the two months.
    const limit = expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2027-02-18' }), 422, 'ERR_EXTENSION_LIMIT');
    expect(limit.details).toEqual({ until: '2027-02-18', limit: '2027-02-17', originalDueAt: '2026-12-17T13:00:00.000Z', maxMonths: 2 });
    expect((await getCase(head.token, a.caseId)).dueAt).toBe('2027-02-17T13:00:00.000Z');
  });

  it('refuses a day off, a day not after the current due day, a role other than the head, a missing date, and a city case', async () => {
    const a = await appeal(citizen.token);
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');

    // Sat 16 Jan 2027 is a weekend day.
    const saturday = expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2027-01-16' }), 400, 'ERR_EXTENSION_DATE_INVALID');
    expect(saturday.details).toEqual({ until: '2027-01-16' });
    // Wed 16 Dec 2026 is Independence Day.
    expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2026-12-16' }), 400, 'ERR_EXTENSION_DATE_INVALID');
    // Tue 15 Dec 2026 is a working day, but before the current due day (Thu 17 Dec); 17 Dec itself moves nothing.
    const earlier = expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2026-12-15' }), 400, 'ERR_EXTENSION_DATE_INVALID');
    expect(earlier.details).toEqual({ until: '2026-12-15', dueAt: '2026-12-17T13:00:00.000Z' });
    expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2026-12-17' }), 400, 'ERR_EXTENSION_DATE_INVALID');

    expectError(await act(executor.token, a.caseId, 'extend', { reason, until: '2027-01-15' }), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    expectError(await act(registrar.token, a.caseId, 'extend', { reason, until: '2027-01-15' }), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    const noDate = expectError(await act(head.token, a.caseId, 'extend', { reason }), 400, 'ERR_ACTION_INPUT');
    expect(noDate.details).toMatchObject({ missing: ['until'] });
    const noReason = expectError(await act(head.token, a.caseId, 'extend', { until: '2027-01-15' }), 400, 'ERR_ACTION_INPUT');
    expect(noReason.details).toMatchObject({ missing: ['reason'] });
    expectError(await act(head.token, a.caseId, 'extend', { reason, until: '15.01.2027' }), 400, 'ERR_VALIDATION');

    // Nothing of it was written.
    const view = await getCase(head.token, a.caseId);
    expect(view.dueAt).toBe('2026-12-17T13:00:00.000Z');
    expect(view.deadlines).toEqual([{ obligation: 'answer', dueAt: '2026-12-17T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null }]);
    expect(await events(head.token, a.caseId, 'case.term_extended')).toEqual([]);
    expect(await notifications(a.caseId, 'term_extended')).toEqual([]);

    // A 109 city request has no extension in its workflow.
    const city = await h.cityCase(citizen.token);
    await ok(lightingExecutor.token, city.caseId, 'take_into_work');
    expectError(await act(lightingHead.token, city.caseId, 'extend', { reason, until: '2027-01-15' }), 400, 'ERR_ACTION_UNKNOWN');
  });

  it('breaches notify_extension at Mon 30 Nov 18:00 local when nothing delivers the notice, and escalates', async () => {
    const a = await appeal(citizen.token);
    await ok(head.token, a.caseId, 'extend', { reason, until: '2027-01-15' }, '2026-11-25T05:01:00.000Z');

    // Mon 30 Nov 17:59 local: only warned (75% of its term has passed), not breached.
    await tickAt('2026-11-30T12:59:00.000Z');
    expect(await deadline(a.caseId, 'notify_extension')).toMatchObject({ state: 'warned', breachedAt: null });
    expect(await events(head.token, a.caseId, 'case.deadline_breached')).toEqual([]);

    // Mon 30 Nov 18:00 local: the notice is still undelivered → breached, escalated to the akimat.
    await tickAt('2026-11-30T13:00:00.000Z');
    expect(await deadline(a.caseId, 'notify_extension')).toMatchObject({ state: 'breached', breachedAt: new Date('2026-11-30T13:00:00.000Z') });
    const breached = await events(head.token, a.caseId, 'case.deadline_breached');
    expect(breached).toHaveLength(1);
    expect(breached[0]).toMatchObject({ actorRole: 'system', payload: { obligation: 'notify_extension', dueAt: '2026-11-30T13:00:00.000Z' } });
    const escalated = await events(head.token, a.caseId, 'case.escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.payload).toMatchObject({ obligation: 'notify_extension', fromOrganisationId: SOCIAL, toOrganisationId: AKIMAT });
    // Not an answer missed: no refusal by silence, the extended answer term runs on.
    expect(await events(head.token, a.caseId, 'case.silence_refusal')).toEqual([]);
    expect(await deadline(a.caseId, 'answer')).toMatchObject({ state: 'pending', dueAt: new Date('2027-01-15T13:00:00.000Z') });
    expect((await notifications(a.caseId, 'term_extended'))[0]?.state).toBe('pending');
  });

  it('meets notify_extension when the outbox delivers the notice: nothing is breached', async () => {
    const a = await appeal(citizen.token);
    await ok(head.token, a.caseId, 'extend', { reason, until: '2027-01-15' }, '2026-11-25T05:01:00.000Z');
    const notice = await deadline(a.caseId, 'notify_extension');

    // The outbox worker runs on Thu 26 Nov 10:00 local (the log transport stands in for SMS outside production).
    h.setClock('2026-11-26T05:00:00.000Z');
    await runOutboxTick(t.platform.outbox);
    expect((await notifications(a.caseId, 'term_extended'))[0]).toMatchObject({ state: 'sent', fulfils_deadline_id: notice.id });
    expect(await deadline(a.caseId, 'notify_extension')).toMatchObject({ state: 'met', metAt: new Date('2026-11-26T05:00:00.000Z') });
    expect((await events(head.token, a.caseId, 'case.applicant_notified'))[0]?.payload).toMatchObject({ template: 'term_extended', deadlineId: notice.id, deadlineMet: true });

    await tickAt('2026-11-30T13:01:00.000Z');
    expect(await deadline(a.caseId, 'notify_extension')).toMatchObject({ state: 'met', breachedAt: null });
    expect(await events(head.token, a.caseId, 'case.deadline_breached')).toEqual([]);
    expect(await events(head.token, a.caseId, 'case.escalated')).toEqual([]);
  });

  it('refuses to extend a term that is over though the worker has not marked it yet (409 ERR_EXTENSION_TOO_LATE)', async () => {
    const a = await appeal(citizen.token, { complaintConsent: false });
    // Thu 17 Dec 18:01 local: the answer term (17 Dec 18:00 = 13:00Z) is over.
    const over = expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2027-01-15' }, '2026-12-17T13:01:00.000Z'), 409, 'ERR_EXTENSION_TOO_LATE');
    expect(over.details).toEqual({ dueAt: '2026-12-17T13:00:00.000Z', state: 'pending' });
    expect(await deadlines(a.caseId)).toHaveLength(1);
    expect(await notifications(a.caseId, 'term_extended')).toEqual([]);
  });

  it('refuses to extend a term the worker has already breached (409 ERR_EXTENSION_TOO_LATE)', async () => {
    const a = await appeal(citizen.token, { complaintConsent: false });
    await tickAt('2026-12-17T13:00:00.000Z');
    expect(await deadline(a.caseId, 'answer')).toMatchObject({ state: 'breached' });
    const breached = expectError(await act(head.token, a.caseId, 'extend', { reason, until: '2027-01-15' }, '2026-12-17T13:01:00.000Z'), 409, 'ERR_EXTENSION_TOO_LATE');
    expect(breached.details).toEqual({ dueAt: '2026-12-17T13:00:00.000Z', state: 'breached' });
    expect((await deadlines(a.caseId)).map((d) => [d.obligation, d.state])).toEqual([['answer', 'breached']]);
    expect(await notifications(a.caseId, 'term_extended')).toEqual([]);
  });
});

describe('the hearing before a refusal (three working days to comment)', () => {
  it('refuses without a hearing notice, then only after the hearing period ends on Mon 30 Nov 18:00 local', async () => {
    const a = await appeal(citizen.token);
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    const refusal = { outcome: 'refused', answer: 'Оснований для пересчёта пособия нет.' };

    const noHearing = expectError(await act(executor.token, a.caseId, 'answer', refusal), 409, 'ERR_HEARING_REQUIRED');
    expect(noHearing.details).toEqual({ workingDays: 3 });

    const message = 'Предварительное решение: оснований для пересчёта нет. Вы можете представить возражения.';
    await ok(executor.token, a.caseId, 'notify_hearing', { message }, '2026-11-25T05:03:00.000Z');
    // Notified Wed 25 Nov 10:03 local: Thu 26, Fri 27, Mon 30 Nov → 18:00 local on Mon 30 Nov = 13:00Z.
    const [notified] = await events(head.token, a.caseId, 'case.hearing_notified');
    expect(notified).toMatchObject({ actorId: executor.id, payload: { hearingUntil: '2026-11-30T13:00:00.000Z' } });
    const notices = await notifications(a.caseId, 'hearing_notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipient_id: citizen.userId, language: 'ru', params: { registrationNumber: a.registrationNumber, hearingUntil: '2026-11-30 18:00', message } });

    // Mon 30 Nov 17:00 local: the applicant may still comment.
    const running = expectError(await act(executor.token, a.caseId, 'answer', refusal, '2026-11-30T12:00:00.000Z'), 409, 'ERR_HEARING_PERIOD_RUNNING');
    expect(running.details).toEqual({ until: '2026-11-30T13:00:00.000Z' });
    expect((await getCase(head.token, a.caseId)).state).toBe('in_work');

    // Tue 1 Dec 10:00 local: the period is over.
    const refused = await ok(executor.token, a.caseId, 'answer', refusal, '2026-12-01T05:00:00.000Z');
    expect(refused).toMatchObject({ state: 'answered', outcome: 'refused', closedAt: '2026-12-01T05:00:00.000Z' });
  });

  it('needs no hearing to explain or to satisfy', async () => {
    for (const outcome of ['explained', 'satisfied']) {
      const a = await appeal(citizen.token);
      await ok(executor.token, a.caseId, 'take_into_work');
      const answered = await ok(executor.token, a.caseId, 'answer', { outcome, answer: 'Пособие пересчитано.' });
      expect(answered).toMatchObject({ state: 'answered', outcome });
      expect(await events(head.token, a.caseId, 'case.hearing_notified')).toEqual([]);
    }
  });
});

describe('reopening an answered appeal', () => {
  it('starts a new 15-working-day term from the reopening: reopened Thu 3 Dec 10:00 local → due Fri 25 Dec 18:00 local', async () => {
    const controller = await t.staff('controller', SOCIAL);
    const a = await appeal(citizen.token);
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    await ok(executor.token, a.caseId, 'answer', { outcome: 'explained', answer: 'Пособие начислено верно.' }, '2026-11-25T05:02:00.000Z');

    // Working days after Thu 3 Dec: Fri 4 (1), Mon 7 … Fri 11 (6), Mon 14 (7), Tue 15 (8), Wed 16 is
    // Independence Day, Thu 17 (9), Fri 18 (10), Mon 21 … Fri 25 Dec (15) → 18:00 local = 13:00Z.
    const reopened = await ok(controller.token, a.caseId, 'reopen', { reason: 'Ответ неполный: нет расчёта' }, '2026-12-03T05:00:00.000Z');
    expect(reopened).toMatchObject({ state: 'in_work', dueAt: '2026-12-25T13:00:00.000Z' });
    expect((await getCase(head.token, a.caseId)).deadlines).toEqual([
      { obligation: 'answer', dueAt: '2026-12-17T13:00:00.000Z', state: 'met', originalDueAt: null, pausedAt: null },
      { obligation: 'answer', dueAt: '2026-12-25T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null },
    ]);
    const notices = await notifications(a.caseId, 'case_reopened');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipient_id: citizen.userId, language: 'ru', params: { registrationNumber: a.registrationNumber, dueAt: '2026-12-25 18:00' } });
  });
});

describe('notices to the applicant', () => {
  it('tells of a termination and of an answer, with the registration number, in the case\'s language', async () => {
    const kk = await appeal(citizen.token, { language: 'kk', text: 'Қазан айындағы балаға арналған жәрдемақыны қайта есептеуді сұраймын' });
    await ok(head.token, kk.caseId, 'terminate', { terminationReason: 'repeat_without_new_arguments' });
    const terminated = await notifications(kk.caseId);
    expect(terminated.map((n) => n.template)).toEqual(['case_terminated']);
    expect(terminated[0]).toMatchObject({
      recipient_id: citizen.userId,
      language: 'kk',
      fulfils_deadline_id: null,
      params: { registrationNumber: kk.registrationNumber, organisationName: orgName(SOCIAL, 'kk'), terminationReason: 'repeat_without_new_arguments' },
    });

    const ru = await appeal(citizen.token);
    await ok(executor.token, ru.caseId, 'take_into_work');
    const answer = 'Пособие пересчитано, разница будет выплачена в декабре.';
    await ok(executor.token, ru.caseId, 'answer', { outcome: 'satisfied', answer });
    const answered = await notifications(ru.caseId);
    expect(answered.map((n) => n.template)).toEqual(['case_answered']);
    expect(answered[0]).toMatchObject({
      recipient_id: citizen.userId,
      language: 'ru',
      params: { registrationNumber: ru.registrationNumber, organisationName: orgName(SOCIAL, 'ru'), outcome: 'satisfied', message: answer },
    });
  });

  it('writes no notice for an anonymous city request: there is nobody to tell', async () => {
    const city = await h.cityCase();
    await ok(lightingExecutor.token, city.caseId, 'take_into_work');
    const proof = await h.uploaded(lightingExecutor.token, city.caseId, 'after.png', png(0x30));
    await ok(lightingExecutor.token, city.caseId, 'resolve', { outcome: 'satisfied', answer: 'Фонари заменены.', proofAttachmentIds: [proof] });
    await ok(lightingHead.token, city.caseId, 'reopen', { reason: 'Проверка: один фонарь не горит' });
    await ok(lightingExecutor.token, city.caseId, 'resolve', { outcome: 'satisfied', answer: 'Заменён и последний фонарь.', proofAttachmentIds: [proof] });
    expect((await getCase(lightingHead.token, city.caseId)).state).toBe('resolved');
    expect(await notifications(city.caseId)).toEqual([]);
    // Nor a survey: nobody to ask.
    expect((await deadlines(city.caseId)).map((d) => d.obligation)).not.toContain('survey');
  });
});
