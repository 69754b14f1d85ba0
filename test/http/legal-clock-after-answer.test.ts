/**
 * After the answer (issue 4), over HTTP with literal dates: the applicant's rating, the complaint about
 * the answer to the higher body, and the city rules: proof before resolving, "not fixed" within 7 days,
 * and the "is it fixed?" survey 28 days after closing.
 *
 * Kazakhstan time is UTC+5; a working-day term ends 18:00 local = 13:00Z. 16 Dec 2026 is a holiday.
 * Every test starts on Wednesday 25 November 2026 at 10:00 local (05:00Z).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp } from '../support/app.ts';
import { png } from '../support/files.ts';
import { AKIMAT, buildClockApp, harness, LIGHTING, SOCIAL, type CaseView, type Citizen, type Staff } from '../support/legal-clock.ts';

let t: TestApp;
let citizen: Citizen;
let otherCitizen: Citizen;
let head: Staff;
let executor: Staff;
let lightingExecutor: Staff;
let lightingDispatcher: Staff;
let lightingHead: Staff;
let lightingController: Staff;

const h = harness(() => t);
const { act, ok, expectError, getCase, events, notifications, deadlines, tickAt, setClock } = h;

beforeAll(async () => {
  t = await buildClockApp();
  citizen = await h.citizen('+77015554301');
  otherCitizen = await h.citizen('+77015554302');
  head = await t.staff('head', SOCIAL);
  executor = await t.staff('executor', SOCIAL);
  lightingExecutor = await t.staff('executor', LIGHTING);
  lightingDispatcher = await t.staff('dispatcher', LIGHTING);
  lightingHead = await t.staff('head', LIGHTING);
  lightingController = await t.staff('controller', LIGHTING);
});
afterAll(async () => t.close());
beforeEach(async () => h.startTest());

const count = async (sql: string, params: unknown[]): Promise<number> => Number((await t.platform.db.query<{ n: number }>(sql, params)).rows[0]!.n);

/** An appeal answered ('explained') by the social department's executor on Wed 25 Nov 10:02 local. */
async function answeredAppeal() {
  const a = await h.appeal(citizen.token);
  await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
  await ok(executor.token, a.caseId, 'answer', { outcome: 'explained', answer: 'Пособие начислено верно, расчёт приложен.' }, '2026-11-25T05:02:00.000Z');
  return a;
}

describe('the rating of the answer (PUT /cases/:id/rating)', () => {
  const rate = (caseId: string, body: Record<string, unknown>, token?: string): Promise<LightMyRequestResponse> =>
    t.request({ method: 'PUT', url: `/api/v1/cases/${caseId}/rating`, headers: token ? bearer(token) : {}, payload: body });

  it('takes a score once the case is answered; a new rating replaces the old one, both stay in the timeline', async () => {
    const a = await h.appeal(citizen.token);
    const early = expectError(await rate(a.caseId, { score: 4 }, citizen.token), 409, 'ERR_NOT_ANSWERED');
    expect(early.details).toEqual({ state: 'registered' });
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    expectError(await rate(a.caseId, { score: 4 }, citizen.token), 409, 'ERR_NOT_ANSWERED');
    await ok(executor.token, a.caseId, 'answer', { outcome: 'explained', answer: 'Пособие начислено верно.' }, '2026-11-25T05:02:00.000Z');

    setClock('2026-11-26T05:00:00.000Z');
    const first = await rate(a.caseId, { score: 2, comment: 'Ответ формальный' }, citizen.token);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ caseId: a.caseId, score: 2, comment: 'Ответ формальный', ratedAt: '2026-11-26T05:00:00.000Z' });

    setClock('2026-11-27T05:00:00.000Z');
    const second = await rate(a.caseId, { score: 5 }, citizen.token);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toEqual({ caseId: a.caseId, score: 5, comment: null, ratedAt: '2026-11-27T05:00:00.000Z' });

    const { rows } = await t.platform.db.query<{ score: number; comment: string | null; applicant_id: string; rated_at: Date }>(
      'SELECT score, comment, applicant_id::text AS applicant_id, rated_at FROM case_ratings WHERE case_id = $1',
      [a.caseId],
    );
    expect(rows).toEqual([{ score: 5, comment: null, applicant_id: citizen.userId, rated_at: new Date('2026-11-27T05:00:00.000Z') }]);
    const rated = await events(head.token, a.caseId, 'case.rated');
    expect(rated.map((e) => [e.actorRole, e.actorId, e.payload, e.occurredAt])).toEqual([
      ['applicant', citizen.userId, { score: 2, comment: 'Ответ формальный' }, '2026-11-26T05:00:00.000Z'],
      ['applicant', citizen.userId, { score: 5, comment: null }, '2026-11-27T05:00:00.000Z'],
    ]);
  });

  it('refuses a score outside 1–5 (400), staff (403), another citizen (404) and nobody signed in (401)', async () => {
    const a = await answeredAppeal();
    for (const score of [0, 6, 2.5]) expectError(await rate(a.caseId, { score }, citizen.token), 400, 'ERR_VALIDATION');
    expectError(await rate(a.caseId, { score: 5 }, head.token), 403, 'ERR_FORBIDDEN');
    expectError(await rate(a.caseId, { score: 5 }, executor.token), 403, 'ERR_FORBIDDEN');
    expectError(await rate(a.caseId, { score: 1 }, otherCitizen.token), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await rate(a.caseId, { score: 1 }), 401, 'ERR_UNAUTHENTICATED');
    expect(await count('SELECT count(*)::int AS n FROM case_ratings WHERE case_id = $1', [a.caseId])).toBe(0);
    expect(await events(head.token, a.caseId, 'case.rated')).toEqual([]);
  });
});

