import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { openSse, type SseEvent, type SseStream } from './sse.ts';

/**
 * The live chat between a child and the psychologist, on a listening server: tickets, the SSE stream
 * (initial messages, then new ones as the live feed tells them), writing through the case commands,
 * heartbeats and cleanup on disconnect.
 */

const PSY = 'astana.psychologists';

let t: TestApp;
let base: string;
let head: { token: string; id: string };
let psychologist: { token: string; id: string };
const streams: SseStream[] = [];

beforeAll(async () => {
  // The feed is polled by hand (LIVE_FEED_POLL_MS=0); heartbeats every second.
  t = await buildTestApp({ config: { LIVE_FEED_POLL_MS: 0, CHILD_CHAT_HEARTBEAT_MS: 1000, CHILD_CHAT_TICKET_TTL_SECONDS: 30 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  [head, psychologist] = await Promise.all([t.staff('head', PSY), t.staff('psychologist', PSY)]);
}, 180_000);
afterAll(async () => {
  for (const s of streams) s.close();
  await t.close();
});

async function newCase(): Promise<{ caseId: string; code: string }> {
  const res = await t.request({ method: 'POST', url: '/api/v1/child/reports', payload: { text: 'Мені сыныпта ешкім сөйлеспейді, жалғызбын', schoolCode: 'AST-035' } });
  expect(res.statusCode, res.body).toBe(201);
  const { caseId, trackingCode } = res.json<{ caseId: string; trackingCode: string }>();
  const assigned = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/assign`, headers: bearer(head.token), payload: { assigneeId: psychologist.id } });
  expect(assigned.statusCode, assigned.body).toBe(200);
  return { caseId, code: trackingCode };
}

const ticket = async (caseId: string, headers: Record<string, string>) => {
  const res = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/tickets`, headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ ticket: string; streamUrl: string; expiresAt: string }>();
};

const say = (caseId: string, headers: Record<string, string>, body: string) =>
  t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/messages`, headers, payload: { body } });

async function open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const s = await openSse(`${base}${url}`, headers);
  streams.push(s);
  return s;
}

const bodyOf = (e: SseEvent) => JSON.parse(e.data) as { id: string; body: string; authorRole: string; mine: boolean };
const isMessage = (text: string) => (e: SseEvent) => e.event === 'message' && bodyOf(e).body === text;

async function unsubscribed(n: number): Promise<void> {
  for (let i = 0; i < 100 && t.platform.feed.subscribers() > n; i++) await new Promise((r) => setTimeout(r, 20));
  expect(t.platform.feed.subscribers()).toBe(n);
}

/** Until the stream's connect has subscribed (the feed counts its listeners). */
async function subscribed(n: number): Promise<void> {
  for (let i = 0; i < 100 && t.platform.feed.subscribers() < n; i++) await new Promise((r) => setTimeout(r, 20));
  expect(t.platform.feed.subscribers()).toBeGreaterThanOrEqual(n);
}

describe('the child chat', () => {
  it('streams the dialog to the child by ticket, then each new message; notes never; the first message is the first contact', async () => {
    const { caseId, code } = await newCase();
    const child = { 'x-tracking-code': code };
    expect((await say(caseId, child, 'Сәлеметсіз бе, маған көмек керек')).statusCode).toBe(201);

    const issued = await ticket(caseId, child);
    expect(issued.streamUrl).not.toContain(code.replace(/-/g, ''));
    expect(issued.streamUrl).not.toContain(code);
    const stream = await open(issued.streamUrl);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await stream.next(isMessage('Сәлеметсіз бе, маған көмек керек'));
    expect(bodyOf(first)).toMatchObject({ authorRole: 'applicant', mine: true });
    expect(first.id).toBe(bodyOf(first).id);
    await stream.next((e) => e.event === 'state' && JSON.parse(e.data).state === 'received');

    // An internal note on the case never reaches the chat.
    const note = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/messages`, headers: bearer(psychologist.token), payload: { body: 'ІШКІ ЖАЗБА: ата-анасына хабарласу', visibility: 'internal' } });
    expect(note.statusCode).toBe(201);
    // The psychologist's first chat message is the first contact: the case moves on, the 24-hour term is met.
    t.clock.advance(60_000);
    const reply = await say(caseId, bearer(psychologist.token), 'Сәлем! Мен психологпын. Не болды?');
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({ authorRole: 'psychologist', mine: true });
    await t.platform.feed.poll();
    const answer = await stream.next(isMessage('Сәлем! Мен психологпын. Не болды?'));
    expect(bodyOf(answer)).toMatchObject({ authorRole: 'psychologist', mine: false });
    await stream.next((e) => e.event === 'state' && JSON.parse(e.data).state === 'in_contact');
    const deadlines = await t.platform.read.store.deadlines(caseId);
    expect(deadlines.map((d) => [d.obligation, d.state])).toEqual([['first_contact', 'met']]);
    const events = (await t.platform.read.store.events(caseId)).map((e) => e.type);
    expect(events).toContain('case.first_contact');

    // The child writes again: it arrives once, in order.
    t.clock.advance(1000);
    expect((await say(caseId, child, 'Рахмет')).statusCode).toBe(201);
    await t.platform.feed.poll();
    await stream.next(isMessage('Рахмет'));
    const bodies = stream.events.filter((e) => e.event === 'message').map((e) => bodyOf(e).body);
    expect(bodies).toEqual(['Сәлеметсіз бе, маған көмек керек', 'Сәлем! Мен психологпын. Не болды?', 'Рахмет']);
    expect(stream.events.some((e) => e.data.includes('ІШКІ ЖАЗБА'))).toBe(false);
    stream.close();
  });

  it('sends heartbeats and lets go of the feed when the client disconnects', async () => {
    const { caseId, code } = await newCase();
    // The streams of the tests before have closed (their server side notices the disconnect).
    await unsubscribed(0);
    const stream = await open(`/api/v1/cases/${caseId}/chat/stream`, { 'x-tracking-code': code });
    expect(stream.status).toBe(200);
    await subscribed(1);
    for (let i = 0; i < 40 && stream.comments.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(stream.comments).toContain(': ping');
    stream.close();
    await unsubscribed(0);
  });

  it('records a staff member reading the chat once per connection', async () => {
    const { caseId, code } = await newCase();
    await say(caseId, { 'x-tracking-code': code }, 'Мен қорқамын');
    const reads = async () => (await t.platform.read.store.events(caseId)).filter((e) => e.type === 'case.confidential_read' && e.payload['what'] === 'chat');
    const issued = await ticket(caseId, bearer(psychologist.token));
    expect(await reads()).toHaveLength(0); // a ticket reads nothing
    const stream = await open(issued.streamUrl);
    await stream.next(isMessage('Мен қорқамын'));
    await say(caseId, { 'x-tracking-code': code }, 'Сіз осындасыз ба?');
    await t.platform.feed.poll();
    await stream.next(isMessage('Сіз осындасыз ба?'));
    expect((await reads()).map((e) => [e.actorId, e.actorRole])).toEqual([[psychologist.id, 'psychologist']]);
    stream.close();
    const again = await open((await ticket(caseId, bearer(psychologist.token))).streamUrl);
    await again.next(isMessage('Сіз осындасыз ба?'));
    expect(await reads()).toHaveLength(2);
    again.close();
  });

  it('skips what a reconnecting client already has (Last-Event-ID)', async () => {
    const { caseId, code } = await newCase();
    const child = { 'x-tracking-code': code };
    const one = (await say(caseId, child, 'бір')).json<{ id: string }>();
    t.clock.advance(1000); // messages are ordered by their time
    await say(caseId, child, 'екі');
    const stream = await open(`/api/v1/cases/${caseId}/chat/stream`, { ...child, 'last-event-id': one.id });
    await stream.next(isMessage('екі'));
    expect(stream.events.filter((e) => e.event === 'message').map((e) => bodyOf(e).body)).toEqual(['екі']);
    stream.close();
  });
});

