import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createLogger } from '../src/app/logger.ts';
import { ManualClock } from '../src/app/manual-clock.ts';
import { createPlatform, type Platform } from '../src/app/platform.ts';
import { seedReferenceData } from '../src/app/seed.ts';
import { loadConfig } from '../src/config/index.ts';
import { channelPolicies, isConfidentialCategory } from '../src/core/channels.ts';
import { workflows } from '../src/core/workflow/registry.ts';
import { runDeadlineTick, type DeadlineTickResult } from '../src/jobs/deadline-worker.ts';
import { openDb, type Db, type Queryable, type QueryResult } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';

/**
 * npm run bench -- deadlines [--open 100000,1000000] [--due 10000] [--batch 500] [--repeat 5]
 *
 * The deadline worker at scale. For each size in --open (ascending), the bench database holds that many open
 * cases with their deadlines, all but --due of them checked in the future; the real worker (runDeadlineTick on
 * a real Platform over the pg pool) then drains the due ones in ticks of --batch. Target (issue 4): 10,000 due
 * deadlines handled in ≤ 2 s at 1,000,000 open cases, and a cost that does not grow with the open cases.
 *
 * The due set is a fixed mix: half reach their 75% warning, half are past due (breach + escalation), and of the
 * breaches 40% are e-Otinish appeals, where silence = refusal; half of those consented, so the worker files a
 * complaint for them through the real registration path. Every count is checked afterwards (results and rows),
 * so the bench fails rather than print a time for work that was not done.
 *
 * Baselines in the same run, on the same database: the same number of UPDATEs of open deadline rows by id
 * through the pg client, (a) one statement per row in transactions of --batch, (b) one statement per batch.
 *
 * Each size is drained --repeat times: between drains the same due rows are set back to their seeded state
 * (the events and complaints written stay: the log is append-only). The median and the best drain are
 * reported, and the worker's time as a ratio of the baseline measured just before each drain, which a busy
 * machine moves much less than either time alone.
 *
 * Uses its own database (tyndau_bench_deadlines, dropped and recreated at start) on the server of
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the seeded data is left for inspection.
 */
interface Options {
  open: number[];
  due: number;
  batch: number;
  /** Drains per size: the same due rows are re-armed between drains; the median is reported. */
  repeat: number;
  adminUrl: string;
}

const DATABASE = 'tyndau_bench_deadlines';
const CITIZENS = 5_000;
const SEED_CHUNK = 50_000;
/** Seeding statements run on this many connections at once (the server does the work: one per core here). */
const SEED_CONNECTIONS = 2;
/** Registration numbers of seeded cases start here, far from the numbers the worker's complaints take from the sequences. */
const NUMBER_OFFSET = 50_000_000;

function parse(args: string[]): Options {
  const get = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
    return v;
  };
  const open = get('open', '100000,1000000')
    .split(',')
    .map((s) => positive('open', Number(s.replace(/_/g, ''))))
    .sort((a, b) => a - b);
  const due = positive('due', Number(get('due', '10000')));
  if (open.some((n) => n < due * 2)) throw new Error('--open sizes must be at least twice --due');
  return {
    open,
    due,
    batch: positive('batch', Number(get('batch', '500'))),
    repeat: positive('repeat', Number(get('repeat', '5'))),
    adminUrl: process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
}

// ---------------------------------------------------------------------------------------------------------
// The mix of seeded deadlines, as data: one row per k in 0..19; row i of a set takes mix[i % 20].

type Channel = 'appeal' | 'city';
interface MixRow {
  channel: Channel;
  /** The deadline row's state when seeded. */
  state: 'pending' | 'warned';
  /** Which moment of the deadline is placed at T0 + offset: its 75% warning or its due time. */
  anchor: 'warn' | 'due';
  consent: boolean;
  /** The anchor lies in [T0 + lo, T0 + hi] (seconds). */
  lo: number;
  hi: number;
  /** What the worker must do with it (due set only). */
  expect: 'warn' | 'breach' | 'none';
}

const H = 3_600;
const D = 24 * H;

/** Open deadlines checked in the future: 90% pending (warning ahead), 10% warned (due time ahead). */
const FUTURE_MIX: MixRow[] = Array.from({ length: 20 }, (_, k) => {
  const channel: Channel = k % 2 === 0 ? 'appeal' : 'city';
  const warned = k < 2;
  const [lo, hi] = warned ? (channel === 'appeal' ? [D, 5 * D] : [H, 17 * H]) : channel === 'appeal' ? [D, 15 * D] : [H, 53 * H];
  return { channel, state: warned ? 'warned' : 'pending', anchor: warned ? 'due' : 'warn', consent: k % 5 !== 4, lo, hi, expect: 'none' };
});

/**
 * The due set: 10 warnings (5 appeal, 5 city), 6 city breaches, 4 appeal breaches (2 with consent: a complaint
 * is filed). Breaches alternate between already warned and never warned (found overdue: breached at once).
 */
