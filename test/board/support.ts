import type { AddressInfo } from 'node:net';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase, type SubmittedCase } from '../support/factories.ts';
import { openSse, type SseEvent, type SseStream } from './sse-client.ts';

export interface BoardWire {
  organisationId: string;
  generatedAt: string;
  truncated: boolean;
  rows: { id: string; urgency: string; receivedAt: string; state: string; stateKind: string; confidential: boolean; secondsLeft: number | null; assignee: { id: string } | null; version: number }[];
}

export interface ListeningApp extends TestApp {
  base: string;
  stream(query: string, headers?: Record<string, string>): Promise<SseStream>;
}

/** A test app listening on 127.0.0.1 (inject() cannot stream), the feed polled by hand unless told otherwise. */
export async function listeningApp(config: Record<string, unknown> = {}): Promise<ListeningApp> {
  const t = await buildTestApp({ config: { LIVE_FEED_POLL_MS: 0, ...config } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return { ...t, base, stream: (query, headers = {}) => openSse(`${base}/api/v1/board/stream${query}`, headers) };
}

/** A 109 case in Astana's Esil district: street lighting → astana.utility.lighting. */
export const LIGHTING = 'astana.utility.lighting';
export const cityCase = (t: TestApp, body: Record<string, unknown> = {}): Promise<SubmittedCase> => submitCase(t, { category: 'roads.lighting', districtId: 'astana.esil', ...body });

/** A 102 report in Esil: theft → the district police. */
export const ESIL_POLICE = 'astana.police.esil';
export const policeCase = (t: TestApp, body: Record<string, unknown> = {}): Promise<SubmittedCase> =>
  submitCase(t, { channel: 'police', category: 'safety.theft', text: 'У подъезда украли велосипед, только что', location: POINTS.astanaEsil, ...body });

export const snapshotOf = (e: SseEvent): BoardWire => JSON.parse(e.data) as BoardWire;

export const caseData = (e: SseEvent) => JSON.parse(e.data) as { op: 'upsert' | 'remove'; id?: string; row?: BoardWire['rows'][number] };

export async function boardOf(t: TestApp, token: string, organisationId?: string): Promise<BoardWire> {
  const res = await t.request({ method: 'GET', url: `/api/v1/board${organisationId ? `?organisationId=${organisationId}` : ''}`, headers: bearer(token) });
  if (res.statusCode !== 200) throw new Error(`board ${res.statusCode}: ${res.body}`);
  return res.json<BoardWire>();
}

/** Polls the feed until the predicate holds (the board reads each change after the poll, asynchronously). */
export async function until(t: TestApp, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await t.platform.feed.poll();
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Polls the feed until the stream shows a matching event. */
export async function pollFor(t: TestApp, stream: SseStream, predicate: (e: SseEvent) => boolean, timeoutMs = 5_000): Promise<SseEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await t.platform.feed.poll();
    try {
      return await stream.next(predicate, 50);
    } catch (err) {
      if (Date.now() > deadline || (err as Error).message === 'the stream ended') throw err;
    }
  }
}
