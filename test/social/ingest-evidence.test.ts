import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/manual-clock.ts';
import { authorKeyer, createSocialIngest, type SocialIngest } from '../../src/social/ingest.ts';
import type { ReadingDeps } from '../../src/social/ingest-reading.ts';
import type { PostSink, RawPost, SinkKind, SocialPost } from '../../src/social/post.ts';
import { createSocialStore, type SocialStore } from '../../src/storage/social-store.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const SECRET = 'social-test-secret-0123456789abcdef';

/** A reading that shows what it was given: relevant when the text says "нет", district from "Самал". */
const reading: ReadingDeps = {
  understand: (text) => ({ relevant: text.toLowerCase().includes('нет'), category: 'housing.heating', confidence: 0.9, urgency: 'normal', language: 'ru' }),
  detectLanguage: () => 'ru',
  resolvePlace: (text) => (text.includes('Самал') ? { city: 'astana', districtId: 'astana.esil', mentions: [{ text: 'Самал-2' }] } : { city: null, districtId: null, mentions: [] }),
  districtAt: () => ({ districtId: 'astana.almaty', city: 'astana' }),
};

let testDb: TestDb;
let store: SocialStore;
let ingest: SocialIngest;
const clock = new ManualClock(new Date('2026-11-25T05:00:00Z'));
const heard: [string, SinkKind, string, boolean][] = [];
const sink: PostSink = { accept: (p: SocialPost, kind) => void heard.push([p.externalId, kind, p.text, p.deleted]) };

const post = (id: string, over: Partial<RawPost> = {}): RawPost => ({
  source: 'vk:test',
  externalId: id,
  authorHandle: '@Aigerim_S',
  time: new Date('2026-11-25T04:00:00Z'),
  text: `Нет отопления в Самал-2, пост ${id}`,
  mediaUrls: [],
  place: null,
  replyTo: null,
  threadId: 'wall',
  kind: 'post',
  editedAt: null,
  ...over,
});

beforeAll(async () => {
  testDb = await createTestDb({ seed: false });
  store = createSocialStore(testDb.db);
  ingest = createSocialIngest({ store, reading, secretKey: SECRET, clock, uuid: randomUUID, sink });
});
afterAll(() => testDb.dispose());

