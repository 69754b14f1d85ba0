import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDb } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { seedReferenceData } from '../src/app/seed.ts';
import { startServer } from './server.ts';
import { BENCH_SECRET, benchAdminUrl, flagReader, withBenchDatabase, withDataDir } from './support/setup.ts';

/**
 * npm run bench -- intake [--engine postgres|pglite] [--seconds N] [--connections N] [--rate N]
 *
 * Intake through HTTP (autocannon → `tyndau serve` in its own process) beside a baseline measured in the
 * same run: the same rows (a case, its registration event and its deadline) inserted with the pg client directly, one
 * transaction each, at the same concurrency. Prints throughput as a ratio of the baseline, and the p99
 * latency at a fixed arrival rate.
 */
interface Options {
  engine: 'postgres' | 'pglite';
  seconds: number;
  connections: number;
  rate: number;
  adminUrl: string;
}

function parse(args: string[]): Options {
  const get = flagReader(args);
  return {
    engine: get('engine', 'postgres') === 'pglite' ? 'pglite' : 'postgres',
    seconds: Number(get('seconds', '10')),
    connections: Number(get('connections', '32')),
    rate: Number(get('rate', '300')),
    adminUrl: benchAdminUrl(),
  };
}

const TEXTS = [
  'Третий день нет отопления в доме по ул. Кенесары 40, в квартире +14',
  'Үйіміздің алдындағы көше шамы бір аптадан бері жанбайды',
  'Open manhole next to the school on Abay avenue, children walk there',
  'Во дворе не вывозят мусор уже неделю, контейнеры переполнены',
];
const CATEGORIES = ['utilities.heating', 'roads.lighting', 'utilities.sewage', 'sanitation.waste'];
const DISTRICTS = ['astana.esil', 'astana.saryarka', 'almaty.bostandyk', 'shymkent.abay'];

const submission = (i: number) => ({
  channel: 'city',
  text: `${TEXTS[i % TEXTS.length]} (#${i})`,
  category: CATEGORIES[i % CATEGORIES.length],
  districtId: DISTRICTS[i % DISTRICTS.length],
});

/** The same rows intake writes (case, event, deadline), straight through the driver: the ceiling intake is measured against. */
async function insertDirect(q: { query(sql: string, params: unknown[]): Promise<unknown> }, i: number, sequence: number): Promise<void> {
  const id = randomUUID();
  const now = new Date();
  const s = submission(i);
  await q.query(
    `INSERT INTO cases (id, registration_number, channel, kind, category, urgency, language, text, district_id, city, anonymous,
       organisation_id, state, state_kind, confidential, received_at, registered_at, due_at, created_at, updated_at)
     VALUES ($1, $2, 'city', 'application', $3, 'normal', 'ru', $4, $5, 'astana', true, 'astana.utility.heat', 'received', 'new', false, $6, $6, $6, $6, $6)`,
    [id, `BENCH-${sequence}`, s.category, s.text, s.districtId, now],
  );
  await q.query(
    `INSERT INTO case_events (case_id, type, actor_role, payload, occurred_at) VALUES ($1, 'case.registered', 'public', $2, $3)`,
    [id, JSON.stringify({ registrationNumber: `BENCH-${sequence}`, channel: 'city' }), now],
  );
  await q.query(
    `INSERT INTO case_deadlines (case_id, obligation, due_at, warn_at, state, next_check_at, created_at)
     VALUES ($1, 'answer', $2, $3, 'pending', $3, $4)`,
    [id, new Date(now.getTime() + 72 * 3_600_000), new Date(now.getTime() + 54 * 3_600_000), now],
  );
}

async function baselinePostgres(url: string, o: Options): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: o.connections });
  let done = 0;
  const until = Date.now() + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.connections }, async (_, worker) => {
      const client = await pool.connect();
      try {
        for (let i = worker; Date.now() < until; i += o.connections) {
          await client.query('BEGIN');
          await insertDirect(client, i, 1e9 + worker * 1e6 + i);
          await client.query('COMMIT');
          done++;
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  return done / o.seconds;
}

async function baselinePglite(o: Options): Promise<number> {
  const db = await openDb({});
  await migrate(db);
  await seedReferenceData(db);
  let done = 0;
  const until = Date.now() + o.seconds * 1000;
  for (let i = 0; Date.now() < until; i++) {
    await db.transaction((tx) => insertDirect(tx, i, 1e9 + i));
    done++;
  }
  await db.close();
  return done / o.seconds;
}

async function load(url: string, o: Options, mode: 'throughput' | 'rate') {
  let i = 0;
  const result = await autocannon({
    url: `${url}/api/v1/cases`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: mode === 'throughput' ? o.connections : Math.min(o.connections, 64),
    duration: o.seconds,
    ...(mode === 'rate' ? { overallRate: o.rate } : {}),
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(submission(i++)) }) }],
  });
  const ok = result['2xx'];
  return { rps: ok / o.seconds, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

const fmt = (n: number) => n.toFixed(1);

export async function benchIntake(args: string[]): Promise<void> {
  const o = parse(args);
  await withDataDir('intake', async (dataDir) => {
    const run = async (databaseUrl?: string) => {
      const server = await startServer({ DATA_DIR: dataDir, SECRET_KEY: BENCH_SECRET, ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(o.connections) } : {}) });
      try {
        await load(server.url, { ...o, seconds: 2 }, 'throughput'); // warm-up: JIT, pool, sequences
        const baseline = databaseUrl ? await baselinePostgres(databaseUrl, o) : null;
        const intake = await load(server.url, o, 'throughput');
        const paced = await load(server.url, o, 'rate');
        return { baseline, intake, paced };
      } finally {
        await server.stop();
      }
    };
    const { baseline, intake, paced } = o.engine === 'postgres' ? await withBenchDatabase(o.adminUrl, 'intake', (url) => run(url)) : await run();
    const base = baseline ?? (await baselinePglite(o));
    const lines = [
      `engine: ${o.engine}; ${o.connections} connections; ${o.seconds} s per phase`,
      `baseline (${o.engine === 'postgres' ? 'pg client' : 'PGlite in process'}, 1 transaction per case + event + deadline, ${o.engine === 'postgres' ? o.connections : 1} at a time): ${fmt(base)} cases/s`,
      `intake over HTTP: ${fmt(intake.rps)} cases/s (p50 ${intake.p50} ms, p99 ${intake.p99} ms, non-2xx/errors ${intake.errors})`,
      `ratio intake/baseline: ${(intake.rps / base).toFixed(2)} (target ≥ 0.60)`,
      `at ${o.rate} submissions/s: achieved ${fmt(paced.rps)}/s, p50 ${paced.p50} ms, p99 ${paced.p99} ms (target p99 ≤ 50 ms), non-2xx/errors ${paced.errors}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
