import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

const SOCIAL = 'astana.dept.social';
const LABOUR = 'astana.dept.labour_inspection';
const MINUTE = 60_000;

interface Staff {
  token: string;
  id: string;
}
interface CaseBody {
  id: string;
  state: string;
  stateKind: string;
  organisation: { id: string };
  assigneeId: string | null;
  outcome: string | null;
  closedAt: string | null;
  updatedAt: string;
  version: number;
  actions: string[];
}
interface EventBody {
  id: number;
  type: string;
  actorId: string | null;
  actorRole: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}
interface MessageBody {
  id: string;
  authorId: string | null;
  authorRole: string;
  visibility: string;
  body: string;
}
interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | null };
}

let t: TestApp;
let citizen: { token: string };
let otherCitizen: { token: string };
let head: Staff;
let executor: Staff;
let registrar: Staff;
let controller: Staff;
let analyst: Staff;
let labourHead: Staff;
let labourExecutor: Staff;

beforeAll(async () => {
  t = await buildTestApp();
  citizen = await t.citizen('+77015550101');
  otherCitizen = await t.citizen('+77015550102');
  head = await t.staff('head', SOCIAL);
  executor = await t.staff('executor', SOCIAL);
  registrar = await t.staff('registrar', SOCIAL);
  controller = await t.staff('controller', SOCIAL);
  analyst = await t.staff('analyst', SOCIAL);
  labourHead = await t.staff('head', LABOUR);
  labourExecutor = await t.staff('executor', LABOUR);
});
afterAll(async () => t.close());

/** A signed-in citizen's appeal about benefits in Astana: routed to the city's social department. */
async function newAppeal(): Promise<string> {
  const receipt = await submitCase(
    t,
    { channel: 'appeal', kind: 'application', category: 'social.benefits', text: 'Прошу пересчитать пособие на ребёнка за октябрь' },
    bearer(citizen.token),
  );
  expect(receipt.organisation.id).toBe(SOCIAL);
  expect(receipt.state).toBe('registered');
  return receipt.caseId;
}

async function act(token: string, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  t.clock.advance(MINUTE);
  return t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: bearer(token), payload: body });
}

/** An action that must succeed: returns the updated case. */
async function ok(token: string, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<CaseBody> {
  const res = await act(token, caseId, action, body);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json<CaseBody>();
}

async function assign(token: string, caseId: string, assigneeId: string): Promise<LightMyRequestResponse> {
  t.clock.advance(MINUTE);
  return t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/assign`, headers: bearer(token), payload: { assigneeId } });
}

async function getCase(token: string, caseId: string): Promise<CaseBody> {
  const res = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseBody>();
}

async function events(token: string, caseId: string): Promise<EventBody[]> {
  const res = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/events`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<EventBody[]>();
}

async function messages(token: string, caseId: string): Promise<MessageBody[]> {
  const res = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/messages`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MessageBody[]>();
}

async function post(token: string, caseId: string, body: string, visibility?: 'dialog' | 'internal'): Promise<LightMyRequestResponse> {
  t.clock.advance(MINUTE);
  return t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/messages`, headers: bearer(token), payload: { body, ...(visibility ? { visibility } : {}) } });
}

function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode, res.body).toBe(status);
  const { error } = res.json<ErrorBody>();
  expect(error.code).toBe(code);
  return error;
}

/** Registered → in work → answered, by the department's executor. */
async function answeredAppeal(): Promise<string> {
  const id = await newAppeal();
  await ok(executor.token, id, 'take_into_work');
  await ok(executor.token, id, 'answer', { outcome: 'explained', answer: 'Пособие пересчитано, разница будет выплачена в ноябре.' });
  return id;
}