describe('the evidence', () => {
  it('keeps a post with its first-seen time, content hash, reading and the author as a keyed hash only', async () => {
    heard.length = 0;
    const counts = await ingest.ingest('jsonl', [post('a1', { place: { lat: 51.1, lon: 71.4 } })]);
    expect(counts).toMatchObject({ received: 1, new: 1, duplicates: 0 });
    const s = (await store.findPost({ source: 'vk:test', externalId: 'a1' }))!;
    expect(s.firstSeenAt.toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(s.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // The point outranks the text's place; the classifier's reading is kept with the post.
    expect(s.reading).toEqual({ relevant: true, category: 'housing.heating', confidence: 0.9, urgency: 'normal', language: 'ru', city: 'astana', districtId: 'astana.almaty', places: ['Самал-2'] });
    // The handle is an HMAC with a key derived from the server secret: case, "@" and spaces do not matter.
    expect(s.authorKey).toBe(authorKeyer(SECRET)(' aigerim_s'));
    expect(s.authorKey).not.toBe(createHmac('sha256', SECRET).update('aigerim_s').digest('hex'));
    const { rows } = await testDb.db.query<{ n: string }>("SELECT count(*)::text AS n FROM social_posts WHERE author_handle IS NOT NULL OR text LIKE '%Aigerim%' OR author_key LIKE '%igerim%'");
    expect(rows[0]!.n).toBe('0');
    expect(heard).toEqual([['a1', 'new', 'Нет отопления в Самал-2, пост a1', false]]);
  });

  it('changes nothing on a duplicate delivery, in another batch or in the same one', async () => {
    heard.length = 0;
    const before = await store.findPost({ source: 'vk:test', externalId: 'a1' });
    clock.advance(60_000);
    const counts = await ingest.ingest('jsonl', [post('a1', { place: { lat: 51.1, lon: 71.4 } }), post('a2'), post('a2')]);
    expect(counts).toMatchObject({ received: 3, new: 1, duplicates: 2, edits: 0 });
    expect(await store.findPost({ source: 'vk:test', externalId: 'a1' })).toEqual(before);
    expect(heard.map((h) => h.slice(0, 2))).toEqual([['a2', 'new']]);
    const { rows } = await testDb.db.query<{ n: string }>("SELECT count(*)::text AS n FROM social_post_versions v JOIN social_posts p ON p.id = v.post_id WHERE p.external_id IN ('a1', 'a2')");
    expect(rows[0]!.n).toBe('2');
  });

  it('records every later edit as a version, the latest current; a repeated edit adds nothing; an older one is kept but not current', async () => {
    heard.length = 0;
    const edit = (text: string, at: string) => post('a2', { kind: 'edit', text, editedAt: new Date(at) });
    expect(await ingest.ingest('jsonl', [edit('Уже неделю нет отопления', '2026-11-25T04:10:00Z')])).toMatchObject({ edits: 1 });
    expect(await ingest.ingest('jsonl', [edit('Уже неделю нет отопления', '2026-11-25T04:10:00Z'), edit('Починили', '2026-11-25T04:20:00Z')])).toMatchObject({ edits: 1, duplicates: 1 });
    expect(await ingest.ingest('jsonl', [edit('Промежуточная правка', '2026-11-25T04:15:00Z')])).toMatchObject({ edits: 1 });
    const s = (await store.findPost({ source: 'vk:test', externalId: 'a2' }))!;
    expect(s).toMatchObject({ text: 'Починили', edits: 3 });
    expect(s.reading?.relevant).toBe(false);
    const versions = await store.versionsOf(s.id);
    expect(versions.map((v) => [v.kind, v.text])).toEqual([
      ['post', 'Нет отопления в Самал-2, пост a2'],
      ['edit', 'Уже неделю нет отопления'],
      ['edit', 'Промежуточная правка'],
      ['edit', 'Починили'],
    ]);
    // The sink hears each change of the current text; the late, older edit changes nothing it sees.
    expect(heard.map((h) => [h[1], h[2]])).toEqual([['edit', 'Уже неделю нет отопления'], ['edit', 'Починили']]);
  });

  it('keeps an edit that arrives before its post, and reconciles the original when it comes, counting the post once', async () => {
    heard.length = 0;
    const edited = post('b1', { kind: 'edit', text: 'Нет воды, исправлено', editedAt: new Date('2026-11-25T04:30:00Z') });
    expect(await ingest.ingest('telegram-bot', [edited])).toMatchObject({ new: 1, early: 1, edits: 0 });
    expect(await ingest.ingest('telegram-bot', [post('b1', { text: 'Нет воды' })])).toMatchObject({ new: 0, reconciled: 1 });
    expect(await ingest.ingest('telegram-bot', [post('b1', { text: 'Нет воды' }), edited])).toMatchObject({ duplicates: 2 });
    const s = (await store.findPost({ source: 'vk:test', externalId: 'b1' }))!;
    expect(s).toMatchObject({ text: 'Нет воды, исправлено', edits: 1, originalSeen: true });
    expect((await store.versionsOf(s.id)).map((v) => [v.kind, v.text])).toEqual([['post', 'Нет воды'], ['edit', 'Нет воды, исправлено']]);
    expect(heard.map((h) => h.slice(0, 3))).toEqual([['b1', 'new', 'Нет воды, исправлено']]);
  });

  it('records a deletion without applying it, once; a deletion before its post is held until the post comes', async () => {
    heard.length = 0;
    const del = (id: string) => post(id, { kind: 'delete', text: '', editedAt: new Date('2026-11-25T06:00:00Z') });
    expect(await ingest.ingest('jsonl', [del('a1'), del('a1')])).toMatchObject({ deletions: 1, duplicates: 1 });
    const a1 = (await store.findPost({ source: 'vk:test', externalId: 'a1' }))!;
    expect(a1).toMatchObject({ text: 'Нет отопления в Самал-2, пост a1', deletedAt: new Date('2026-11-25T06:00:00Z') });
    expect(await ingest.ingest('jsonl', [del('c1')])).toMatchObject({ deletions: 1, early: 1 });
    expect(await store.findPost({ source: 'vk:test', externalId: 'c1' })).toMatchObject({ textKnown: false, text: '' });
    expect(await ingest.ingest('jsonl', [post('c1')])).toMatchObject({ new: 1, early: 1 });
    expect(await store.findPost({ source: 'vk:test', externalId: 'c1' })).toMatchObject({ textKnown: true, text: 'Нет отопления в Самал-2, пост c1' });
    expect(heard.map((h) => [h[0], h[1], h[3]])).toEqual([['a1', 'delete', true], ['c1', 'new', true], ['c1', 'delete', true]]);
  });

  it('loses nothing and counts nothing twice in a burst of 5,000 posts delivered twice, in parallel', async () => {
    const burst = Array.from({ length: 5_000 }, (_, i) => post(`burst-${i}`, { authorHandle: `user${i % 300}` }));
    const [x, y] = await Promise.all([ingest.ingest('nats', burst), ingest.ingest('nats', [...burst].reverse())]);
    expect(x.new + y.new).toBe(5_000);
    expect(x.duplicates + y.duplicates).toBe(5_000);
    const { rows } = await testDb.db.query<{ n: string; authors: string }>("SELECT count(*)::text AS n, count(DISTINCT author_key)::text AS authors FROM social_posts WHERE external_id LIKE 'burst-%'");
    expect(rows[0]).toEqual({ n: '5000', authors: '300' });
  }, 60_000);
});
