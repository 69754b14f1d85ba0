/**
 * Social listening's evidence (migrations/0013_social.sql): posts by (source, external id) with their
 * versions. Set-based: a batch of posts is locked, inserted and updated in a handful of statements (unnest
 * of typed arrays), so ingestion keeps up with a firehose. The rules of what a delivery changes live in
 * src/social/ingest-rules.ts; this file only reads and writes rows.
 */
import type { SocialFormat, SocialReading } from '../social/post.ts';
import type { NewVersion, PostState } from '../social/ingest-rules.ts';
import type { Db } from './db.ts';

export interface PostKey {
  source: string;
  externalId: string;
}

/** Another node inserted one of the batch's posts meanwhile: run the batch again (its rows now exist). */
export class SocialInsertRace extends Error {
  constructor() {
    super('a post of the batch was inserted concurrently');
  }
}

/** A batch worth running again: a concurrent insert, or PostgreSQL's deadlock or serialization failure. */
export const isRetryableSocialWrite = (err: unknown): boolean =>
  err instanceof SocialInsertRace || (typeof err === 'object' && err !== null && ['40P01', '40001'].includes(String((err as { code?: unknown }).code)));

export interface SocialVersionRow {
  kind: 'post' | 'edit';
  text: string;
  mediaUrls: string[];
  contentHash: string;
  writtenAt: Date;
  seenAt: Date;
}

export interface SocialStore {
  /** Runs fn in one transaction (every call inside joins it). */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
  /** The posts of these keys that exist, locked until the transaction ends, with their versions' keys. */
  lockPosts(keys: readonly PostKey[]): Promise<PostState[]>;
  /** Inserts new posts; throws SocialInsertRace when one exists already (a concurrent insert). */
  insertPosts(posts: readonly PostState[]): Promise<void>;
  updatePosts(posts: readonly PostState[]): Promise<void>;
  insertVersions(versions: readonly NewVersion[]): Promise<void>;
  findPost(key: PostKey): Promise<PostState | null>;
  /** Every version of a post, oldest (by the platform's time) first. */
  versionsOf(postId: string): Promise<SocialVersionRow[]>;
  /** The handle in clear, once the post is adopted into a case (the caller checks it against the key). */
  adopt(postId: string, caseId: string, handle: string | null): Promise<boolean>;
  countPosts(): Promise<number>;
}

interface PostRow {
  id: string;
  source: string;
  external_id: string;
  format: SocialFormat;
  author_key: string | null;
  posted_at: Date;
  text: string;
  media_urls: unknown;
  lat: number | null;
  lon: number | null;
  reply_to: string | null;
  thread_id: string | null;
  first_seen_at: Date;
  content_hash: string;
  current_at: Date;
  edits: number;
  original_seen: boolean;
  text_known: boolean;
  deleted_at: Date | null;
  reading: unknown;
  versions: unknown;
}

const json = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function fromRow(r: PostRow): PostState {
  const versions = (json(r.versions) ?? []) as [string, string][];
  return {
    id: r.id,
    source: r.source,
    externalId: r.external_id,
    format: r.format,
    authorKey: r.author_key,
    time: date(r.posted_at),
    text: r.text,
    mediaUrls: json(r.media_urls) as string[],
    place: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
    replyTo: r.reply_to,
    threadId: r.thread_id,
    firstSeenAt: date(r.first_seen_at),
    contentHash: r.content_hash,
    currentAt: date(r.current_at),
    edits: r.edits,
    originalSeen: r.original_seen,
    textKnown: r.text_known,
    deletedAt: r.deleted_at === null ? null : date(r.deleted_at),
    reading: (json(r.reading) ?? null) as SocialReading | null,
    versions: new Map(versions),
  };
}

const SELECT = `SELECT p.id, p.source, p.external_id, p.format, p.author_key, p.posted_at, p.text, p.media_urls, p.lat, p.lon,
  p.reply_to, p.thread_id, p.first_seen_at, p.content_hash, p.current_at, p.edits, p.original_seen, p.text_known, p.deleted_at, p.reading,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(v.version_key, v.content_hash)), '[]'::jsonb) FROM social_post_versions v WHERE v.post_id = p.id) AS versions
  FROM social_posts p`;

/** The columns a post's row is written with, as parallel arrays for unnest (one statement per batch). */
function columns(posts: readonly PostState[]): unknown[] {
  const r = (p: PostState) => p.reading;
  return [
    posts.map((p) => p.id),
    posts.map((p) => p.source),
    posts.map((p) => p.externalId),
    posts.map((p) => p.format),
    posts.map((p) => p.authorKey),
    posts.map((p) => p.time.toISOString()),
    posts.map((p) => p.text),
    posts.map((p) => JSON.stringify(p.mediaUrls)),
    posts.map((p) => p.place?.lat ?? null),
    posts.map((p) => p.place?.lon ?? null),
    posts.map((p) => p.replyTo),
    posts.map((p) => p.threadId),
    posts.map((p) => p.firstSeenAt.toISOString()),
    posts.map((p) => p.contentHash),
    posts.map((p) => p.currentAt.toISOString()),
    posts.map((p) => p.edits),
    posts.map((p) => p.originalSeen),
    posts.map((p) => p.textKnown),
    posts.map((p) => p.deletedAt?.toISOString() ?? null),
    posts.map((p) => r(p)?.relevant ?? null),
    posts.map((p) => r(p)?.category ?? null),
    posts.map((p) => r(p)?.urgency ?? null),
    posts.map((p) => r(p)?.language ?? null),
    posts.map((p) => r(p)?.city ?? null),
    posts.map((p) => r(p)?.districtId ?? null),
    posts.map((p) => (p.reading ? JSON.stringify(p.reading) : null)),
  ];
}