describe('the appeal life cycle', () => {
  it('goes register → assign → take into work → request documents → provide documents → answer → close', async () => {
    const id = await newAppeal();
    const registered = await getCase(head.token, id);
    expect(registered).toMatchObject({ state: 'registered', stateKind: 'new', assigneeId: null, closedAt: null, version: 1 });
    expect(registered.actions).toEqual(expect.arrayContaining(['take_into_work', 'redirect', 'terminate']));

    // Assign: only a head, registrar or dispatcher; only to active staff of the responsible organisation.
    expectError(await assign(executor.token, id, executor.id), 403, 'ERR_FORBIDDEN');
    const outsider = expectError(await assign(head.token, id, labourExecutor.id), 400, 'ERR_ASSIGNEE_INVALID');
    expect(outsider.details).toEqual({ assigneeId: labourExecutor.id, organisationId: SOCIAL });
    expectError(await assign(head.token, id, '00000000-0000-4000-8000-000000000000'), 400, 'ERR_ASSIGNEE_INVALID');
    const assigned = await assign(head.token, id, executor.id);
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json<CaseBody>()).toMatchObject({ assigneeId: executor.id, state: 'registered', version: 2 });

    const inWork = await ok(executor.token, id, 'take_into_work');
    expect(inWork).toMatchObject({ state: 'in_work', stateKind: 'open', version: 3 });

    const noMessage = expectError(await act(executor.token, id, 'request_documents'), 400, 'ERR_ACTION_INPUT');
    expect(noMessage.details).toMatchObject({ missing: ['message'] });
    const waiting = await ok(executor.token, id, 'request_documents', { message: 'Приложите справку о составе семьи.' });
    expect(waiting).toMatchObject({ state: 'awaiting_applicant', stateKind: 'waiting', closedAt: null });
    expect((await getCase(citizen.token, id)).actions).toEqual(['provide_documents', 'withdraw']);

    expectError(await act(executor.token, id, 'provide_documents', { message: 'Сам приложу' }), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    const provided = await ok(citizen.token, id, 'provide_documents', { message: 'Справка приложена.' });
    expect(provided).toMatchObject({ state: 'in_work', stateKind: 'open' });

    const noOutcome = expectError(await act(executor.token, id, 'answer', { answer: 'Ответ без итога' }), 400, 'ERR_ACTION_INPUT');
    expect(noOutcome.details).toMatchObject({ missing: ['outcome'] });
    const answerText = 'Пособие пересчитано, разница будет выплачена до 10 декабря.';
    const answered = await ok(executor.token, id, 'answer', { outcome: 'satisfied', answer: answerText });
    const answeredAt = t.clock.now().toISOString();
    expect(answered).toMatchObject({ state: 'answered', stateKind: 'closed', outcome: 'satisfied', closedAt: answeredAt, updatedAt: answeredAt });

    // The answer is a dialog message the applicant reads.
    const dialog = await messages(citizen.token, id);
    expect(dialog.map((m) => [m.authorRole, m.visibility, m.body])).toEqual([
      ['executor', 'dialog', 'Приложите справку о составе семьи.'],
      ['applicant', 'dialog', 'Справка приложена.'],
      ['executor', 'dialog', answerText],
    ]);
    expect(dialog[2]?.authorId).toBe(executor.id);

    const closed = await ok(controller.token, id, 'close');
    // Closing an answered case keeps the moment it was answered: that is when the applicant got the answer.
    expect(closed).toMatchObject({ state: 'closed', stateKind: 'closed', outcome: 'satisfied', closedAt: answeredAt });
    expect(closed.updatedAt).not.toBe(answeredAt);
    expect(closed.actions).toEqual(['reopen']);

    // The timeline: each step in order, with who did it.
    const timeline = await events(head.token, id);
    expect(timeline.map((e) => [e.type, e.actorRole])).toEqual([
      ['case.registered', 'applicant'],
      ['case.assigned', 'head'],
      ['case.taken_into_work', 'executor'],
      ['case.documents_requested', 'executor'],
      ['case.brought_into_compliance', 'applicant'],
      ['case.answered', 'executor'],
      ['case.closed', 'controller'],
    ]);
    const applicantId = timeline[0]?.actorId;
    expect(applicantId).toEqual(expect.any(String));
    expect(timeline.map((e) => e.actorId)).toEqual([applicantId, head.id, executor.id, executor.id, applicantId, executor.id, controller.id]);
    const ids = timeline.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const times = timeline.map((e) => Date.parse(e.occurredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const answeredEvent = timeline.find((e) => e.type === 'case.answered')!;
    expect(answeredEvent.payload).toMatchObject({ action: 'answer', fromState: 'in_work', toState: 'answered', outcome: 'satisfied' });
    expect(answeredEvent.payload['messageId']).toBe(dialog[2]?.id);
    expect(timeline.find((e) => e.type === 'case.assigned')?.payload).toEqual({ assigneeId: executor.id, previousAssigneeId: null });

    // The applicant's timeline leaves out staff-internal facts (the assignment), and nothing else.
    const applicantView = await events(citizen.token, id);
    expect(applicantView.map((e) => e.type)).toEqual(timeline.map((e) => e.type).filter((type) => type !== 'case.assigned'));
  });

  it('lets the applicant close an answered appeal', async () => {
    const id = await answeredAppeal();
    expect(await ok(citizen.token, id, 'close')).toMatchObject({ state: 'closed', stateKind: 'closed' });
    expect((await events(citizen.token, id)).at(-1)).toMatchObject({ type: 'case.closed', actorRole: 'applicant' });
  });

  it('redirects to another organisation: the organisation changes, the case starts again as registered', async () => {
    const id = await newAppeal();
    await ok(executor.token, id, 'take_into_work');
    expect((await assign(head.token, id, executor.id)).statusCode).toBe(200);

    const noReason = expectError(await act(registrar.token, id, 'redirect', { organisationId: LABOUR }), 400, 'ERR_ACTION_INPUT');
    expect(noReason.details).toMatchObject({ missing: ['reason'] });
    expectError(await act(executor.token, id, 'redirect', { organisationId: LABOUR, reason: 'Не наш вопрос' }), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    expectError(await act(registrar.token, id, 'redirect', { organisationId: 'astana.dept.nowhere', reason: 'Не наш вопрос' }), 400, 'ERR_UNKNOWN_ORGANISATION');
    expectError(await act(registrar.token, id, 'redirect', { organisationId: SOCIAL, reason: 'Не наш вопрос' }), 400, 'ERR_ACTION_INPUT');
    expect(await getCase(head.token, id)).toMatchObject({ state: 'in_work', organisation: { id: SOCIAL }, assigneeId: executor.id });

    const redirected = await ok(registrar.token, id, 'redirect', { organisationId: LABOUR, reason: 'Вопрос задолженности по зарплате' });
    expect(redirected).toMatchObject({ state: 'registered', stateKind: 'new', organisation: { id: LABOUR }, assigneeId: null });

    // It has left the department: its staff no longer see it; the new organisation and the applicant do.
    const gone = await t.request({ method: 'GET', url: `/api/v1/cases/${id}`, headers: bearer(executor.token) });
    expectError(gone, 404, 'ERR_CASE_NOT_FOUND');
    expect((await getCase(citizen.token, id)).organisation.id).toBe(LABOUR);
    const timeline = await events(labourHead.token, id);
    expect(timeline.at(-1)).toMatchObject({
      type: 'case.redirected',
      actorRole: 'registrar',
      actorId: registrar.id,
      payload: { action: 'redirect', fromState: 'in_work', toState: 'registered', fromOrganisationId: SOCIAL, toOrganisationId: LABOUR, reason: 'Вопрос задолженности по зарплате' },
    });
    // The new organisation works it from the start.
    expect(await ok(labourExecutor.token, id, 'take_into_work')).toMatchObject({ state: 'in_work', organisation: { id: LABOUR } });
  });

  it('terminates on a legal ground, by the head only', async () => {
    const id = await newAppeal();
    await ok(executor.token, id, 'take_into_work');
    expectError(await act(executor.token, id, 'terminate', { terminationReason: 'no_substance' }), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    const missing = expectError(await act(head.token, id, 'terminate'), 400, 'ERR_ACTION_INPUT');
    expect(missing.details).toMatchObject({ missing: ['terminationReason'] });
    expectError(await act(head.token, id, 'terminate', { terminationReason: 'because' }), 400, 'ERR_VALIDATION');

    const terminated = await ok(head.token, id, 'terminate', { terminationReason: 'repeat_without_new_arguments' });
    expect(terminated).toMatchObject({ state: 'terminated', stateKind: 'closed', closedAt: t.clock.now().toISOString(), actions: [] });
    expect((await events(head.token, id)).at(-1)).toMatchObject({
      type: 'case.terminated',
      actorRole: 'head',
      payload: { fromState: 'in_work', toState: 'terminated', terminationReason: 'repeat_without_new_arguments' },
    });
  });

  it('lets the applicant, and only the applicant, withdraw', async () => {
    const id = await newAppeal();
    expectError(await act(head.token, id, 'withdraw'), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    expectError(await act(otherCitizen.token, id, 'withdraw'), 404, 'ERR_CASE_NOT_FOUND');
    const withdrawn = await ok(citizen.token, id, 'withdraw');
    expect(withdrawn).toMatchObject({ state: 'withdrawn', stateKind: 'closed', closedAt: t.clock.now().toISOString() });
    expectError(await act(citizen.token, id, 'withdraw'), 409, 'ERR_ACTION_NOT_ALLOWED_IN_STATE');
    expect((await events(citizen.token, id)).at(-1)).toMatchObject({ type: 'case.withdrawn', actorRole: 'applicant' });
  });

  it('reopens an answered appeal with a reason: open again, no outcome, no closedAt', async () => {
    const id = await answeredAppeal();
    expectError(await act(executor.token, id, 'reopen', { reason: 'Ответ неполный' }), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');
    expectError(await act(controller.token, id, 'reopen'), 400, 'ERR_ACTION_INPUT');
    expectError(await act(controller.token, id, 'reopen', { reason: '   ' }), 400, 'ERR_ACTION_INPUT');
    const reopened = await ok(controller.token, id, 'reopen', { reason: 'Ответ неполный: не указан срок выплаты' });
    expect(reopened).toMatchObject({ state: 'in_work', stateKind: 'open', outcome: null, closedAt: null });
    expect((await events(head.token, id)).at(-1)).toMatchObject({
      type: 'case.reopened',
      actorRole: 'controller',
      payload: { fromState: 'answered', toState: 'in_work', reason: 'Ответ неполный: не указан срок выплаты' },
    });
    // A refusal is adverse: the applicant hears of it first and has three working days to comment.
    await ok(executor.token, id, 'notify_hearing', { message: 'Предварительно: оснований для пересчёта нет.' });
    t.clock.advance(7 * 24 * 3_600_000);
    const again = await ok(executor.token, id, 'answer', { outcome: 'refused', answer: 'Оснований для пересчёта нет.' });
    expect(again).toMatchObject({ state: 'answered', outcome: 'refused', closedAt: t.clock.now().toISOString() });
  });

  it('refuses an action when the case changed since the client read it (409 ERR_CONCURRENT_UPDATE)', async () => {
    const id = await newAppeal();
    const read = await getCase(executor.token, id);
    await assign(head.token, id, executor.id);
    const stale = expectError(await act(executor.token, id, 'take_into_work', { expectedVersion: read.version }), 409, 'ERR_CONCURRENT_UPDATE');
    expect(stale.details).toMatchObject({ expectedVersion: 1, version: 2 });
    expect(await getCase(executor.token, id)).toMatchObject({ state: 'registered', version: 2 });
    expect(await ok(executor.token, id, 'take_into_work', { expectedVersion: 2 })).toMatchObject({ state: 'in_work', version: 3 });
  });

  it('lets exactly one of two racing actions on the same version through', async () => {
    const id = await newAppeal();
    const [a, b] = await Promise.all([
      act(executor.token, id, 'take_into_work', { expectedVersion: 1 }),
      act(head.token, id, 'take_into_work', { expectedVersion: 1 }),
    ]);
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 409]);
    expect([a!, b!].find((r) => r.statusCode === 409)?.json<ErrorBody>().error.code).toBe('ERR_CONCURRENT_UPDATE');
    expect((await events(head.token, id)).filter((e) => e.type === 'case.taken_into_work')).toHaveLength(1);
  });

  it('refuses an action in the wrong state (409) and changes nothing', async () => {
    const id = await newAppeal();
    const before = await events(head.token, id);
    const answer = expectError(await act(executor.token, id, 'answer', { outcome: 'explained', answer: 'Рано' }), 409, 'ERR_ACTION_NOT_ALLOWED_IN_STATE');
    expect(answer.details).toMatchObject({ action: 'answer', state: 'registered', allowedFrom: ['in_work'] });
    expectError(await act(head.token, id, 'close'), 409, 'ERR_ACTION_NOT_ALLOWED_IN_STATE');
    expectError(await act(citizen.token, id, 'provide_documents', { message: 'Вот' }), 409, 'ERR_ACTION_NOT_ALLOWED_IN_STATE');
    expect(await getCase(head.token, id)).toMatchObject({ state: 'registered', version: 1 });
    expect(await events(head.token, id)).toEqual(before);
    expect(await messages(head.token, id)).toEqual([]);
  });

  it('refuses an action the workflow does not have, including inherited object keys (400 ERR_ACTION_UNKNOWN)', async () => {
    const id = await newAppeal();
    for (const action of ['teleport', 'constructor', '__proto__', 'to_string']) {
      expectError(await act(head.token, id, action), 400, 'ERR_ACTION_UNKNOWN');
    }
  });

  it('lets nobody outside the organisation, no read-only role and nobody signed out act on the case', async () => {
    const id = await newAppeal();
    expectError(await act(labourExecutor.token, id, 'take_into_work'), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await act(analyst.token, id, 'take_into_work'), 403, 'ERR_FORBIDDEN');
    expectError(await t.request({ method: 'POST', url: `/api/v1/cases/${id}/actions/take_into_work`, payload: {} }), 401, 'ERR_UNAUTHENTICATED');
  });
});

describe('dialog and internal notes', () => {
  it('keeps internal notes from the applicant: not in the messages, not in the timeline', async () => {
    const id = await newAppeal();
    const note = await post(executor.token, id, 'Заявитель уже обращался в 2025 году, см. ЖТ-2025-00000017', 'internal');
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json<MessageBody>()).toMatchObject({ visibility: 'internal', authorRole: 'executor', authorId: executor.id });
    const reply = await post(executor.token, id, 'Здравствуйте! Ваше обращение принято в работу.');
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json<MessageBody>().visibility).toBe('dialog');
    const question = await post(citizen.token, id, 'Спасибо, когда ждать ответа?', 'dialog');
    expect(question.statusCode, question.body).toBe(201);
    expectError(await post(citizen.token, id, 'Хочу написать служебную записку', 'internal'), 403, 'ERR_FORBIDDEN');
    expectError(await post(analyst.token, id, 'Аналитик только читает', 'internal'), 403, 'ERR_FORBIDDEN');

    const applicantSees = await messages(citizen.token, id);
    expect(applicantSees.map((m) => m.body)).toEqual(['Здравствуйте! Ваше обращение принято в работу.', 'Спасибо, когда ждать ответа?']);
    expect(applicantSees.every((m) => m.visibility === 'dialog')).toBe(true);
    const staffSees = await messages(head.token, id);
    expect(staffSees.map((m) => m.visibility)).toEqual(['internal', 'dialog', 'dialog']);

    const staffTimeline = await events(head.token, id);
    expect(staffTimeline.map((e) => e.type)).toEqual(['case.registered', 'case.note_added', 'case.message_posted', 'case.message_posted']);
    const applicantTimeline = await events(citizen.token, id);
    expect(applicantTimeline.map((e) => e.type)).toEqual(['case.registered', 'case.message_posted', 'case.message_posted']);
    expect(JSON.stringify(applicantTimeline)).not.toContain(note.json<MessageBody>().id);
  });

  it('refuses a dialog message on a closed case (409 ERR_CASE_CLOSED), but still takes an internal note', async () => {
    const id = await newAppeal();
    await ok(citizen.token, id, 'withdraw');
    expectError(await post(citizen.token, id, 'Передумал, верните'), 409, 'ERR_CASE_CLOSED');
    expectError(await post(executor.token, id, 'Обращение отозвано, но ответим'), 409, 'ERR_CASE_CLOSED');
    expect((await post(executor.token, id, 'Отозвано заявителем, архив', 'internal')).statusCode).toBe(201);
    expectError(await assign(head.token, id, executor.id), 409, 'ERR_CASE_CLOSED');
    expect((await messages(citizen.token, id)).map((m) => m.body)).toEqual([]);
  });

  it('refuses an empty message after normalisation', async () => {
    const id = await newAppeal();
    expectError(await post(executor.token, id, ' \u200b '), 400, 'ERR_TEXT_EMPTY');
  });
});

describe('the event table', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const id = await newAppeal();
    await ok(executor.token, id, 'take_into_work');
    const db = t.platform.db;
    const count = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_events')).rows[0]!.n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await expect(db.query("UPDATE case_events SET type = 'case.tampered' WHERE case_id = $1", [id])).rejects.toThrow(/append-only/);
    await expect(db.query('UPDATE case_events SET payload = $1', [JSON.stringify({ forged: true })])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM case_events WHERE case_id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM case_events')).rejects.toThrow(/append-only/);
    await expect(db.exec('TRUNCATE case_events')).rejects.toThrow(/append-only/);
    await expect(db.transaction((tx) => tx.query('DELETE FROM case_events WHERE case_id = $1', [id]))).rejects.toThrow(/append-only/);
    expect(await count()).toBe(before);
    expect((await events(head.token, id)).map((e) => e.type)).toEqual(['case.registered', 'case.taken_into_work']);
  });
});
