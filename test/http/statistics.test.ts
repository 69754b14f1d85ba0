import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeadlineTick } from '../../src/jobs/deadline-worker.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase, type SubmittedCase } from '../support/factories.ts';

const SOCIAL = 'astana.dept.social';
const AKIMAT = 'astana.akimat';
const DAY = 86_400_000;

let t: TestApp;
let citizen: { token: string };
// Reassigned after the clock jumps past their sessions.
let head: { token: string };
let executor: { token: string };

beforeAll(async () => {
  t = await buildTestApp({ now: new Date('2026-11-25T05:00:00Z') }); // Wednesday 25 November 2026, 10:00 in Astana
  citizen = await t.citizen('+77015550401');
  head = await t.staff('head', SOCIAL);
  executor = await t.staff('executor', SOCIAL);
});
afterAll(async () => t.close());

const appeal = (): Promise<SubmittedCase> =>
  submitCase(t, { channel: 'appeal', kind: 'application', category: 'social.benefits', text: 'Прошу пересчитать пособие на ребёнка' }, bearer(citizen.token));

async function act(token: string, id: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await t.request({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: bearer(token), payload: body });
  expect(res.statusCode, res.body).toBe(200);
}

const stats = (token: string, query: string) => t.request({ method: 'GET', url: `/api/v1/statistics/clock?${query}`, headers: bearer(token) });

describe('clock statistics', () => {
  it('counts received, answered on time and late, overdue, extended, redirected, complaints and ratings', async () => {
    const onTime = await appeal();
    const late = await appeal();
    const overdue = await appeal();
    const extended = await appeal();
    await act(executor.token, onTime.caseId, 'take_into_work');
    // Answered on Friday 27 November 2026, 10:00: two working days into a 15-working-day term (48 hours after receipt).
    t.clock.advance(2 * DAY);
    await act(executor.token, onTime.caseId, 'answer', { outcome: 'satisfied', answer: 'Пособие пересчитано.' });
    await act(head.token, extended.caseId, 'extend', { reason: 'Нужен запрос в ЦОН', until: '2027-01-15' });
    const rating = await t.request({ method: 'PUT', url: `/api/v1/cases/${onTime.caseId}/rating`, headers: bearer(citizen.token), payload: { score: 4 } });
    expect(rating.statusCode, rating.body).toBe(200);
    const complaint = await t.request({ method: 'POST', url: `/api/v1/cases/${onTime.caseId}/complaints`, headers: bearer(citizen.token), payload: { text: 'Пересчитали не за все месяцы' } });
    expect(complaint.statusCode, complaint.body).toBe(201);
    // The term (to Thursday 17 December 18:00) runs out; the worker breaches the two unanswered appeals.
    t.clock.set(new Date('2026-12-18T05:00:00Z'));
    await runDeadlineTick(t.platform.deadlines);
    // Sessions last two weeks: sign in again after the jump.
    citizen = await t.citizen('+77015550401');
    head = await t.staff('head', SOCIAL);
    executor = await t.staff('executor', SOCIAL);
    await act(executor.token, late.caseId, 'take_into_work');
    await act(executor.token, late.caseId, 'answer', { outcome: 'explained', answer: 'Разъяснён порядок пересчёта.' });

    const res = await stats(head.token, `organisationId=${SOCIAL}&from=2026-11-25&to=2026-11-26`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      organisationId: SOCIAL,
      from: '2026-11-25',
      to: '2026-11-26',
      includeSubtree: false,
      received: 4,
      answered: 2,
      answeredOnTime: 1,
      answeredLate: 1,
      overdue: 1,
      extended: 1,
      redirected: 0,
      silenceRefusals: 2,
      averageHoursToAnswer: expect.any(Number),
      complainedShare: 0.5,
      averageRating: 4,
      ratings: 1,
    });
    // 48 hours and 23 days: (48 + 552) / 2 = 300.
    expect(res.json<{ averageHoursToAnswer: number }>().averageHoursToAnswer).toBe(300);
    expect(overdue.caseId).toBeTruthy();

    // The day after: nothing received then.
    const empty = await stats(head.token, `organisationId=${SOCIAL}&from=2026-11-26&to=2026-11-27`);
    expect(empty.json()).toMatchObject({ received: 0, answered: 0, averageHoursToAnswer: null, complainedShare: null, averageRating: null });
  });

  it('lets the akimat head include the departments below, and refuses those outside their reach', async () => {
    const akimatHead = await t.staff('head', AKIMAT);
    const withSubtree = await stats(akimatHead.token, `organisationId=${AKIMAT}&from=2026-11-25&to=2026-11-26&includeSubtree=true`);
    expect(withSubtree.statusCode, withSubtree.body).toBe(200);
    // The four appeals of the social department, and the complaint about an answer filed with the akimat.
    expect(withSubtree.json()).toMatchObject({ received: 4 });
    const own = await stats(akimatHead.token, `organisationId=${AKIMAT}&from=2026-11-25&to=2026-11-26`);
    expect(own.json()).toMatchObject({ received: 0 });
    expect((await stats(akimatHead.token, `organisationId=${AKIMAT}&from=2026-11-27&to=2026-11-28`)).json()).toMatchObject({ received: 1 });

    expect((await stats(executor.token, `organisationId=${SOCIAL}&from=2026-11-25&to=2026-11-26`)).json()).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
    expect((await stats(head.token, `organisationId=${AKIMAT}&from=2026-11-25&to=2026-11-26`)).statusCode).toBe(403);
    expect((await stats(citizen.token, `organisationId=${SOCIAL}&from=2026-11-25&to=2026-11-26`)).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: `/api/v1/statistics/clock?organisationId=${SOCIAL}&from=2026-11-25&to=2026-11-26` })).statusCode).toBe(401);
  });

  it('refuses bad periods and unknown organisations with stable codes', async () => {
    const bad = async (query: string, code: string) => expect((await stats(head.token, query)).json(), query).toMatchObject({ error: { code } });
    await bad(`organisationId=${SOCIAL}&from=2026-11-26&to=2026-11-25`, 'ERR_VALIDATION');
    await bad(`organisationId=${SOCIAL}&from=2026-02-30&to=2026-03-02`, 'ERR_VALIDATION');
    await bad(`organisationId=${SOCIAL}&from=2000-01-01&to=2026-01-01`, 'ERR_VALIDATION');
    await bad(`organisationId=${SOCIAL}&from=yesterday&to=2026-01-01`, 'ERR_VALIDATION');
    await bad(`organisationId=nowhere&from=2026-11-25&to=2026-11-26`, 'ERR_UNKNOWN_ORGANISATION');
    await bad(`from=2026-11-25&to=2026-11-26`, 'ERR_VALIDATION');
  });
});
