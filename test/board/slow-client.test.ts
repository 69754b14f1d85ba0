import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/core/principal.ts';
import { createBoardHubs, type BoardSink } from '../../src/http/routes/board/hub.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { cityCase, LIGHTING, until } from './support.ts';

/** A client's end of the stream: one that reads everything, or one that never reads (its queue only grows). */
function sink(reads: boolean) {
  const s = { chunks: [] as string[], queued: 0, closed: false };
  const api: BoardSink = {
    write: (chunk) => {
      s.chunks.push(chunk);
      if (!reads) s.queued += Buffer.byteLength(chunk);
    },
    queuedBytes: () => s.queued,
    close: () => {
      s.closed = true;
    },
  };
  return { state: s, api };
}

describe('a client that does not read', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: { LIVE_FEED_POLL_MS: 0 } });
  });
  afterAll(() => t.close());

  it('is dropped once its queue passes the limit; the others go on', async () => {
    const hubs = createBoardHubs(t.platform.board, { heartbeatMs: 60_000, retryMs: 3_000, clientBufferBytes: 4_096, replayEvents: 100, logger: pino({ level: 'silent' }) });
    const principal: StaffPrincipal = { type: 'staff', userId: t.platform.identity.ids.uuid(), role: 'dispatcher', organisationId: LIGHTING, scope: new Set([LIGHTING]) };
    const reader = sink(true);
    const stuck = sink(false);
    await hubs.connect(principal, LIGHTING, reader.api, undefined);
    await hubs.connect(principal, LIGHTING, stuck.api, undefined);
    expect(hubs.clients(LIGHTING)).toBe(2);
    await t.platform.feed.poll();

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await cityCase(t, { text: `Фонарь №${i} не горит, адрес длинный`, address: `ул. Кенесары, ${i} — ${'подъезд '.repeat(40)}` })).caseId);
    await until(t, () => reader.state.chunks.filter((c) => c.includes('"op":"upsert"')).length === ids.length);

    expect(stuck.state.closed).toBe(true);
    expect(stuck.state.queued).toBeGreaterThan(4_096);
    expect(stuck.state.queued).toBeLessThan(4_096 + 4_096); // dropped at the first write past the limit, not later
    expect(reader.state.closed).toBe(false);
    expect(hubs.clients(LIGHTING)).toBe(1);
    hubs.closeAll();
    expect(reader.state.closed).toBe(true);
    expect(t.platform.feed.subscribers()).toBe(0);
  });
});
