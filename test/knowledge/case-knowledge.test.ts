import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

const SOCIAL = 'astana.dept.social';
const LABOUR = 'astana.dept.labour_inspection';
const UNKNOWN_CASE = '00000000-0000-4000-8000-000000000000';
/** An IIN that passes the checksum (src/nlp/pii.ts masks only valid ones). */
const IIN = '850515400002';

interface Staff {
  token: string;
  id: string;
}
interface MessageBody {
  id: string;
  authorRole: string;
  visibility: string;
  body: string;
}
interface EventBody {
  type: string;
  actorId: string | null;
  payload: Record<string, unknown>;
}
interface SimilarAnswer {
  caseId: string;
  registrationNumber: string;
  similarity: number;
  outcome: string | null;
  question: string;
  answer: string;
}

let t: TestApp;
let citizen: { token: string };
let executor: Staff;
let head: Staff;
let labourExecutor: Staff;
let analyst: Staff;

beforeAll(async () => {
  t = await buildTestApp();
  citizen = await t.citizen('+77015550401');
  executor = await t.staff('executor', SOCIAL);
  head = await t.staff('head', SOCIAL);
  analyst = await t.staff('analyst', SOCIAL);
  labourExecutor = await t.staff('executor', LABOUR);
});
afterAll(async () => t.close());

function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
}

/** A citizen's appeal about benefits in Astana: routed to the city's social department. */
async function appeal(text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const receipt = await submitCase(t, { channel: 'appeal', kind: 'application', category: 'social.benefits', text, ...extra }, bearer(citizen.token));
  expect(receipt.organisation.id).toBe(SOCIAL);
  return receipt.caseId;
}

async function act(token: string, id: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await t.request({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: bearer(token), payload: body });
  expect(res.statusCode, res.body).toBe(200);
}

async function answered(text: string, answer: string, by: Staff = executor, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await appeal(text, extra);
  await act(by.token, id, 'take_into_work');
  await act(by.token, id, 'answer', { outcome: 'explained', answer });
  return id;
}

const send = (token: string | null, id: string, payload: Record<string, unknown>) =>
  t.request({ method: 'POST', url: `/api/v1/cases/${id}/knowledge`, headers: token ? bearer(token) : {}, payload });
const messages = async (id: string): Promise<MessageBody[]> => (await t.request({ method: 'GET', url: `/api/v1/cases/${id}/messages`, headers: bearer(head.token) })).json<MessageBody[]>();
const events = async (id: string): Promise<EventBody[]> => (await t.request({ method: 'GET', url: `/api/v1/cases/${id}/events`, headers: bearer(head.token) })).json<EventBody[]>();
const similar = (token: string | null, id: string, query = '') =>
  t.request({ method: 'GET', url: `/api/v1/cases/${id}/similar-answers${query}`, headers: token ? bearer(token) : {} });

