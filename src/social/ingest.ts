/**
 * The ingestion pipeline every social connector feeds: a batch of posts → author handles hashed → the
 * evidence rules applied against the stored rows (locked) → new texts read (understanding, places) → rows,
 * versions and updates written in one transaction → each change handed to the sink after the commit.
 * Idempotent by (source, external id): a batch delivered twice changes nothing the second time.
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../core/ports.ts';
import type { Skipped } from './connectors/common.ts';
import { applyDelivery, toSocialPost, type Applied, type NewVersion, type Outcome, type PostState } from './ingest-rules.ts';
import { readPost, type ReadingDeps } from './ingest-reading.ts';
import type { PostSink, RawPost, SinkKind, SocialFormat, SocialPost } from './post.ts';
import { isRetryableSocialWrite, type SocialStore } from '../storage/social-store.ts';

export interface SocialIngestDeps {
  store: SocialStore;
  reading: ReadingDeps;
  /** The server's secret: authors' handles are kept as HMACs with a key derived from it. */
  secretKey: string;
  clock: Clock;
  uuid: () => string;
  /** Where committed changes go (the issue clustering plugs in here). */
  sink: PostSink;
  /** A sink that throws does not undo the evidence: the error is counted and reported here. */
  onSinkError?: (err: unknown, post: SocialPost, kind: SinkKind) => void;
}

/** Counts of one batch or a whole import; `skipped` only from connectors (the pipeline skips nothing). */
export interface IngestCounts {
  /** Posts (deliveries) handed to the pipeline. */
  received: number;
  new: number;
  edits: number;
  deletions: number;
  duplicates: number;
  /** Edits and deletions that came before their post (held or standing in; reconciled when it came). */
  early: number;
  /** Originals that came after their edit. */
  reconciled: number;
  sinkErrors: number;
}

export const emptyCounts = (): IngestCounts => ({ received: 0, new: 0, edits: 0, deletions: 0, duplicates: 0, early: 0, reconciled: 0, sinkErrors: 0 });

export function addCounts(into: IngestCounts, more: IngestCounts): IngestCounts {
  for (const k of Object.keys(into) as (keyof IngestCounts)[]) into[k] += more[k];
  return into;
}

const OUTCOME_FIELD: Record<Outcome, keyof IngestCounts> = { new: 'new', edit: 'edits', deletion: 'deletions', duplicate: 'duplicates', reconciled: 'reconciled' };

/** HMAC-SHA-256 of the handle (trimmed, "@" dropped, lower case) under a key for this purpose only. */
export function authorKeyer(secretKey: string): (handle: string) => string {
  const key = createHmac('sha256', secretKey).update('tyndau social author handle v1').digest();
  return (handle) => createHmac('sha256', key).update(handle.trim().replace(/^@/, '').toLowerCase()).digest('hex');
}

/** The most posts one call writes in one transaction; bigger batches are split. */
export const MAX_BATCH = 2_000;

export interface SocialIngest {
  ingest(format: SocialFormat, posts: readonly RawPost[]): Promise<IngestCounts>;
}

export function createSocialIngest(deps: SocialIngestDeps): SocialIngest {
  const keyOf = authorKeyer(deps.secretKey);

  async function once(format: SocialFormat, posts: readonly RawPost[]): Promise<{ counts: IngestCounts; handOn: [SocialPost, SinkKind][] }> {
    return deps.store.atomically(async () => {
      const seenAt = deps.clock.now();
      const keyString = (source: string, id: string) => `${source}\u0000${id}`;
      const unique = new Map<string, { source: string; externalId: string }>();
      for (const p of posts) unique.set(keyString(p.source, p.externalId), { source: p.source, externalId: p.externalId });
      const existing = new Map((await deps.store.lockPosts([...unique.values()])).map((s) => [keyString(s.source, s.externalId), s]));
      const states = new Map<string, PostState>(existing);
      const counts = emptyCounts();
      const versions: NewVersion[] = [];
      const stale = new Set<PostState>();
      const changed = new Set<PostState>();
      const events: [PostState, SinkKind][] = [];
      for (const post of posts) {
        const k = keyString(post.source, post.externalId);
        const applied: Applied = applyDelivery(states.get(k), { post, format, authorKey: post.authorHandle ? keyOf(post.authorHandle) : null }, seenAt, deps.uuid);
        states.set(k, applied.state);
        counts.received++;
        counts[OUTCOME_FIELD[applied.outcome]]++;
        if (applied.early) counts.early++;
        if (applied.outcome !== 'duplicate') changed.add(applied.state);
        if (applied.version) versions.push(applied.version);
        if (applied.textChanged) stale.add(applied.state);
        for (const kind of applied.sink) events.push([applied.state, kind]);
      }
      // Read each changed text once, whatever number of versions the batch brought.
      for (const s of stale) s.reading = readPost(deps.reading, s.text, s.place);
      // In key order, as the rows are locked: batches sharing new posts wait for each other, never deadlock.
      const byKey = (a: PostState, b: PostState) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0);
      const inserts = [...changed].filter((s) => !existing.has(keyString(s.source, s.externalId))).sort(byKey);
      const updates = [...changed].filter((s) => existing.has(keyString(s.source, s.externalId)));
      await deps.store.insertPosts(inserts);
      await deps.store.updatePosts(updates);
      await deps.store.insertVersions(versions);
      // The sink hears each post as it stands after the batch (one snapshot per post).
      const snapshot = new Map<PostState, SocialPost>();
      const handOn = events.map(([s, kind]): [SocialPost, SinkKind] => [snapshot.get(s) ?? snapshot.set(s, toSocialPost(s)).get(s)!, kind]);
      return { counts, handOn };
    });
  }

  async function batch(format: SocialFormat, posts: readonly RawPost[]): Promise<IngestCounts> {
    let result: Awaited<ReturnType<typeof once>> | undefined;
    // A concurrent insert of the same post by another node: the second try finds its row and locks it.
    // (A deadlock cannot come from our own lock order; it is retried all the same, as a second line of defence.)
    for (let attempt = 1; !result; attempt++) {
      try {
        result = await once(format, posts);
      } catch (err) {
        if (!isRetryableSocialWrite(err) || attempt >= 5) throw err;
      }
    }
    for (const [post, kind] of result.handOn) {
      try {
        await deps.sink.accept(post, kind);
      } catch (err) {
        result.counts.sinkErrors++;
        deps.onSinkError?.(err, post, kind);
      }
    }
    return result.counts;
  }

  return {
    async ingest(format, posts) {
      const total = emptyCounts();
      for (let i = 0; i < posts.length; i += MAX_BATCH) addCounts(total, await batch(format, posts.slice(i, i + MAX_BATCH)));
      return total;
    },
  };
}

/** What an import reports: the pipeline's counts plus what the connector skipped, grouped by reason. */
export interface ImportSummary extends IngestCounts {
  /** Lines or messages read from the file (posts + skipped). */
  read: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  /** The first skipped lines, with where and why (at most 100). */
  examples: Skipped[];
}

export function summarise(counts: IngestCounts, skipped: readonly Skipped[], examplesMax = 100): ImportSummary {
  const byReason: Record<string, number> = {};
  for (const s of skipped) byReason[s.reason] = (byReason[s.reason] ?? 0) + 1;
  return { ...counts, read: counts.received + skipped.length, skipped: skipped.length, skippedByReason: byReason, examples: skipped.slice(0, examplesMax) };
}
