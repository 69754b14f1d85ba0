import { randomUUID } from 'node:crypto';
import { createLogger } from '../src/app/logger.ts';
import { loadCorpus } from '../src/app/nlp-data.ts';
import { createPlatform } from '../src/app/platform.ts';
import { seedReferenceData } from '../src/app/seed.ts';
import { loadConfig } from '../src/config/index.ts';
import { seededRandom } from '../src/nlp/softmax.ts';
import { contentHash } from '../src/social/ingest-rules.ts';
import { authorKeyer, createSocialIngest, type IngestCounts } from '../src/social/ingest.ts';
import { createSocialStore } from '../src/storage/social-store.ts';
import type { RawPost } from '../src/social/post.ts';
import { openDb, type Db } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { BENCH_SECRET, benchAdminUrl, flagReader, withBenchDatabase, withDataDir } from './support/setup.ts';

/**
 * npm run bench -- social-ingest [--posts 100000] [--batch 1000] [--workers 4]
 *
 * Social posts persisted into PostgreSQL through the whole ingestion (author HMAC, evidence rules against
 * the locked rows, understanding: relevance, category, urgency, language, gazetteer places; posts +
 * versions in set-based statements), against a baseline in the same run: the same rows as plain multi-row
 * INSERTs, without understanding or evidence rules. Then the burst: the same posts again, shuffled, with
 * one edit in ten, from several workers at once: no loss, no double counting. Target: ≥ 5,000 posts/s.
 */
const VALUES_PER_ROW = 13;

function makePosts(n: number): RawPost[] {
  const texts = loadCorpus('heldout').map((e) => e.text);
  const random = seededRandom(7);
  const start = Date.parse('2026-11-25T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    source: `bench:${i % 20}`,
    externalId: String(i),
    authorHandle: `user${Math.floor(random() * 20_000)}`,
    time: new Date(start + i * 500),
    text: `${texts[i % texts.length]!} #${i}`,
    mediaUrls: i % 7 === 0 ? [`https://media.example/${i}.jpg`] : [],
    place: i % 5 === 0 ? { lat: 51.1 + random() * 0.1, lon: 71.35 + random() * 0.15 } : null,
    replyTo: null,
    threadId: `bench:${i % 20}`,
    kind: 'post',
    editedAt: null,
  }));
}