const DUE_MIX: MixRow[] = Array.from({ length: 20 }, (_, k) => {
  const recent = { lo: -H, hi: -1 };
  if (k < 10) return { channel: k < 5 ? 'appeal' : 'city', state: 'pending', anchor: 'warn', consent: true, ...recent, expect: 'warn' };
  const state = k % 2 === 0 ? 'warned' : 'pending';
  return { channel: k < 16 ? 'city' : 'appeal', state, anchor: 'due', consent: k < 18, ...recent, expect: 'breach' };
});

interface Expected {
  warned: number;
  breached: number;
  silenceRefusals: number;
  complaints: number;
}

function expectedFor(mix: MixRow[], count: number): Expected {
  const e: Expected = { warned: 0, breached: 0, silenceRefusals: 0, complaints: 0 };
  for (let i = 0; i < count; i++) {
    const m = mix[i % mix.length]!;
    if (m.expect === 'warn') e.warned++;
    if (m.expect === 'breach') {
      e.breached++;
      if (m.channel === 'appeal' && channelPolicies.appeal.silenceIsRefusal) {
        e.silenceRefusals++;
        if (m.consent) e.complaints++; // every seeded appeal has an applicant and a higher body
      }
    }
  }
  return e;
}

const TERM_SECONDS: Record<Channel, number> = { appeal: 21 * D, city: 72 * H }; // 15 working days ≈ 3 weeks; 109: 72 hours

const TEXTS: Record<'kk' | 'ru' | 'en', string[]> = {
  ru: ['Прошу пересчитать пособие на ребёнка за октябрь', 'Во дворе не вывозят мусор уже неделю, контейнеры переполнены', 'Третий день нет отопления в доме'],
  kk: ['Үйіміздің алдындағы көше шамы бір аптадан бері жанбайды', 'Аулада қоқыс бір аптадан бері шығарылмайды'],
  en: ['Open manhole next to the school on Abay avenue, children walk there', 'The bus stop shelter has been broken for a month'],
};

// ---------------------------------------------------------------------------------------------------------
// Seeding: set-based, with explicit column lists (every other column keeps its default).

async function insertCitizens(c: pg.Client, t0: Date): Promise<void> {
  await c.query(
    `INSERT INTO users (id, kind, phone, display_name, role, created_at)
     SELECT gen_random_uuid(), 'citizen', '+7709' || lpad(i::text, 7, '0'), '…' || right(lpad(i::text, 7, '0'), 4), 'applicant', $2
     FROM generate_series(1, $1::int) AS g(i)`,
    [CITIZENS, t0],
  );
}

/** The seeding statement's lookup tables, temporary: one set per seeding connection. */
async function prepareSeeding(c: pg.Client): Promise<void> {
  await c.query("CREATE TEMP TABLE bench_citizens AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id FROM users WHERE kind = 'citizen'");
  // Valid (channel, category, organisation, city, district) combinations: the routing rules of the reference data
  // whose organisation has a higher body (so a breach escalates), for the two channels seeded.
  await c.query(`
    CREATE TEMP TABLE bench_profiles AS
    WITH eligible AS (
      SELECT DISTINCT ch.channel, r.category, r.organisation_id,
             coalesce(r.city, d.city, o.city) AS city, coalesce(r.district_id, d.id, o.district_id) AS district_id
      FROM routing_rules r
      JOIN categories cat ON cat.code = r.category
      JOIN organisations o ON o.id = r.organisation_id AND o.higher_body_id IS NOT NULL
      CROSS JOIN (VALUES ('appeal'), ('city')) AS ch(channel)
      LEFT JOIN LATERAL (SELECT id, city FROM districts WHERE r.district_id IS NULL AND districts.city = r.city ORDER BY id LIMIT 1) d ON true
      WHERE (r.channel IS NULL OR r.channel = ch.channel) AND r.category <> 'other'
    )
    SELECT (row_number() OVER (PARTITION BY channel ORDER BY category, organisation_id, district_id) - 1)::int AS n, eligible.*, false AS confidential
    FROM eligible`);
  const { rows } = await c.query<{ category: string }>('SELECT DISTINCT category FROM bench_profiles');
  const confidential = rows.map((r) => r.category).filter(isConfidentialCategory);
  await c.query('UPDATE bench_profiles SET confidential = true WHERE category = ANY($1::text[])', [confidential]);
  await c.query('CREATE TEMP TABLE bench_mix (mix text, k int, channel text, state text, anchor text, consent boolean, lo double precision, hi double precision)');
  for (const [name, mix] of [['future', FUTURE_MIX], ['due', DUE_MIX]] as const) {
    await c.query(
      `INSERT INTO bench_mix SELECT $1, m.k, m.channel, m.state, m.anchor, m.consent, m.lo, m.hi
       FROM jsonb_to_recordset($2::jsonb) AS m(k int, channel text, state text, anchor text, consent boolean, lo float8, hi float8)`,
      [name, JSON.stringify(mix.map((m, k) => ({ ...m, k })))],
    );
  }
  const languages = Object.keys(TEXTS);
  const texts = languages.flatMap((language) => TEXTS[language as keyof typeof TEXTS].map((text) => ({ language, text })));
  await c.query('CREATE TEMP TABLE bench_texts AS SELECT t.n, t.language, t.text FROM jsonb_to_recordset($1::jsonb) AS t(n int, language text, text text)', [
    JSON.stringify(texts.map((t, n) => ({ ...t, n }))),
  ]);
  await c.query('ANALYZE bench_citizens; ANALYZE bench_profiles; ANALYZE bench_mix; ANALYZE bench_texts');
}