describe('chat bad input', () => {
  it('refuses a reused, forged, expired or foreign ticket with 401', async () => {
    const { caseId, code } = await newCase();
    const other = await newCase();
    const issued = await ticket(caseId, { 'x-tracking-code': code });
    const stream = await open(issued.streamUrl);
    expect(stream.status).toBe(200);
    stream.close();
    const reused = await fetch(`${base}${issued.streamUrl}`);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('ERR_CHAT_TICKET_INVALID');
    const forged = await fetch(`${base}/api/v1/cases/${caseId}/chat/stream?ticket=tct_forged`);
    expect(forged.status).toBe(401);
    const foreign = await ticket(other.caseId, { 'x-tracking-code': other.code });
    const crossed = await fetch(`${base}/api/v1/cases/${caseId}/chat/stream?ticket=${foreign.ticket}`);
    expect(crossed.status).toBe(401);
    const late = await ticket(caseId, { 'x-tracking-code': code });
    t.clock.advance(31_000);
    const expired = await fetch(`${base}${late.streamUrl}`);
    expect(expired.status).toBe(401);
    expect((await fetch(`${base}/api/v1/cases/${caseId}/chat/stream`)).status).toBe(401);
  });

  it('keeps the chat closed to everyone else, and to other channels', async () => {
    const { caseId } = await newCase();
    const other = await newCase();
    const outsider = await t.staff('psychologist', PSY);
    const foreignCode = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/tickets`, headers: { 'x-tracking-code': other.code } });
    expect(foreignCode.statusCode).toBe(404);
    const notAssigned = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/tickets`, headers: bearer(outsider.token) });
    expect(notAssigned.statusCode).toBe(404);
    expect((await say(caseId, bearer(outsider.token), 'Сәлем')).statusCode).toBe(404);
    const forged = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/tickets`, headers: { 'x-tracking-code': 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ' } });
    expect(forged.statusCode).toBe(401);
    const city = await t.request({ method: 'POST', url: '/api/v1/cases', payload: { channel: 'city', category: 'roads.lighting', text: 'Не горят фонари во дворе', districtId: 'astana.esil' } });
    const cityCode = city.json<{ caseId: string; trackingCode: string }>();
    const noChat = await t.request({ method: 'POST', url: `/api/v1/cases/${cityCode.caseId}/chat/tickets`, headers: { 'x-tracking-code': cityCode.trackingCode } });
    expect(noChat.statusCode).toBe(409);
    expect(noChat.json().error.code).toBe('ERR_CHAT_NOT_AVAILABLE');
  });

  it('refuses a 10 MB message, an empty one and a wrong shape, storing nothing', async () => {
    const { caseId, code } = await newCase();
    const child = { 'x-tracking-code': code };
    const count = async () => (await t.platform.read.store.messages(caseId, true)).length;
    const before = await count();
    const huge = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/messages`, headers: child, payload: { body: 'x'.repeat(10 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    const long = await say(caseId, child, 'я'.repeat(20_001));
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('ERR_TEXT_TOO_LONG');
    const blank = await say(caseId, child, '\u200b\u200b');
    expect(blank.json().error.code).toBe('ERR_TEXT_EMPTY');
    const shape = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/chat/messages`, headers: child, payload: { body: 'сәлем', visibility: 'internal' } });
    expect(shape.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });
});