describe('the complaint about the answer (POST /cases/:id/complaints)', () => {
  const complain = (caseId: string, body: Record<string, unknown>, token: string): Promise<LightMyRequestResponse> =>
    t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/complaints`, headers: bearer(token), payload: body });
  const text = 'Не согласен с ответом: пособие рассчитано без учёта третьего ребёнка.';

  it('registers a complaint with the higher body, 20 working days to answer, linked to the case and to the official who answered', async () => {
    const a = await h.appeal(citizen.token);
    const early = expectError(await complain(a.caseId, { text }, citizen.token), 409, 'ERR_NOT_ANSWERED');
    expect(early.details).toEqual({ state: 'registered' });
    await ok(executor.token, a.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    await ok(executor.token, a.caseId, 'answer', { outcome: 'explained', answer: 'Пособие начислено верно.' }, '2026-11-25T05:02:00.000Z');

    // Filed Wed 25 Nov 10:03 local, a working day before 18:00: registered that day. 20 working days:
    // Thu 26 Nov … Tue 15 Dec is 14, 16 Dec is Independence Day, Thu 17 (15), Fri 18 (16), Mon 21 (17),
    // Tue 22 (18), Wed 23 (19), Thu 24 Dec (20) → 18:00 local on Thu 24 Dec 2026 = 13:00Z.
    setClock('2026-11-25T05:03:00.000Z');
    const res = await complain(a.caseId, { text }, citizen.token);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json<{ caseId: string; registrationNumber: string; channel: string; category: string; organisation: { id: string }; state: string; receivedAt: string; registeredAt: string; dueAt: string; anonymous: boolean }>();
    expect(receipt).toMatchObject({
      channel: 'appeal',
      category: 'social.benefits',
      organisation: { id: AKIMAT },
      state: 'registered',
      receivedAt: '2026-11-25T05:03:00.000Z',
      registeredAt: '2026-11-25T05:03:00.000Z',
      dueAt: '2026-12-24T13:00:00.000Z',
      anonymous: false,
    });
    expect(receipt.registrationNumber).toMatch(/^ЖТ-2026-\d{8}$/);
    expect(receipt.registrationNumber).not.toBe(a.registrationNumber);

    const { rows } = await t.platform.db.query<{ kind: string; organisation_id: string; related_case_id: string; complaint_about: string; contested_official_id: string; applicant_id: string }>(
      'SELECT kind, organisation_id, related_case_id::text AS related_case_id, complaint_about, contested_official_id::text AS contested_official_id, applicant_id::text AS applicant_id FROM cases WHERE id = $1',
      [receipt.caseId],
    );
    expect(rows).toEqual([
      { kind: 'complaint', organisation_id: AKIMAT, related_case_id: a.caseId, complaint_about: 'answer', contested_official_id: executor.id, applicant_id: citizen.userId },
    ]);
    const complaint = await getCase(citizen.token, receipt.caseId);
    expect(complaint).toMatchObject({ kind: 'complaint', relatedCaseId: a.caseId, complaintAbout: 'answer', dueAt: '2026-12-24T13:00:00.000Z' });
    expect(complaint.deadlines).toEqual([{ obligation: 'answer', dueAt: '2026-12-24T13:00:00.000Z', state: 'pending', originalDueAt: null, pausedAt: null }]);

    const filed = await events(citizen.token, a.caseId, 'case.complaint_filed');
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({
      actorRole: 'applicant',
      actorId: citizen.userId,
      occurredAt: '2026-11-25T05:03:00.000Z',
      payload: { complaintCaseId: receipt.caseId, complaintRegistrationNumber: receipt.registrationNumber, toOrganisationId: AKIMAT, contestedOfficialId: executor.id },
    });

    // One complaint at a time about the same answer.
    expectError(await complain(a.caseId, { text: 'Повторно прошу пересмотреть.' }, citizen.token), 409, 'ERR_COMPLAINT_EXISTS');
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE related_case_id = $1', [a.caseId])).toBe(1);
  });

  it('refuses an empty complaint (400) and writes nothing', async () => {
    const a = await answeredAppeal();
    expectError(await complain(a.caseId, { text: '' }, citizen.token), 400, 'ERR_VALIDATION');
    expectError(await complain(a.caseId, { text: ' \u200b ' }, citizen.token), 400, 'ERR_TEXT_EMPTY');
    expectError(await complain(a.caseId, {}, citizen.token), 400, 'ERR_VALIDATION');
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE related_case_id = $1', [a.caseId])).toBe(0);
    expect(await events(head.token, a.caseId, 'case.complaint_filed')).toEqual([]);
  });
});

describe('city requests: proof, "not fixed" and the survey', () => {
  const fixed = { outcome: 'satisfied', answer: 'Фонари во дворе заменены, освещение восстановлено.' };

  /** A signed-in citizen's 109 request, in work, resolved with staff proof on Wed 25 Nov 11:00 local (06:00Z). */
  async function resolvedCity(): Promise<{ caseId: string; registrationNumber: string; proof: string }> {
    const c = await h.cityCase(citizen.token);
    await ok(lightingExecutor.token, c.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');
    const proof = await h.uploaded(lightingExecutor.token, c.caseId, 'after.png', png(0x20));
    await ok(lightingExecutor.token, c.caseId, 'resolve', { ...fixed, proofAttachmentIds: [proof] }, '2026-11-25T06:00:00.000Z');
    return { caseId: c.caseId, registrationNumber: c.registrationNumber, proof };
  }

  const survey = (caseId: string, body: Record<string, unknown>, token = citizen.token): Promise<LightMyRequestResponse> =>
    t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/survey`, headers: bearer(token), payload: body });

  it('resolves only with proof uploaded by staff; schedules the survey 28 days after (Wed 23 Dec 11:00 local)', async () => {
    const c = await h.cityCase(citizen.token);
    await ok(lightingExecutor.token, c.caseId, 'take_into_work', {}, '2026-11-25T05:01:00.000Z');

    const none = expectError(await act(lightingExecutor.token, c.caseId, 'resolve', fixed), 422, 'ERR_PROOF_REQUIRED');
    expect(none.details).toEqual({ action: 'resolve' });
    // The applicant's own photo of the dark yard proves nothing about the fix.
    const own = await h.uploaded(citizen.token, c.caseId, 'dark-yard.png', png(0x10));
    const applicants = expectError(await act(lightingExecutor.token, c.caseId, 'resolve', { ...fixed, proofAttachmentIds: [own] }), 400, 'ERR_PROOF_INVALID');
    expect(applicants.details).toEqual({ attachmentId: own });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = expectError(await act(lightingExecutor.token, c.caseId, 'resolve', { ...fixed, proofAttachmentIds: [unknown] }), 400, 'ERR_PROOF_INVALID');
    expect(missing.details).toEqual({ attachmentId: unknown });
    expect((await getCase(lightingHead.token, c.caseId)).state).toBe('in_work');

    const proof = await h.uploaded(lightingExecutor.token, c.caseId, 'after.png', png(0x20));
    const resolved = await ok(lightingExecutor.token, c.caseId, 'resolve', { ...fixed, proofAttachmentIds: [proof] }, '2026-11-25T06:00:00.000Z');
    expect(resolved).toMatchObject({ state: 'resolved', stateKind: 'closed', outcome: 'satisfied', closedAt: '2026-11-25T06:00:00.000Z' });
    // 28 days × 24 h after closing: Wed 23 Dec 2026 06:00Z (11:00 local). "Not fixed" may be said for 7 days:
    // until Wed 2 Dec 06:00Z.
    expect((await events(lightingHead.token, c.caseId, 'case.resolved'))[0]?.payload).toMatchObject({ proofAttachmentIds: [proof], surveyAt: '2026-12-23T06:00:00.000Z' });
    const view = await getCase(citizen.token, c.caseId);
    expect(view.windows).toEqual({ redirectUntil: null, notFixedUntil: '2026-12-02T06:00:00.000Z' });
    expect(view.deadlines?.map((d) => [d.obligation, d.state, d.dueAt])).toEqual([
      // 72 hours from Wed 25 Nov 05:00Z: met by the resolution.
      ['answer', 'met', '2026-11-28T05:00:00.000Z'],
      ['survey', 'pending', '2026-12-23T06:00:00.000Z'],
    ]);
    expect((await notifications(c.caseId, 'case_answered'))[0]).toMatchObject({ recipient_id: citizen.userId, params: { registrationNumber: c.registrationNumber, outcome: 'satisfied' } });
  });

  it('resolves on the first contact only as explained or refused (400 ERR_OUTCOME_NOT_ALLOWED for satisfied)', async () => {
    const c = await h.cityCase(citizen.token);
    const answer = 'Освещение двора обслуживает управляющая компания, обратитесь к ней.';
    const satisfied = expectError(await act(lightingDispatcher.token, c.caseId, 'resolve_on_first_contact', { outcome: 'satisfied', answer }), 400, 'ERR_OUTCOME_NOT_ALLOWED');
    expect(satisfied.details).toEqual({ action: 'resolve_on_first_contact', outcome: 'satisfied', allowed: ['explained', 'refused'] });
    expect((await getCase(lightingHead.token, c.caseId)).state).toBe('received');
    const explained = await ok(lightingDispatcher.token, c.caseId, 'resolve_on_first_contact', { outcome: 'explained', answer });
    expect(explained).toMatchObject({ state: 'resolved', outcome: 'explained' });
  });

  it('takes the applicant\'s "not fixed" up to 7 days after closing: back to work, a new 72-hour term, the survey dropped, a notice', async () => {
    const c = await resolvedCity();
    // Wed 2 Dec 06:00Z: exactly 7 × 24 h after closing, the last moment.
    const reason = 'Фонари снова не горят';
    const reopened = await ok(citizen.token, c.caseId, 'report_not_fixed', { reason }, '2026-12-02T06:00:00.000Z');
    // 72 hours from Wed 2 Dec 06:00Z: Sat 5 Dec 06:00Z (11:00 local).
    expect(reopened).toMatchObject({ state: 'in_work', stateKind: 'open', outcome: null, closedAt: null, dueAt: '2026-12-05T06:00:00.000Z' });
    expect((await events(lightingHead.token, c.caseId, 'case.reported_not_fixed'))[0]).toMatchObject({
      actorRole: 'applicant',
      payload: { fromState: 'resolved', toState: 'in_work', reason, dueAt: '2026-12-05T06:00:00.000Z' },
    });
    expect((await deadlines(c.caseId)).map((d) => [d.obligation, d.state, d.dueAt.toISOString()])).toEqual([
      ['answer', 'met', '2026-11-28T05:00:00.000Z'],
      ['survey', 'cancelled', '2026-12-23T06:00:00.000Z'],
      ['answer', 'pending', '2026-12-05T06:00:00.000Z'],
    ]);
    const notices = await notifications(c.caseId, 'case_reopened');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipient_id: citizen.userId, language: 'ru', params: { registrationNumber: c.registrationNumber, dueAt: '2026-12-05 11:00' } });
  });

  it('refuses "not fixed" after the 7 days (409 ERR_NOT_FIXED_WINDOW_CLOSED)', async () => {
    const c = await resolvedCity();
    const closed = expectError(await act(citizen.token, c.caseId, 'report_not_fixed', { reason: 'Фонари снова не горят' }, '2026-12-02T06:01:00.000Z'), 409, 'ERR_NOT_FIXED_WINDOW_CLOSED');
    expect(closed.details).toEqual({ until: '2026-12-02T06:00:00.000Z' });
    expect(await getCase(citizen.token, c.caseId)).toMatchObject({ state: 'resolved', closedAt: '2026-11-25T06:00:00.000Z' });
  });

  it('sends the survey 28 days after closing; "not fixed" in it reopens the case even after the 7 days; a second answer is refused', async () => {
    const c = await resolvedCity();
    setClock('2026-12-10T05:00:00.000Z');
    expectError(await survey(c.caseId, { fixed: false }), 409, 'ERR_SURVEY_NOT_AVAILABLE');

    // Wed 23 Dec 10:59:59.999 local: not yet.
    await tickAt('2026-12-23T05:59:59.999Z');
    expect(await events(lightingHead.token, c.caseId, 'case.survey_sent')).toEqual([]);
    expect(await notifications(c.caseId, 'survey')).toEqual([]);
    // Wed 23 Dec 11:00 local = 06:00Z: sent.
    await tickAt('2026-12-23T06:00:00.000Z');
    const sent = await events(lightingHead.token, c.caseId, 'case.survey_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ actorRole: 'system', occurredAt: '2026-12-23T06:00:00.000Z', payload: { obligation: 'survey', dueAt: '2026-12-23T06:00:00.000Z' } });
    const notices = await notifications(c.caseId, 'survey');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipient_id: citizen.userId, language: 'ru', params: { registrationNumber: c.registrationNumber } });
    expect((await deadlines(c.caseId)).find((d) => d.obligation === 'survey')?.state).toBe('fired');

    // Thu 24 Dec 10:00 local: "no" (the 7-day window closed on 2 Dec) reopens the case, 72 hours to fix it.
    expectError(await survey(c.caseId, { fixed: false }, lightingHead.token), 403, 'ERR_FORBIDDEN');
    setClock('2026-12-24T05:00:00.000Z');
    const res = await survey(c.caseId, { fixed: false, comment: 'Всё ещё темно' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CaseView>()).toMatchObject({ state: 'in_work', stateKind: 'open', closedAt: null, outcome: null, dueAt: '2026-12-27T05:00:00.000Z' });
    const timeline = (await events(lightingHead.token, c.caseId)).map((e) => e.type);
    expect(timeline.slice(-2)).toEqual(['case.survey_answered', 'case.reported_not_fixed']);
    expect((await events(lightingHead.token, c.caseId, 'case.survey_answered'))[0]?.payload).toEqual({ fixed: false, comment: 'Всё ещё темно' });
    expect((await events(lightingHead.token, c.caseId, 'case.reported_not_fixed'))[0]?.payload).toMatchObject({ reason: 'Всё ещё темно' });

    expectError(await survey(c.caseId, { fixed: true }), 409, 'ERR_SURVEY_NOT_AVAILABLE');
  });

  it('keeps the case closed on "fixed" and refuses a second answer', async () => {
    const c = await resolvedCity();
    await tickAt('2026-12-23T06:00:00.000Z');
    setClock('2026-12-24T05:00:00.000Z');
    const res = await survey(c.caseId, { fixed: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CaseView>()).toMatchObject({ state: 'resolved', stateKind: 'closed', closedAt: '2026-11-25T06:00:00.000Z', outcome: 'satisfied' });
    expect((await events(lightingHead.token, c.caseId, 'case.survey_answered'))[0]?.payload).toEqual({ fixed: true, comment: null });
    expect(await events(lightingHead.token, c.caseId, 'case.reported_not_fixed')).toEqual([]);
    expectError(await survey(c.caseId, { fixed: false }), 409, 'ERR_SURVEY_NOT_AVAILABLE');
    expect((await getCase(citizen.token, c.caseId)).state).toBe('resolved');
  });

  it('cancels the survey of a case reopened before it: none is sent', async () => {
    const c = await resolvedCity();
    await ok(lightingController.token, c.caseId, 'reopen', { reason: 'Выборочная проверка: фонарь у второго подъезда не горит' }, '2026-11-27T05:00:00.000Z');
    expect((await deadlines(c.caseId)).find((d) => d.obligation === 'survey')?.state).toBe('cancelled');
    // Reopened by staff on Fri 27 Nov 05:00Z: a new 72-hour term to Mon 30 Nov 05:00Z (10:00 local), and the applicant is told.
    expect((await notifications(c.caseId, 'case_reopened')).map((n) => n.params['dueAt'])).toEqual(['2026-11-30 10:00']);

    await tickAt('2026-12-23T06:00:00.000Z');
    await tickAt('2026-12-24T06:00:00.000Z');
    expect(await events(lightingHead.token, c.caseId, 'case.survey_sent')).toEqual([]);
    expect(await notifications(c.caseId, 'survey')).toEqual([]);
    expect((await deadlines(c.caseId)).find((d) => d.obligation === 'survey')?.state).toBe('cancelled');
    setClock('2026-12-24T07:00:00.000Z');
    expectError(await survey(c.caseId, { fixed: false }), 409, 'ERR_SURVEY_NOT_AVAILABLE');
  });
});