/**
 * Rows [from, to] of a mix: a case in a running state, its registration event and its answer deadline, in one
 * statement (the same shape as registration: CTEs, so the foreign keys are checked at its end).
 */
const SEED_SQL = `
  WITH counts AS (
    SELECT (SELECT count(*) FROM bench_profiles WHERE channel = 'appeal')::int AS appeal,
           (SELECT count(*) FROM bench_profiles WHERE channel = 'city')::int AS city,
           (SELECT count(*) FROM bench_texts)::int AS texts
  ), src AS MATERIALIZED (
    SELECT g.i, gen_random_uuid() AS id, m.channel, m.state AS dstate, m.consent,
           w.initial_state, w.initial_kind, p.category, p.organisation_id, p.city, p.district_id, p.confidential,
           u.id AS applicant_id, tx.language, tx.text || ' (#' || g.i || ')' AS text,
           ($4::jsonb ->> m.channel) || '-' || $5::int || '-' || lpad(($6::int + g.i)::text, 8, '0') AS registration_number,
           t.due_at, t.warn_at, t.due_at - make_interval(secs => a.term) AS received_at
    FROM generate_series($1::int, $2::int) AS g(i)
    CROSS JOIN counts
    JOIN bench_mix m ON m.mix = $7 AND m.k = (g.i - $1::int) % 20
    JOIN bench_profiles p ON p.channel = m.channel AND p.n = (g.i / 20) % (CASE m.channel WHEN 'appeal' THEN counts.appeal ELSE counts.city END)
    JOIN bench_texts tx ON tx.n = g.i % counts.texts
    JOIN (SELECT * FROM jsonb_to_recordset($9::jsonb) AS w(channel text, initial_state text, initial_kind text)) w ON w.channel = m.channel
    LEFT JOIN bench_citizens u ON m.channel = 'appeal' AND u.n = g.i % ${CITIZENS}
    CROSS JOIN LATERAL (SELECT ($3::jsonb ->> m.channel)::float8 AS term, $8::timestamptz + make_interval(secs => m.lo + (m.hi - m.lo) * random()) AS anchor_at) a
    CROSS JOIN LATERAL (
      SELECT CASE m.anchor WHEN 'due' THEN a.anchor_at ELSE a.anchor_at + make_interval(secs => 0.25 * a.term) END AS due_at,
             CASE m.anchor WHEN 'warn' THEN a.anchor_at ELSE a.anchor_at - make_interval(secs => 0.25 * a.term) END AS warn_at
    ) t
  ), s AS (
    -- A third of the cases are still in their initial state, the rest in work.
    SELECT src.*, CASE WHEN i % 3 = 0 THEN initial_state ELSE 'in_work' END AS state, CASE WHEN i % 3 = 0 THEN initial_kind ELSE 'open' END AS state_kind
    FROM src
  ), new_cases AS (
    INSERT INTO cases (id, registration_number, channel, kind, category, urgency, language, text, city, district_id, applicant_id, anonymous,
                       tracking_code_hash, organisation_id, state, state_kind, confidential, triage, received_at, registered_at, due_at,
                       created_at, updated_at, complaint_consent)
    SELECT id, registration_number, channel, 'application', category, 'normal', language, text, city, district_id, applicant_id,
           applicant_id IS NULL, CASE WHEN applicant_id IS NULL THEN md5('bench-tracking-' || i) || md5('bench-' || i) END,
           organisation_id, state, state_kind, confidential, false, received_at, received_at, due_at, received_at, received_at, consent
    FROM s
  ), new_deadlines AS (
    INSERT INTO case_deadlines (case_id, obligation, due_at, warn_at, state, warned_at, next_check_at, created_at, counting)
    SELECT id, 'answer', due_at, warn_at, dstate, CASE WHEN dstate = 'warned' THEN warn_at END,
           CASE WHEN dstate = 'warned' THEN due_at ELSE warn_at END, received_at,
           CASE channel WHEN 'appeal' THEN 'working_days' ELSE 'elapsed' END
    FROM s
  )
  INSERT INTO case_events (case_id, type, actor_id, actor_role, payload, occurred_at)
  SELECT id, 'case.registered', applicant_id, CASE WHEN applicant_id IS NULL THEN 'public' ELSE 'applicant' END,
         jsonb_build_object('registrationNumber', registration_number, 'channel', channel, 'category', category, 'kind', 'application',
                            'urgency', 'normal', 'organisationId', organisation_id, 'routedBy', 'rule', 'classifier', null,
                            'dueAt', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                            'anonymous', applicant_id IS NULL, 'confidential', confidential),
         received_at
  FROM s`;