const UNNEST = `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::jsonb[], $9::float8[],
  $10::float8[], $11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::timestamptz[], $16::int[], $17::bool[], $18::bool[],
  $19::timestamptz[], $20::bool[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::jsonb[])`;
const COLUMN_NAMES = `id, source, external_id, format, author_key, posted_at, text, media_urls, lat, lon, reply_to, thread_id, first_seen_at,
  content_hash, current_at, edits, original_seen, text_known, deleted_at, relevant, category, urgency, language, city, district_id, reading`;

export function createSocialStore(db: Db): SocialStore {
  return {
    atomically: (fn) => db.transaction(() => fn()),

    async lockPosts(keys) {
      if (keys.length === 0) return [];
      const sorted = [...keys].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
      const { rows } = await db.query<PostRow>(
        // One index probe per key (a lateral lookup), never a scan of the growing table, whatever the statistics say.
        // Locked in key order, as inserts are made, so two batches that share posts wait instead of deadlocking.
        `WITH locked AS (
           SELECT l.id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(source, external_id, n)
           CROSS JOIN LATERAL (SELECT p.id FROM social_posts p WHERE p.source = k.source AND p.external_id = k.external_id FOR UPDATE) l
         )
         ${SELECT} WHERE p.id IN (SELECT id FROM locked)`,
        [sorted.map((k) => k.source), sorted.map((k) => k.externalId)],
      );
      return rows.map(fromRow);
    },

    async insertPosts(posts) {
      if (posts.length === 0) return;
      const { rowCount } = await db.query(
        `INSERT INTO social_posts (${COLUMN_NAMES}) SELECT * FROM ${UNNEST} ON CONFLICT (source, external_id) DO NOTHING`,
        columns(posts),
        'social_insert_posts',
      );
      if (rowCount !== posts.length) throw new SocialInsertRace();
    },

    async updatePosts(posts) {
      if (posts.length === 0) return;
      await db.query(
        `UPDATE social_posts p SET format = u.format, author_key = u.author_key, posted_at = u.posted_at, text = u.text, media_urls = u.media_urls,
           lat = u.lat, lon = u.lon, reply_to = u.reply_to, thread_id = u.thread_id, content_hash = u.content_hash, current_at = u.current_at,
           edits = u.edits, original_seen = u.original_seen, text_known = u.text_known, deleted_at = u.deleted_at, relevant = u.relevant,
           category = u.category, urgency = u.urgency, language = u.language, city = u.city, district_id = u.district_id, reading = u.reading
         FROM (SELECT * FROM ${UNNEST} AS t(${COLUMN_NAMES})) u WHERE p.id = u.id`,
        columns(posts),
        'social_update_posts',
      );
    },

    async insertVersions(versions) {
      if (versions.length === 0) return;
      await db.query(
        `INSERT INTO social_post_versions (post_id, version_key, kind, text, media_urls, content_hash, written_at, seen_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::timestamptz[], $8::timestamptz[])
         ON CONFLICT (post_id, version_key) DO NOTHING`,
        [
          versions.map((v) => v.postId),
          versions.map((v) => v.versionKey),
          versions.map((v) => v.kind),
          versions.map((v) => v.text),
          versions.map((v) => JSON.stringify(v.mediaUrls)),
          versions.map((v) => v.contentHash),
          versions.map((v) => v.writtenAt.toISOString()),
          versions.map((v) => v.seenAt.toISOString()),
        ],
        'social_insert_versions',
      );
    },

    async findPost(key) {
      const { rows } = await db.query<PostRow>(`${SELECT} WHERE p.source = $1 AND p.external_id = $2`, [key.source, key.externalId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async versionsOf(postId) {
      const { rows } = await db.query<{ kind: 'post' | 'edit'; text: string; media_urls: unknown; content_hash: string; written_at: Date; seen_at: Date }>(
        'SELECT kind, text, media_urls, content_hash, written_at, seen_at FROM social_post_versions WHERE post_id = $1 ORDER BY written_at, seen_at',
        [postId],
      );
      return rows.map((r) => ({ kind: r.kind, text: r.text, mediaUrls: json(r.media_urls) as string[], contentHash: r.content_hash, writtenAt: date(r.written_at), seenAt: date(r.seen_at) }));
    },

    async adopt(postId, caseId, handle) {
      const { rowCount } = await db.query('UPDATE social_posts SET adopted_case_id = $2, author_handle = $3 WHERE id = $1', [postId, caseId, handle]);
      return rowCount === 1;
    },

    async countPosts() {
      const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM social_posts');
      return Number(rows[0]?.n ?? 0);
    },
  };
}
