import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeadlineTick } from '../../src/jobs/deadline-worker.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

/**
 * Risk triage: an emergency child case (the classifier's urgency rules, or the child's "I am in danger")
 * pages the on-call crisis psychologist through the outbox, with no case text, and has 15 minutes for the
 * first contact, breached and escalated by the deadline worker when nobody answers.
 */

const PSY = 'almaty.psychologists';
const SECRET = 'Өлгім келеді, бүгін түнде бәрі бітсін деп ойлаймын';
const MINUTE = 60_000;

let t: TestApp;
let head: { token: string; id: string };
let onCall: { token: string; id: string };
let offDuty: { token: string; id: string };

interface Page {
  recipient_id: string;
  template: string;
  language: string;
  params: Record<string, string>;
  state: string;
}

const pages = async (caseId: string): Promise<Page[]> =>
  (await t.testDb.db.query<Page>('SELECT recipient_id, template, language, params, state FROM notifications WHERE case_id = $1 ORDER BY id', [caseId])).rows;

const report = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/v1/child/reports', payload });

async function shift(who: { id: string }, startsAt: Date, endsAt: Date, token = head.token) {
  return t.request({
    method: 'POST',
    url: '/api/v1/child/on-call',
    headers: bearer(token),
    payload: { organisationId: PSY, userId: who.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
  });
}

beforeAll(async () => {
  // With the trained model: the urgency rules of the classifier read the danger in the text.
  t = await buildTestApp({ withModel: true, now: new Date('2026-11-25T17:00:00Z'), config: { PUBLIC_BASE_URL: 'https://tyndau.example.kz' } });
  [head, onCall, offDuty] = await Promise.all([t.staff('head', PSY), t.staff('psychologist', PSY), t.staff('psychologist', PSY)]);
  const now = t.clock.now().getTime();
  const res = await shift(onCall, new Date(now - 60 * MINUTE), new Date(now + 12 * 60 * MINUTE));
  expect(res.statusCode, res.body).toBe(201);
}, 240_000);
afterAll(async () => t.close());

describe('an emergency child case', () => {
  it('is read as an emergency from the text and pages the psychologist on call, with no case text', async () => {
    const res = await report({ text: SECRET, schoolCode: 'ALM-008' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json<{ caseId: string; registrationNumber: string; urgent: boolean; psychologistAlerted: boolean; dueAt: string }>();
    expect(r).toMatchObject({ urgent: true, psychologistAlerted: true });
    expect(new Date(r.dueAt).getTime() - t.clock.now().getTime()).toBe(15 * MINUTE);

    const record = await t.platform.read.store.get(r.caseId);
    expect(record).toMatchObject({ urgency: 'emergency', organisationId: PSY, assigneeId: onCall.id });
    const sent = await pages(r.caseId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ recipient_id: onCall.id, template: 'crisis_page', state: 'pending' });
    expect(Object.keys(sent[0]!.params).sort()).toEqual(['caseUrl', 'registrationNumber']);
    expect(sent[0]!.params).toEqual({ registrationNumber: r.registrationNumber, caseUrl: `https://tyndau.example.kz/api/v1/cases/${r.caseId}` });
    expect(JSON.stringify(sent[0])).not.toMatch(/Өлгім|бітсін/);
    // The on-call psychologist, now the assignee, opens the case; the one off duty cannot.
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${r.caseId}`, headers: bearer(onCall.token) })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${r.caseId}`, headers: bearer(offDuty.token) })).statusCode).toBe(404);
    const types = (await t.platform.read.store.events(r.caseId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['case.registered', 'case.assigned', 'case.crisis_paged']));

    // The outbox delivers the page rendered without the text (the log transport stands in for e-mail and SMS).
    const { deliverNotice } = await import('../../src/notify/outbox.ts');
    const claimed = await t.platform.outbox.store.claimDue(t.clock.now(), 10, new Date(t.clock.now().getTime() + MINUTE));
    const page = claimed.find((n) => n.caseId === r.caseId);
    expect(page).toBeDefined();
    const { render } = await import('../../src/notify/templates.ts');
    const text = render('crisis_page', page!.language, page!.params);
    expect(`${text.subject}\n${text.text}`).toContain(r.registrationNumber);
    expect(text.text).not.toMatch(/Өлгім|бітсін/);
    expect((await deliverNotice(t.platform.outbox, page!)).type).toBe('sent');
  });

  it('breaches and escalates the 15-minute first contact when nobody answers', async () => {
    const r = (await report({ text: 'Мені үйде ұрады, қазір қауіптемін', city: 'almaty', inDanger: true })).json<{ caseId: string }>();
    t.clock.advance(14 * MINUTE);
    await runDeadlineTick(t.platform.deadlines);
    let deadlines = await t.platform.read.store.deadlines(r.caseId);
    expect(deadlines.map((d) => [d.obligation, d.state])).toEqual([['first_contact', 'warned']]);
    t.clock.advance(2 * MINUTE);
    const tick = await runDeadlineTick(t.platform.deadlines);
    expect(tick.breached).toBeGreaterThanOrEqual(1);
    deadlines = await t.platform.read.store.deadlines(r.caseId);
    expect(deadlines.map((d) => [d.obligation, d.state])).toEqual([['first_contact', 'breached']]);
    const events = await t.platform.read.store.events(r.caseId);
    expect(events.find((e) => e.type === 'case.escalated')?.payload).toMatchObject({ obligation: 'first_contact', toOrganisationId: 'almaty.dept.education' });
  });

  it('meets the first contact when the psychologist writes in the chat within 15 minutes', async () => {
    const r = (await report({ text: 'Я больше не хочу жить', city: 'almaty', inDanger: true })).json<{ caseId: string }>();
    t.clock.advance(5 * MINUTE);
    const res = await t.request({ method: 'POST', url: `/api/v1/cases/${r.caseId}/chat/messages`, headers: bearer(onCall.token), payload: { body: 'Я здесь, я психолог. Ты сейчас в безопасности?' } });
    expect(res.statusCode, res.body).toBe(201);
    t.clock.advance(20 * MINUTE);
    await runDeadlineTick(t.platform.deadlines);
    const deadlines = await t.platform.read.store.deadlines(r.caseId);
    expect(deadlines.map((d) => [d.obligation, d.state])).toEqual([['first_contact', 'met']]);
    expect((await t.platform.read.store.events(r.caseId)).map((e) => e.type)).not.toContain('case.deadline_breached');
  });

  it('pages the heads of the service when nobody is on call, and never pages twice', async () => {
    t.clock.advance(24 * 60 * MINUTE); // past the shift
    const r = (await report({ text: 'Мне страшно, помогите', city: 'almaty', inDanger: true })).json<{ caseId: string; psychologistAlerted: boolean }>();
    expect(r.psychologistAlerted).toBe(true);
    const sent = await pages(r.caseId);
    expect(sent.map((p) => [p.recipient_id, p.template])).toEqual([[head.id, 'crisis_page']]);
    expect((await t.platform.read.store.get(r.caseId))?.assigneeId).toBeNull();
    const { pageCrisisIfEmergency } = await import('../../src/core/child-triage.ts');
    expect(await t.platform.read.store.transaction((tx) => pageCrisisIfEmergency(t.platform.child.intake, tx, r.caseId))).toBeNull();
    expect(await pages(r.caseId)).toHaveLength(1);
  });

  it('pages nobody for a case that is not an emergency', async () => {
    const r = (await report({ text: 'Сыныптасым менімен сөйлеспейді, ренжідім', city: 'almaty', topic: 'child.bullying' })).json<{ caseId: string; urgent: boolean; psychologistAlerted: boolean }>();
    expect(r).toMatchObject({ urgent: false, psychologistAlerted: false });
    expect(await pages(r.caseId)).toEqual([]);
  });
});

