import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.ts';
import { LIGHTING, listeningApp, type ListeningApp } from './support.ts';

interface Ticket {
  ticket: string;
  organisationId: string;
  expiresAt: string;
}

describe('board tickets (EventSource cannot send headers)', () => {
  let t: ListeningApp;
  let dispatcher: { token: string };
  beforeAll(async () => {
    t = await listeningApp({ BOARD_TICKET_TTL_SECONDS: 30 });
    dispatcher = await t.staff('dispatcher', LIGHTING);
  });
  afterAll(() => t.close());

  const issue = async (token: string, body: Record<string, unknown> = {}) => t.request({ method: 'POST', url: '/api/v1/board/tickets', headers: bearer(token), payload: body });
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it('opens the stream once, without a header', async () => {
    const res = await issue(dispatcher.token);
    expect(res.statusCode).toBe(201);
    const { ticket, organisationId } = res.json<Ticket>();
    expect(organisationId).toBe(LIGHTING);
    const stream = await t.stream(`?ticket=${encodeURIComponent(ticket)}`);
    expect(stream.status).toBe(200);
    expect((await stream.next((e) => e.event === 'snapshot')).event).toBe('snapshot');
    stream.close();

    const again = await fetch(`${t.base}/api/v1/board/stream?ticket=${encodeURIComponent(ticket)}`);
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe('ERR_BOARD_TICKET_INVALID');
  });

  it('refuses an expired ticket', async () => {
    const { ticket } = (await issue(dispatcher.token)).json<Ticket>();
    t.clock.advance(31_000);
    const res = await fetch(`${t.base}/api/v1/board/stream?ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('ERR_BOARD_TICKET_INVALID');
  });

  it('refuses a forged or malformed ticket, and a ticket for another board', async () => {
    for (const forged of [`tyb_${'A'.repeat(43)}`, 'not-a-ticket', `tyb_${'x'.repeat(150)}`]) {
      const res = await fetch(`${t.base}/api/v1/board/stream?ticket=${encodeURIComponent(forged)}`);
      expect(res.status, forged).toBe(401);
      expect(await errorCode(res)).toBe('ERR_BOARD_TICKET_INVALID');
    }
    const { ticket } = (await issue(dispatcher.token)).json<Ticket>();
    const other = await fetch(`${t.base}/api/v1/board/stream?ticket=${encodeURIComponent(ticket)}&organisationId=astana.utility.heat`);
    expect(other.status).toBe(403);
  });

  it('is issued only to those who may watch the board', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/board/tickets', payload: {} })).statusCode).toBe(401);
    expect((await issue(dispatcher.token, { organisationId: 'astana.utility.heat' })).statusCode).toBe(403);
    const analyst = await t.staff('analyst', LIGHTING);
    expect((await issue(analyst.token)).statusCode).toBe(403);
    expect((await issue(dispatcher.token, { organisationId: LIGHTING, extra: 1 })).statusCode).toBe(400);
  });
});