describe('POST /api/v1/cases/:id/knowledge (an operator sends an article)', () => {
  it("posts the article into the case's dialog in the case's language and records case.article_sent", async () => {
    const id = await appeal('Подскажите, в какие сроки рассматривают обращение и когда будет ответ?');
    const res = await send(executor.token, id, { articleId: 'appeal-deadlines' });
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json<{ articleId: string; language: string; message: MessageBody }>();
    expect(sent).toMatchObject({ articleId: 'appeal-deadlines', language: 'ru', message: { authorRole: 'executor', visibility: 'dialog' } });
    expect(sent.message.body).toMatch(/^Сроки рассмотрения обращений: 15 и 20 рабочих дней\n\nСроки считаются в рабочих днях/);

    // The applicant reads it in the dialog.
    const dialog = (await t.request({ method: 'GET', url: `/api/v1/cases/${id}/messages`, headers: bearer(citizen.token) })).json<MessageBody[]>();
    expect(dialog.map((m) => m.id)).toContain(sent.message.id);

    const timeline = await events(id);
    const posted = timeline.find((e) => e.type === 'case.message_posted');
    const article = timeline.find((e) => e.type === 'case.article_sent');
    expect(posted?.payload).toEqual({ messageId: sent.message.id });
    expect(article).toMatchObject({ actorId: executor.id, payload: { articleId: 'appeal-deadlines', language: 'ru', messageId: sent.message.id } });
  });

  it('sends another language when asked', async () => {
    const id = await appeal('Мекенжай анықтамасын қалай алуға болады?');
    const res = await send(executor.token, id, { articleId: 'address-certificate', lang: 'en' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ message: MessageBody }>().message.body).toMatch(/^How to get an address certificate/);
  });

  it('refuses operator guidance, unknown articles and bad input, and writes nothing', async () => {
    const id = await appeal('Нужна консультация по пособию');
    const before = (await messages(id)).length;
    const beforeEvents = (await events(id)).length;
    expectError(await send(executor.token, id, { articleId: 'operator-first-contact' }), 422, 'ERR_ARTICLE_NOT_SENDABLE');
    expectError(await send(executor.token, id, { articleId: 'no-such-article' }), 404, 'ERR_ARTICLE_NOT_FOUND');
    expectError(await send(executor.token, id, { articleId: 'Address Certificate' }), 400, 'ERR_VALIDATION');
    expectError(await send(executor.token, id, { articleId: 'heating-season', lang: 'xx' }), 400, 'ERR_VALIDATION');
    expectError(await send(executor.token, id, {}), 400, 'ERR_VALIDATION');
    expectError(await send(executor.token, 'not-a-uuid', { articleId: 'heating-season' }), 400, 'ERR_VALIDATION');
    expect((await messages(id)).length).toBe(before);
    expect((await events(id)).length).toBe(beforeEvents);
  });

  it('lets only staff who work on the case send: others get 401, 403 or 404', async () => {
    const id = await appeal('Вопрос по выплате пособия');
    expectError(await send(null, id, { articleId: 'heating-season' }), 401, 'ERR_UNAUTHENTICATED');
    expectError(await send(citizen.token, id, { articleId: 'heating-season' }), 403, 'ERR_FORBIDDEN');
    expectError(await send(analyst.token, id, { articleId: 'heating-season' }), 403, 'ERR_FORBIDDEN');
    expectError(await send(labourExecutor.token, id, { articleId: 'heating-season' }), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await send(executor.token, UNKNOWN_CASE, { articleId: 'heating-season' }), 404, 'ERR_CASE_NOT_FOUND');
    expect((await events(id)).some((e) => e.type === 'case.article_sent')).toBe(false);
  });

  it('does not write into a closed case', async () => {
    const id = await answered('Когда придёт пособие на ребёнка?', 'Пособие будет выплачено до 25 числа.');
    expectError(await send(executor.token, id, { articleId: 'appeal-deadlines' }), 409, 'ERR_CASE_CLOSED');
    expect((await events(id)).some((e) => e.type === 'case.article_sent')).toBe(false);
  });
});