/** The ceiling: the same rows, no reading, no rules, no locks, batched multi-row INSERTs. */
async function baseline(db: Db, posts: readonly RawPost[], batch: number): Promise<number> {
  await db.exec('CREATE TABLE bench_plain_posts (LIKE social_posts INCLUDING ALL)');
  const keyOf = authorKeyer(BENCH_SECRET);
  const started = performance.now();
  for (let i = 0; i < posts.length; i += batch) {
    const rows = posts.slice(i, i + batch);
    const params: unknown[] = [];
    const values = rows.map((p) => {
      const at = params.length;
      const now = new Date();
      params.push(randomUUID(), p.source, p.externalId, 'jsonl', p.authorHandle ? keyOf(p.authorHandle) : null, p.time, p.text, JSON.stringify(p.mediaUrls), now, contentHash(p.text, p.mediaUrls), p.time, true, true);
      return `(${Array.from({ length: VALUES_PER_ROW }, (_, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await db.query(
      `INSERT INTO bench_plain_posts (id, source, external_id, format, author_key, posted_at, text, media_urls, first_seen_at, content_hash, current_at, original_seen, text_known) VALUES ${values.join(', ')}`,
      params,
    );
  }
  return performance.now() - started;
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en')} posts/s`;

export async function benchSocialIngest(args: string[]): Promise<void> {
  const get = flagReader(args);
  const n = Number(get('posts', '100000'));
  const batch = Number(get('batch', '1000'));
  const workers = Number(get('workers', '4'));
  const posts = makePosts(n);
  await withDataDir('social', (dataDir) =>
    withBenchDatabase(benchAdminUrl(), 'social', async (databaseUrl) => {
      const db = await openDb({ databaseUrl, poolSize: workers + 2 });
      try {
        await migrate(db);
        await seedReferenceData(db);
        const config = loadConfig({}, { NODE_ENV: 'development', DATA_DIR: dataDir, SECRET_KEY: BENCH_SECRET, LOG_LEVEL: 'warn' });
        const platform = await createPlatform(config, db, { secretKey: BENCH_SECRET, logger: createLogger(config) });
        // Warm the model and the gazetteer outside the timing (both load on first use).
        platform.understanding.understand('нет отопления');
        platform.geo.resolvePlace('Самал-2');

        const baseMs = await baseline(db, posts, batch);

        // Understanding alone, to show where the time goes.
        const readStarted = performance.now();
        for (const p of posts.slice(0, 10_000)) {
          platform.understanding.understand(p.text);
          platform.geo.resolvePlace(p.text);
        }
        const readMs = ((performance.now() - readStarted) / Math.min(n, 10_000)) * n;

        // Persistence alone: the same pipeline (HMAC, rules, locks, set-based writes) with the reading switched off.
        const bare = createSocialIngest({
          store: createSocialStore(db),
          reading: { understand: () => null, detectLanguage: () => 'ru', resolvePlace: () => ({ city: null, districtId: null, mentions: [] }), districtAt: () => null },
          secretKey: BENCH_SECRET,
          clock: { now: () => new Date() },
          uuid: randomUUID,
          sink: { accept: () => undefined },
        });
        const bareStarted = performance.now();
        for (let i = 0; i < n; i += batch) await bare.ingest('jsonl', posts.slice(i, i + batch).map((p) => ({ ...p, source: `bare:${p.source}` })));
        const bareMs = performance.now() - bareStarted;

        // The pipeline, one stream of batches (the CLI's way), then the same from several workers at once.
        const half = Math.floor(n / 2);
        const started = performance.now();
        const one: IngestCounts[] = [];
        for (let i = 0; i < half; i += batch) one.push(await platform.socialIngest.ingest('jsonl', posts.slice(i, Math.min(i + batch, half))));
        const oneMs = performance.now() - started;
        const rest = posts.slice(half);
        const parallelStarted = performance.now();
        await Promise.all(
          Array.from({ length: workers }, async (_, w) => {
            for (let i = w * batch; i < rest.length; i += workers * batch) await platform.socialIngest.ingest('jsonl', rest.slice(i, i + batch));
          }),
        );
        const parallelMs = performance.now() - parallelStarted;

        // The burst: everything again, shuffled, with one edit in ten, from every worker at once.
        const edits = posts.filter((_, i) => i % 10 === 0).map((p): RawPost => ({ ...p, kind: 'edit', text: `${p.text} (дополнено)`, editedAt: new Date(p.time.getTime() + 60_000) }));
        const burst = shuffled([...posts, ...edits], 11);
        const totals = { new: 0, edits: 0, duplicates: 0, received: 0 };
        const burstStarted = performance.now();
        await Promise.all(
          Array.from({ length: workers }, async (_, w) => {
            for (let i = w * batch; i < burst.length; i += workers * batch) {
              const c = await platform.socialIngest.ingest('nats', burst.slice(i, i + batch));
              totals.new += c.new;
              totals.edits += c.edits;
              totals.duplicates += c.duplicates;
              totals.received += c.received;
            }
          }),
        );
        const burstMs = performance.now() - burstStarted;
        const { rows } = await db.query<{ posts: string; versions: string; edited: string }>(
          `SELECT (SELECT count(*) FROM social_posts WHERE source LIKE 'bench:%')::text AS posts,
                  (SELECT count(*) FROM social_post_versions v JOIN social_posts p ON p.id = v.post_id WHERE p.source LIKE 'bench:%')::text AS versions,
                  (SELECT count(*) FROM social_posts WHERE edits = 1 AND source LIKE 'bench:%')::text AS edited`,
        );
        const r = rows[0]!;
        const firstNew = one.reduce((s, c) => s + c.new, 0);
        platform.calendarAdmin.stop();
        platform.feed.stop();

        const pipeMs = oneMs + parallelMs;
        process.stdout.write(
          [
            `social-ingest: ${n.toLocaleString('en')} posts, batches of ${batch}, PostgreSQL (${workers} workers for the parallel parts)`,
            `  baseline  plain multi-row INSERT, no understanding:   ${rate(n, baseMs)}`,
            `  pipeline  without understanding, one stream:         ${rate(n, bareMs)}  (${(baseMs / bareMs).toFixed(2)}× baseline)`,
            `  understanding alone (classifier + gazetteer), 1 core: ${rate(n, readMs)}`,
            `  pipeline  one stream (${half.toLocaleString('en')} posts):              ${rate(half, oneMs)}  (${(half / (oneMs / 1000) / (n / (baseMs / 1000))).toFixed(2)}× baseline)`,
            `  pipeline  ${workers} workers (${rest.length.toLocaleString('en')} posts):             ${rate(rest.length, parallelMs)}  (${(rest.length / (parallelMs / 1000) / (n / (baseMs / 1000))).toFixed(2)}× baseline)`,
            `  pipeline  overall:                                   ${rate(n, pipeMs)}  (target ≥ 5,000 posts/s)`,
            `  burst     ${burst.length.toLocaleString('en')} deliveries (all again + ${edits.length.toLocaleString('en')} edits), ${workers} workers: ${rate(burst.length, burstMs)}`,
            `            new ${totals.new}, edits ${totals.edits}, duplicates ${totals.duplicates} of ${totals.received}`,
            `  stored    posts ${r.posts} (expected ${n}), versions ${r.versions} (expected ${n + edits.length}), edited ${r.edited} (expected ${edits.length})`,
            `  check     ${firstNew === half && totals.new === 0 && totals.edits === edits.length && Number(r.posts) === n && Number(r.versions) === n + edits.length ? 'no loss, no double counting' : 'MISMATCH'}`,
            '',
          ].join('\n'),
        );
      } finally {
        await db.close();
      }
    }),
  );
}