interface Seeder {
  /** Appends `count` cases of a mix; returns the seconds it took. */
  seed(mix: 'future' | 'due', count: number, progress: (done: number) => void): Promise<number>;
}

function seeder(clients: pg.Client[], t0: Date): Seeder {
  let next = 0;
  const year = new Date(t0.getTime() + 5 * H * 1000).getUTCFullYear(); // registration year in Kazakhstan time
  const initial = (['appeal', 'city'] as const).map((channel) => {
    const wf = workflows[channel];
    if (!wf.states['in_work'] || wf.states['in_work'].clock !== 'runs') throw new Error(`workflow ${channel} has no running in_work state`);
    return { channel, initial_state: wf.initial, initial_kind: wf.states[wf.initial]!.kind };
  });
  // Both channels share the running index, each under its own prefix.
  const prefixes = JSON.stringify({ appeal: channelPolicies.appeal.registrationPrefix, city: channelPolicies.city.registrationPrefix });
  return {
    async seed(mix, count, progress) {
      const started = performance.now();
      // Chunks are multiples of 20, so the mix position (i - first row of the chunk) % 20 follows the set exactly.
      const chunks: [number, number][] = [];
      for (let from = 0; from < count; from += SEED_CHUNK) chunks.push([next + from, next + Math.min(count, from + SEED_CHUNK) - 1]);
      next += count;
      let done = 0;
      await Promise.all(
        clients.map(async (c) => {
          for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
            await c.query(SEED_SQL, [chunk[0], chunk[1], JSON.stringify(TERM_SECONDS), prefixes, year, NUMBER_OFFSET, mix, t0, JSON.stringify(initial)]);
            done += chunk[1] - chunk[0] + 1;
            progress(done);
          }
        }),
      );
      return (performance.now() - started) / 1000;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Profiling: every statement the platform sends, counted and timed (adds ~1 µs per statement).

interface StatementStats {
  count: number;
  ms: number;
}

const TRANSACTION = '(pool connection, BEGIN, COMMIT)';

class Profile {
  readonly statements = new Map<string, StatementStats>();
  claimSql: string | null = null;

  record(sql: string, ms: number): void {
    const key = Profile.key(sql);
    const s = this.statements.get(key) ?? { count: 0, ms: 0 };
    s.count++;
    s.ms += ms;
    this.statements.set(key, s);
    if (!this.claimSql && /FROM case_deadlines[\s\S]*SKIP LOCKED/i.test(sql) && /LIMIT/i.test(sql)) this.claimSql = sql;
  }

  reset(): void {
    this.statements.clear();
  }

  /** A readable name for a statement: whitespace collapsed, long column lists elided. */
  static key(sql: string): string {
    if (sql === TRANSACTION) return sql;
    return sql
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^SELECT (?!nextval)[^()]*? FROM/i, 'SELECT … FROM')
      .replace(/(INSERT INTO \w+) \([^)]*\)/gi, '$1 (…)')
      .replace(/^WITH new_case AS .*$/i, 'WITH new_case AS (INSERT INTO cases …) … (registration: case + event + deadline)')
      .slice(0, 110);
  }

  get total(): StatementStats {
    let count = 0;
    let ms = 0;
    for (const s of this.statements.values()) {
      count += s.count;
      ms += s.ms;
    }
    return { count, ms };
  }
}