describe('GET /api/v1/cases/:id/similar-answers (earlier answers suggested to the executor)', () => {
  let earlier: string;
  let confidential: string;
  let unrelated: string;
  let open: string;

  beforeAll(async () => {
    earlier = await answered(
      'Прошу пересчитать пособие на ребёнка за октябрь: выплата пришла меньше обычного',
      `Пособие на ребёнка пересчитано с учётом нового прожиточного минимума, разница будет выплачена в ноябре. Вопросы: +7 701 555 01 23, ИИН заявителя ${IIN}.`,
    );
    // The same question, but confidential: never offered, even to the head who may read it.
    confidential = await answered('Прошу пересчитать пособие на ребёнка за октябрь, выплата меньше обычного', 'Пересчёт выполнен, доплата в ноябре.', head, { confidential: true });
    unrelated = await answered('Прошу установить инвалидность второй группы и назначить пенсию', 'Документы направлены на медико-социальную экспертизу.');
    open = await appeal(`Пособие на ребёнка за октябрь пришло меньше обычного, прошу пересчитать. Мой телефон +7 701 555 99 88`);
  });

  it('offers the answer of an answered case of the same category with a similar text, personal data masked', async () => {
    const res = await similar(executor.token, open);
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json<{ items: SimilarAnswer[] }>();
    expect(items[0]).toMatchObject({ caseId: earlier, outcome: 'explained' });
    expect(items[0]!.similarity).toBeGreaterThan(0.3);
    expect(items[0]!.answer).toContain('Пособие на ребёнка пересчитано');
    expect(items[0]!.answer).toContain('[PHONE]');
    expect(items[0]!.answer).toContain('[IIN]');
    expect(items[0]!.answer).not.toContain(IIN);
    expect(items[0]!.answer).not.toContain('555 01 23');
    expect(items[0]!.question).toContain('пересчитать пособие');
    const ids = items.map((i) => i.caseId);
    expect(ids).not.toContain(confidential);
    expect(ids).not.toContain(open);
    // A different question in the same category is far below the threshold or below the similar one.
    const other = items.find((i) => i.caseId === unrelated);
    if (other) expect(other.similarity).toBeLessThan(items[0]!.similarity);
  });

  it('never offers a confidential case, whoever asks', async () => {
    const res = await similar(head.token, open);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ items: SimilarAnswer[] }>().items.map((i) => i.caseId)).not.toContain(confidential);
  });

  it('is not found for another organisation’s staff, forbidden for the applicant and read-only roles', async () => {
    expectError(await similar(labourExecutor.token, open), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await similar(citizen.token, open), 403, 'ERR_FORBIDDEN');
    expectError(await similar(analyst.token, open), 403, 'ERR_FORBIDDEN');
    expectError(await similar(null, open), 401, 'ERR_UNAUTHENTICATED');
    expectError(await similar(executor.token, UNKNOWN_CASE), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await similar(executor.token, 'not-a-uuid'), 400, 'ERR_VALIDATION');
    expectError(await similar(executor.token, open, '?limit=0'), 400, 'ERR_VALIDATION');
  });

  it('leaves out cases of other categories and cases still open', async () => {
    const otherCategory = await submitCase(
      t,
      { channel: 'appeal', kind: 'application', category: 'labour.employment', text: 'Прошу пересчитать пособие на ребёнка за октябрь, выплата меньше обычного' },
      bearer(citizen.token),
    );
    const stillOpen = await appeal('Прошу пересчитать пособие на ребёнка за октябрь, пришло меньше');
    const { items } = (await similar(executor.token, open, '?limit=20')).json<{ items: SimilarAnswer[] }>();
    expect(items.map((i) => i.caseId)).not.toContain(otherCategory.caseId);
    expect(items.map((i) => i.caseId)).not.toContain(stillOpen);
  });

  it('finds nothing for a child case: every child case is confidential, so none is offered even to the head who answered it', async () => {
    const text = 'Мені сыныптастарым мектепте мазақтайды, не істеймін?';
    const first = await submitCase(t, { channel: 'child', category: 'child.bullying', text, districtId: 'astana.esil' });
    const service = first.organisation.id;
    const serviceHead = await t.staff('head', service);
    await act(serviceHead.token, first.caseId, 'first_contact', { message: 'Сәлем! Мен психологпын, саған көмектесемін.' });
    await act(serviceHead.token, first.caseId, 'resolve', { outcome: 'explained', answer: 'Сынып жетекшісімен сөйлестік, 150 нөміріне де хабарласа аласың.' });
    const second = await submitCase(t, { channel: 'child', category: 'child.bullying', text, districtId: 'astana.esil' });
    const res = await similar(serviceHead.token, second.caseId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ items: unknown[] }>().items).toEqual([]);
    // A psychologist the case is not assigned to cannot read it: not found.
    expectError(await similar((await t.staff('psychologist', service)).token, second.caseId), 404, 'ERR_CASE_NOT_FOUND');
  });
});
