import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createLiveFeed } from '../../src/app/live-feed.ts';
import type { CaseChange } from '../../src/core/ports.ts';
import type { LiveFeedStore } from '../../src/storage/live-feed-store.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

const silent = pino({ level: 'silent' });

describe('live feed over the real database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: { LIVE_FEED_POLL_MS: 0 } });
  });
  afterAll(() => t.close());

  it('tells an organisation its new cases and their steps, and nobody else', async () => {
    const feed = t.platform.feed;
    const first = await submitCase(t);
    const esil: CaseChange[] = [];
    const other: CaseChange[] = [];
    const unsubscribe = feed.subscribe({ organisationId: first.organisation.id }, (c) => esil.push(c));
    feed.subscribe({ organisationId: 'kz.processing_centre' }, (c) => other.push(c));
    await feed.poll(); // the cursor starts at what is already there: no backlog
    expect(esil).toEqual([]);
    const receipt = await submitCase(t);
    expect(await feed.poll()).toBeGreaterThan(0);
    const registered = esil.find((c) => c.caseId === receipt.caseId);
    expect(registered).toMatchObject({ type: 'case.registered', organisationId: receipt.organisation.id, channel: 'city', stateKind: 'new' });
    expect(other).toEqual([]);

    const head = await t.staff('head', receipt.organisation.id);
    const taken = await t.request({ method: 'POST', url: `/api/v1/cases/${receipt.caseId}/actions/take_into_work`, headers: bearer(head.token), payload: {} });
    expect(taken.statusCode).toBe(200);
    await feed.poll();
    expect(esil.map((c) => c.type)).toEqual(['case.registered', 'case.taken_into_work']);
    expect(esil.at(-1)!.state).toBe(taken.json<{ state: string }>().state);

    unsubscribe();
    await submitCase(t);
    const before = esil.length;
    await feed.poll();
    expect(esil.length).toBe(before);
  });

  it('follows one case by id', async () => {
    const receipt = await submitCase(t);
    await t.platform.feed.poll(); // the feed is already running (the test above): its cursor is past the registration
    const seen: string[] = [];
    t.platform.feed.subscribe({ caseId: receipt.caseId }, (c) => seen.push(c.type));
    const citizenless = await t.staff('head', receipt.organisation.id);
    await t.request({ method: 'POST', url: `/api/v1/cases/${receipt.caseId}/messages`, headers: bearer(citizenless.token), payload: { body: 'Уточните адрес', visibility: 'internal' } });
    await t.platform.feed.poll();
    expect(seen).toEqual(['case.note_added']);
  });
});

/** A scripted store: the ids a sequence hands out commit out of order, which the feed must not lose. */
function scriptedStore(committed: CaseChange[]): LiveFeedStore {
  return {
    latestEventId: async () => Math.max(0, ...committed.map((c) => c.eventId)),
    changesAfter: async (cursor, missing, limit) =>
      committed.filter((c) => c.eventId > cursor || missing.includes(c.eventId)).sort((a, b) => a.eventId - b.eventId).slice(0, limit),
  };
}

const change = (eventId: number): CaseChange => ({
  eventId,
  caseId: `case-${eventId}`,
  type: 'case.registered',
  occurredAt: new Date(0),
  organisationId: 'org',
  fromOrganisationId: null,
  channel: 'city',
  urgency: 'normal',
  state: 'received',
  stateKind: 'new',
  confidential: false,
});

describe('live feed ordering', () => {
  it('delivers an id that committed after a later one, once', async () => {
    const committed: CaseChange[] = [];
    const feed = createLiveFeed(scriptedStore(committed), { intervalMs: 0, logger: silent });
    const got: number[] = [];
    feed.subscribe({}, (c) => got.push(c.eventId));
    await feed.poll();
    committed.push(change(1), change(3)); // 2 is still in an open transaction
    await feed.poll();
    expect(got).toEqual([1, 3]);
    committed.push(change(2), change(4));
    await feed.poll();
    await feed.poll();
    expect(got).toEqual([1, 3, 2, 4]);
  });

  it('a redirect reaches the organisation the case left', async () => {
    const committed: CaseChange[] = [];
    const feed = createLiveFeed(scriptedStore(committed), { intervalMs: 0, logger: silent });
    const left: string[] = [];
    feed.subscribe({ organisationId: 'old' }, (c) => left.push(c.type));
    await feed.poll();
    committed.push({ ...change(1), type: 'case.redirected', organisationId: 'new', fromOrganisationId: 'old' });
    await feed.poll();
    expect(left).toEqual(['case.redirected']);
  });

  it('a failing listener does not stop the others', async () => {
    const committed: CaseChange[] = [change(1)];
    const feed = createLiveFeed(scriptedStore(committed), { intervalMs: 0, logger: silent });
    const got: number[] = [];
    feed.subscribe({}, () => {
      throw new Error('broken client');
    });
    feed.subscribe({}, (c) => got.push(c.eventId));
    await feed.poll();
    committed.push(change(2));
    await feed.poll();
    expect(got).toEqual([2]);
  });
});