function instrument(db: Db, profile: Profile): Db {
  const wrap = (q: Queryable): Queryable => ({
    async query<Row>(sql: string, params?: readonly unknown[], prepare?: string): Promise<QueryResult<Row>> {
      const started = performance.now();
      try {
        return await q.query<Row>(sql, params, prepare);
      } finally {
        profile.record(sql, performance.now() - started);
      }
    },
    async exec(sql: string) {
      const started = performance.now();
      try {
        await q.exec(sql);
      } finally {
        profile.record(sql, performance.now() - started);
      }
    },
  });
  return {
    engine: db.engine,
    ...wrap(db),
    async transaction(fn) {
      // What the transaction costs beyond its statements: taking a pooled connection, BEGIN and COMMIT (its WAL flush).
      const started = performance.now();
      let inside = 0;
      try {
        return await db.transaction(async (tx) => {
          const from = performance.now();
          try {
            return await fn(wrap(tx));
          } finally {
            inside = performance.now() - from;
          }
        });
      } finally {
        profile.record(TRANSACTION, performance.now() - started - inside);
      }
    },
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Sums every counter of the tick results (whatever counters the worker reports). */
const sumResults = (results: DeadlineTickResult[]): DeadlineTickResult => {
  const total = { ...results[0]! };
  for (const key of Object.keys(total) as (keyof DeadlineTickResult)[]) total[key] = results.reduce((s, r) => s + r[key], 0);
  return total;
};

class Rollback extends Error {}

/** The worker's code paths (JIT, statement plans, the complaint's number sequence) warmed in a transaction that is then rolled back. */
async function warmUp(platform: Platform, batch: number): Promise<number> {
  let claimed = 0;
  await platform.db
    .transaction(async () => {
      // The ambient transaction: the tick's own transaction joins this one, which is rolled back below.
      claimed = (await runDeadlineTick(platform.deadlines, { batchSize: batch })).claimed;
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return claimed;
}

interface BaselineResult {
  perRowS: number;
  perBatchS: number;
}

/**
 * The same number of deadline UPDATEs by id through the pg client: the most recently seeded open deadlines that
 * are not due (so the same table region as the due set), each rewritten with its next check 1 ms later, in
 * transactions of `batch`: (a) one statement per row, (b) one statement per transaction.
 */
async function baseline(c: pg.Client, t0: Date, count: number, batch: number): Promise<BaselineResult> {
  const { rows } = await c.query<{ id: string; state: string; warned_at: Date | null; next_check_at: Date }>(
    `SELECT id, state, warned_at, next_check_at FROM case_deadlines
     WHERE state IN ('pending', 'warned') AND next_check_at > $1::timestamptz + interval '1 hour' ORDER BY id DESC LIMIT $2`,
    [t0, count * 2],
  );
  if (rows.length < count * 2) throw new Error(`baseline: only ${rows.length} open rows`);
  const perRow = rows.slice(0, count);
  const perBatch = rows.slice(count);
  const run = async (fn: (part: typeof rows) => Promise<void>, set: typeof rows): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < set.length; i += batch) {
      await c.query('BEGIN');
      await fn(set.slice(i, i + batch));
      await c.query('COMMIT');
    }
    return (performance.now() - started) / 1000;
  };
  const later = (d: Date) => new Date(d.getTime() + 1);
  const perRowS = await run(async (part) => {
    for (const r of part) {
      const { rowCount } = await c.query(
        'UPDATE case_deadlines SET state = $2, warned_at = $3, breached_at = $4, met_at = $5, next_check_at = $6 WHERE id = $1',
        [r.id, r.state, r.warned_at, null, null, later(r.next_check_at)],
      );
      if (rowCount !== 1) throw new Error('baseline: row vanished');
    }
  }, perRow);
  const perBatchS = await run(async (part) => {
    const { rowCount } = await c.query(
      `UPDATE case_deadlines d SET state = v.state, warned_at = v.warned_at, breached_at = NULL, met_at = NULL, next_check_at = v.next_check_at
       FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, state text, warned_at timestamptz, next_check_at timestamptz) WHERE d.id = v.id`,
      [JSON.stringify(part.map((r) => ({ id: Number(r.id), state: r.state, warned_at: r.warned_at, next_check_at: later(r.next_check_at) })))],
    );
    if (rowCount !== part.length) throw new Error('baseline: rows vanished');
  }, perBatch);
  return { perRowS, perBatchS };
}

async function eventCounts(c: pg.Client, afterId: number): Promise<Map<string, number>> {
  const { rows } = await c.query<{ type: string; n: number }>('SELECT type, count(*)::int AS n FROM case_events WHERE id > $1 GROUP BY type', [afterId]);
  return new Map(rows.map((r) => [r.type, r.n]));
}

async function scalar(c: pg.Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await c.query<Record<string, number | string | null>>(sql, params);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

interface Run {
  open: number;
  seconds: number;
  ticks: number;
  totals: DeadlineTickResult;
  base: BaselineResult;
  profile: Profile;
  io: DrainIo;
}

/** What the drain cost the server: WAL (server-wide counters: other databases' writes count too) and buffer reads. */
interface DrainIo {
  walMb: number;
  fullPageImages: number;
  blocksRead: number;
  blocksHit: number;
}

async function ioCounters(c: pg.Client): Promise<DrainIo> {
  // Statistics reach the shared counters when a backend is idle for a second; the pool's connections are idle now.
  await new Promise((r) => setTimeout(r, 1_100));
  await c.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await c.query<{ wal: string; fpi: string; read: string; hit: string }>(
    `SELECT (SELECT wal_bytes FROM pg_stat_wal)::text AS wal, (SELECT wal_fpi FROM pg_stat_wal)::text AS fpi,
            blks_read::text AS read, blks_hit::text AS hit FROM pg_stat_database WHERE datname = current_database()`,
  );
  const r = rows[0]!;
  return { walMb: Number(r.wal) / 1024 / 1024, fullPageImages: Number(r.fpi), blocksRead: Number(r.read), blocksHit: Number(r.hit) };
}

const ioDelta = (a: DrainIo, b: DrainIo): DrainIo => ({
  walMb: b.walMb - a.walMb,
  fullPageImages: b.fullPageImages - a.fullPageImages,
  blocksRead: b.blocksRead - a.blocksRead,
  blocksHit: b.blocksHit - a.blocksHit,
});
const fmtIo = (io: DrainIo): string =>
  `WAL ${io.walMb.toFixed(1)} MB with ${io.fullPageImages} full-page images (server-wide), ${io.blocksRead} blocks read outside shared buffers, ${io.blocksHit} hit`;

interface SizeResult {
  open: number;
  runs: Run[];
  /** The run of median worker time. */
  median: Run;
  best: Run;
  baseline: BaselineResult;
  /** Median over the drains of worker time / the baseline measured just before it. */
  ratio: BaselineResult;
  plan: string[];
  indexMb: number;
  deadlineRows: number;
}

const fmtS = (s: number) => `${s.toFixed(3)} s`;
const mb = (bytes: number) => bytes / 1024 / 1024;
const medianOf = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

function profileLines(p: Profile, due: number, seconds: number): string[] {
  const total = p.total;
  const rows = [...p.statements.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const lines = [
    `    round trips: ${total.count} (${(total.count / due).toFixed(2)} per deadline, counting BEGIN + COMMIT as one), ` +
      `${fmtS(total.ms / 1000)} waiting on the database; ${fmtS(Math.max(0, seconds - total.ms / 1000))} in JS between them`,
  ];
  for (const [key, s] of rows) {
    lines.push(`    ${String(s.count).padStart(6)} × ${((s.ms * 1000) / s.count).toFixed(0).padStart(6)} µs = ${(s.ms / 1000).toFixed(3)} s  ${key}`);
  }
  return lines;
}

const OPEN_DUE = "SELECT count(*) FROM case_deadlines WHERE state IN ('pending', 'warned') AND next_check_at <= $1";

/** Drains the due set with the real worker and checks that everything it reports was done, and nothing else. */
async function drain(c: pg.Client, platform: Platform, profile: Profile, o: Options, t0: Date): Promise<Omit<Run, 'base' | 'open'>> {
  const ioBefore = await ioCounters(c);
  const eventsBefore = await scalar(c, 'SELECT coalesce(max(id), 0) FROM case_events');
  const complaintsBefore = await scalar(c, 'SELECT count(*) FROM cases WHERE related_case_id IS NOT NULL');
  profile.reset();
  const results: DeadlineTickResult[] = [];
  const started = performance.now();
  for (;;) {
    const r = await runDeadlineTick(platform.deadlines, { batchSize: o.batch });
    results.push(r);
    if (r.claimed === 0 || r.claimed === r.busy) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const totals = sumResults(results);
  const io = ioDelta(ioBefore, await ioCounters(c));

  const expected = expectedFor(DUE_MIX, o.due);
  const problems: string[] = [];
  const check = (what: string, got: number, want: number) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  check('claimed', totals.claimed, o.due);
  check('warned + breached', totals.warned + totals.breached, o.due);
  check('warned', totals.warned, expected.warned);
  check('breached', totals.breached, expected.breached);
  check('escalated', totals.escalated, expected.breached);
  check('silence refusals', totals.silenceRefusals, expected.silenceRefusals);
  check('complaints filed', totals.complaintsFiled, expected.complaints);
  // Every other outcome (busy, met, rescheduled, timers…) must be zero: the due set holds only duties that warn or breach.
  const handled = new Set(['claimed', 'warned', 'breached', 'escalated', 'silenceRefusals', 'complaintsFiled']);
  for (const k of Object.keys(totals) as (keyof DeadlineTickResult)[]) if (!handled.has(k)) check(k, totals[k], 0);
  check('still due', await scalar(c, OPEN_DUE, [t0]), 0);
  const events = await eventCounts(c, eventsBefore);
  check('case.deadline_warning events', events.get('case.deadline_warning') ?? 0, expected.warned);
  check('case.deadline_breached events', events.get('case.deadline_breached') ?? 0, expected.breached);
  check('case.escalated events', events.get('case.escalated') ?? 0, expected.breached);
  check('case.silence_refusal events', events.get('case.silence_refusal') ?? 0, expected.silenceRefusals);
  check('case.registered events (complaints)', events.get('case.registered') ?? 0, expected.complaints);
  check('other events', [...events.values()].reduce((a, b) => a + b, 0), expected.warned + 2 * expected.breached + expected.silenceRefusals + expected.complaints);
  check('complaint cases', (await scalar(c, 'SELECT count(*) FROM cases WHERE related_case_id IS NOT NULL')) - complaintsBefore, expected.complaints);
  if (problems.length) throw new Error(`the worker's results do not match the seeded due set:\n  ${problems.join('\n  ')}`);

  const snapshot = new Profile();
  for (const [k, v] of profile.statements) snapshot.statements.set(k, { ...v });
  return { seconds, ticks: results.length, totals, profile: snapshot, io };
}

export async function benchDeadlines(args: string[]): Promise<void> {
  const o = parse(args);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const url = new URL(o.adminUrl);
  url.pathname = `/${DATABASE}`;
  const admin = new pg.Client({ connectionString: o.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  say(`database ${DATABASE} recreated on ${url.host}`);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'tyndau-bench-deadlines-'));
  const raw = await openDb({ databaseUrl: url.toString(), poolSize: 4 });
  const profile = new Profile();
  const db = instrument(raw, profile);
  const clients = Array.from({ length: SEED_CONNECTIONS }, () => new pg.Client({ connectionString: url.toString() }));
  const c = clients[0]!;
  try {
    await Promise.all(clients.map((client) => client.connect()));
    await migrate(raw);
    await seedReferenceData(raw);
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
    const clock = new ManualClock(t0);
    const secretKey = 'bench-secret-key-0123456789abcdef0123';
    const config = loadConfig({}, { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SECRET_KEY: secretKey });
    const platform = await createPlatform(config, db, { clock, secretKey, logger: createLogger(config) });
    await insertCitizens(c, t0);
    await Promise.all(clients.map(prepareSeeding));
    const seed = seeder(clients, t0);
    say(
      `the worker's clock is fixed at ${t0.toISOString()}; due set: ${o.due} (${JSON.stringify(expectedFor(DUE_MIX, o.due))}); ` +
        `batch ${o.batch}; ${o.repeat} drain(s) per size`,
    );

    const sizes: SizeResult[] = [];
    for (const open of o.open) {
      const already = await scalar(c, "SELECT count(*) FROM cases WHERE state_kind <> 'closed'");
      const topUp = open - already - o.due;
      if (topUp < 0) throw new Error(`${already} open cases already, more than ${open} - ${o.due}`);
      let last = 0;
      const progress = (label: string, total: number) => (done: number) => {
        if (done === total || done - last >= 200_000) {
          say(`  seeding ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
          last = done;
        }
      };
      say(`\n== ${open.toLocaleString('en')} open cases ==`);
      const futureS = await seed.seed('future', topUp, progress('not due', topUp));
      last = 0;
      const dueS = await seed.seed('due', o.due, progress('due', o.due));
      const vacuumStarted = performance.now();
      await c.query('VACUUM ANALYZE');
      // The load's dirty pages written now, not by a checkpoint running during the measurements.
      await c.query('CHECKPOINT').catch(() => say('  (no CHECKPOINT: the bench user may not run it)'));
      const vacuumS = (performance.now() - vacuumStarted) / 1000;
      say(`  seeded ${(topUp + o.due).toLocaleString('en')} cases + deadlines + events in ${(futureS + dueS).toFixed(1)} s, VACUUM ANALYZE + CHECKPOINT ${vacuumS.toFixed(1)} s`);

      const deadlineRows = await scalar(c, "SELECT count(*) FROM case_deadlines WHERE state IN ('pending', 'warned')");
      const dueNow = await scalar(c, OPEN_DUE, [t0]);
      if (dueNow !== o.due) throw new Error(`${dueNow} deadlines due, expected ${o.due}`);
      const indexMb = mb(await scalar(c, "SELECT pg_relation_size('case_deadlines_next_check')"));
      // The due rows as seeded, to set them back between drains.
      await c.query(
        `DROP TABLE IF EXISTS bench_armed;
         CREATE TEMP TABLE bench_armed AS SELECT id, state, warned_at, breached_at, met_at, next_check_at FROM case_deadlines
         WHERE state IN ('pending', 'warned') AND next_check_at <= '${t0.toISOString()}'`,
      );

      // Warm-up (rolled back), then the claim query's plan (rolled back too: EXPLAIN ANALYZE takes the locks).
      const warmed = await warmUp(platform, o.batch);
      if (!profile.claimSql) throw new Error('the claim statement was not seen during the warm-up');
      await c.query('BEGIN');
      const planRows = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${profile.claimSql}`, [t0, o.batch]);
      await c.query('ROLLBACK');
      const plan = planRows.rows.map((r) => r['QUERY PLAN']);
      if (!plan.some((l) => l.includes('case_deadlines_next_check'))) throw new Error(`the claim does not use case_deadlines_next_check:\n${plan.join('\n')}`);
      say(`  warm-up claimed ${warmed} (rolled back)`);

      const runs: Run[] = [];
      for (let r = 0; r < o.repeat; r++) {
        if (r > 0) {
          await c.query(
            `UPDATE case_deadlines d SET state = a.state, warned_at = a.warned_at, breached_at = a.breached_at, met_at = a.met_at, next_check_at = a.next_check_at
             FROM bench_armed a WHERE d.id = a.id`,
          );
          const rearmed = await scalar(c, OPEN_DUE, [t0]);
          if (rearmed !== o.due) throw new Error(`${rearmed} deadlines due after re-arming, expected ${o.due}`);
        }
        const base = await baseline(c, t0, o.due, o.batch);
        // The baselines' (and warm-up's, re-arming's) dead rows, and their changes counted for autoanalyze (not to start mid-run).
        await c.query('VACUUM ANALYZE case_deadlines, case_events, cases');
        const openNow = await scalar(c, "SELECT count(*) FROM cases WHERE state_kind <> 'closed'");
        const run = { open: openNow, base, ...(await drain(c, platform, profile, o, t0)) };
        runs.push(run);
        say(
          `  drain ${r + 1}: worker ${fmtS(run.seconds)} for ${o.due} due at ${openNow.toLocaleString('en')} open cases (${run.ticks} ticks), verified; ` +
            `baseline per-row ${fmtS(base.perRowS)}, per-batch ${fmtS(base.perBatchS)}`,
        );
        say(`    ${fmtIo(run.io)}`);
      }
      const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
      sizes.push({
        open: runs[0]!.open,
        runs,
        median: sorted[Math.floor((runs.length - 1) / 2)]!,
        best: sorted[0]!,
        baseline: { perRowS: medianOf(runs.map((r) => r.base.perRowS)), perBatchS: medianOf(runs.map((r) => r.base.perBatchS)) },
        ratio: { perRowS: medianOf(runs.map((r) => r.seconds / r.base.perRowS)), perBatchS: medianOf(runs.map((r) => r.seconds / r.base.perBatchS)) },
        plan,
        indexMb,
        deadlineRows,
      });
    }

    // ---- report ----
    const first = sizes[0]!;
    const lastSize = sizes[sizes.length - 1]!;
    say(`\n== results (${o.repeat} drain(s) per size) ==`);
    for (const s of sizes) {
      const m = s.median;
      const t = m.totals;
      say(`open cases ${s.open.toLocaleString('en')} (open deadlines ${s.deadlineRows.toLocaleString('en')}, index case_deadlines_next_check ${s.indexMb.toFixed(1)} MB):`);
      say(
        `  worker: ${o.due} due deadlines in ${fmtS(m.seconds)} median, ${fmtS(s.best.seconds)} best (runs: ${s.runs.map((r) => r.seconds.toFixed(3)).join(', ')} s); ` +
          `${((m.seconds * 1e6) / o.due).toFixed(0)} µs per deadline; ${m.ticks} ticks of ≤ ${o.batch}; target ≤ 2 s: ${m.seconds <= 2 ? 'met' : 'NOT met'} by the median`,
      );
      say(`  done: warned ${t.warned}, breached ${t.breached} (escalated ${t.escalated}, silence = refusal ${t.silenceRefusals}, complaints filed ${t.complaintsFiled})`);
      say(
        `  baseline, pg client, ${o.due} UPDATEs of deadline rows by id in transactions of ${o.batch}: one statement per row ${fmtS(s.baseline.perRowS)}, ` +
          `one statement per batch ${fmtS(s.baseline.perBatchS)}`,
      );
      say(`  ratio worker / baseline (median of the drains' own ratios): ${s.ratio.perRowS.toFixed(2)} (per-row), ${s.ratio.perBatchS.toFixed(1)} (per-batch)`);
      say(`  where the time goes (the median drain; ${fmtIo(m.io)}):`);
      for (const l of profileLines(m.profile, o.due, m.seconds)) say(l);
      const trips = m.profile.total.count / o.due;
      if (trips > 0.15) {
        say(`  NOTE: ${trips.toFixed(2)} round trips per deadline: the write-behind is flushing per call (a call on the worker's path it does not buffer?)`);
      }
    }
    if (sizes.length > 1) {
      const ratio = (f: (s: SizeResult) => number) => (f(lastSize) / f(first)).toFixed(2);
      say(
        `ratio ${lastSize.open.toLocaleString('en')} / ${first.open.toLocaleString('en')} open cases (target ≈ 1): worker ${ratio((s) => s.median.seconds)} by the median, ` +
          `${ratio((s) => s.best.seconds)} by the best; worker/per-row baseline ${ratio((s) => s.ratio.perRowS)}; ` +
          `baselines alone: per-row ${ratio((s) => s.baseline.perRowS)}, per-batch ${ratio((s) => s.baseline.perBatchS)}`,
      );
    }
    say(`\nclaim plan at ${lastSize.open.toLocaleString('en')} open cases (EXPLAIN ANALYZE, BUFFERS; the worker's statement as sent, $1 = now, $2 = ${o.batch}):`);
    for (const l of lastSize.plan) say(`  ${l}`);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