describe('the on-call roster', () => {
  it('is set by the head of the service for its psychologists only, and read by its staff', async () => {
    const now = t.clock.now().getTime();
    const [executor, otherHead] = await Promise.all([t.staff('executor', PSY), t.staff('head', 'astana.psychologists')]);
    const from = new Date(now);
    const to = new Date(now + 8 * 60 * MINUTE);
    expect((await shift(offDuty, from, to, otherHead.token)).statusCode).toBe(403);
    expect((await shift(offDuty, from, to, offDuty.token)).statusCode).toBe(403);
    const notPsychologist = await shift(executor, from, to);
    expect(notPsychologist.statusCode).toBe(400);
    expect(notPsychologist.json().error.code).toBe('ERR_ON_CALL_SHIFT_INVALID');
    expect((await shift(offDuty, to, from)).json().error.code).toBe('ERR_ON_CALL_SHIFT_INVALID');
    expect((await shift(offDuty, from, new Date(now + 25 * 60 * MINUTE))).json().error.code).toBe('ERR_ON_CALL_SHIFT_INVALID');
    expect((await shift(offDuty, new Date(now - 120 * MINUTE), new Date(now - MINUTE))).json().error.code).toBe('ERR_ON_CALL_SHIFT_INVALID');
    const bad = await t.request({ method: 'POST', url: '/api/v1/child/on-call', headers: bearer(head.token), payload: { organisationId: PSY, userId: offDuty.id, startsAt: 'tomorrow', endsAt: to.toISOString() } });
    expect(bad.statusCode).toBe(400);
    const created = await shift(offDuty, from, to);
    expect(created.statusCode, created.body).toBe(201);
    const list = await t.request({ method: 'GET', url: `/api/v1/child/on-call?organisationId=${PSY}&from=${from.toISOString()}&to=${to.toISOString()}`, headers: bearer(offDuty.token) });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ userId: string }[]>().map((s) => s.userId)).toContain(offDuty.id);
    expect((await t.request({ method: 'GET', url: `/api/v1/child/on-call?organisationId=${PSY}&from=${from.toISOString()}&to=${to.toISOString()}`, headers: bearer(otherHead.token) })).statusCode).toBe(403);
    const id = created.json<{ id: number }>().id;
    expect((await t.request({ method: 'DELETE', url: `/api/v1/child/on-call/${id}?organisationId=astana.psychologists`, headers: bearer(otherHead.token) })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/child/on-call/${id}?organisationId=${PSY}`, headers: bearer(head.token) })).statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/child/on-call/${id}?organisationId=${PSY}`, headers: bearer(head.token) })).statusCode).toBe(404);
  });
});
