import http from 'node:http';
import { createUnderstanding } from '../src/app/understanding.ts';
import { hashPassword } from '../src/core/identity/secrets.ts';
import { boardHubsOf } from '../src/http/routes/board/hub.ts';
import { benchAdminUrl, flagReader, startListeningApp, withBenchDatabase, withDataDir } from './support/setup.ts';

/**
 * npm run bench -- board [--clients N] [--rounds N] [--poll-ms N]
 *
 * A listening server on PostgreSQL with N (200) SSE clients on one organisation's dispatch board. Each round
 * submits a new emergency through POST /api/v1/cases and times until every client has its `case` event;
 * the baseline, in the same run and on the same connections, is an event the server writes to the board
 * directly (no database, no feed). With the default poll interval the feed's wait dominates the difference.
 */
interface Options {
  clients: number;
  rounds: number;
  pollMs: number;
  adminUrl: string;
}

function parse(args: string[]): Options {
  const get = flagReader(args);
  return {
    clients: Number(get('clients', '200')),
    rounds: Number(get('rounds', '20')),
    pollMs: Number(get('poll-ms', '250')),
    adminUrl: benchAdminUrl(),
  };
}

const ORG = 'astana.utility.lighting';

/** One board client: a raw HTTP stream that only watches for a marker (the parsing cost is the same in both phases). */
class Watcher {
  private text = '';
  private waiting: { marker: string; resolve: (at: number) => void } | null = null;
  private constructor(private readonly req: http.ClientRequest) {}

  static open(url: string, token: string): Promise<Watcher> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, agent: false });
      const w = new Watcher(req);
      req.on('response', (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          w.text += chunk;
          if (w.text.includes('event: snapshot')) resolve(w);
          if (w.waiting && w.text.includes(w.waiting.marker)) {
            const done = w.waiting;
            w.waiting = null;
            done.resolve(performance.now());
          }
          if (w.text.length > 1_000_000) w.text = w.text.slice(-10_000);
        });
      });
      req.on('error', reject);
    });
  }

  /** Resolves with the moment the marker arrives. */
  expect(marker: string): Promise<number> {
    this.text = '';
    return new Promise((resolve) => (this.waiting = { marker, resolve }));
  }

  close(): void {
    this.req.destroy();
  }
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function benchBoard(args: string[]): Promise<void> {
  const o = parse(args);
  await withDataDir('board', (dataDir) =>
    withBenchDatabase(o.adminUrl, 'board', async (databaseUrl) => {
      const { platform, base, stop } = await startListeningApp({
        dataDir,
        databaseUrl,
        poolSize: 20,
        config: { LOG_LEVEL: 'warn', LIVE_FEED_POLL_MS: String(o.pollMs), BOARD_CLIENT_BUFFER_BYTES: String(8 * 1024 * 1024) },
        // No classifier: the benchmark is about the board, not about understanding the text.
        understanding: createUnderstanding(null),
      });
      const watchers: Watcher[] = [];
      try {
        const id = platform.identity.ids.uuid();
        await platform.identity.identities.createStaff({ id, username: 'bench.dispatcher', passwordHash: await hashPassword('bench-password-1'), displayName: 'Bench', role: 'dispatcher', organisationId: ORG, at: new Date() });
        const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench.dispatcher', password: 'bench-password-1' }) });
        const { token } = (await login.json()) as { token: string };
        for (let i = 0; i < o.clients; i += 20) {
          watchers.push(...(await Promise.all(Array.from({ length: Math.min(20, o.clients - i) }, () => Watcher.open(`${base}/api/v1/board/stream`, token)))));
        }
        const hubs = boardHubsOf(platform.board)!;
        if (hubs.clients(ORG) !== o.clients) throw new Error(`expected ${o.clients} clients, the board has ${hubs.clients(ORG)}`);

        const submit = async (i: number) => {
          const res = await fetch(`${base}/api/v1/cases`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ channel: 'city', category: 'roads.lighting', districtId: 'astana.esil', urgency: 'emergency', text: `Оборван провод уличного освещения, искрит (#${i})` }),
          });
          if (res.status !== 201) throw new Error(`submit ${res.status}: ${await res.text()}`);
          return ((await res.json()) as { caseId: string }).caseId;
        };
        await submit(-1); // warm-up: JIT, pool, the feed's first poll
        await new Promise((r) => setTimeout(r, 500));

        const board: { fromSubmit: number; fromCommit: number }[] = [];
        const direct: number[] = [];
        for (let round = 0; round < o.rounds; round++) {
          // The baseline: the same clients, an event of the same size written straight to the board.
          const marker = `direct-${round}-${'x'.repeat(600)}`;
          const gotDirect = watchers.map((w) => w.expect(`direct-${round}-`));
          const t0 = performance.now();
          hubs.announce(ORG, 'case', { op: 'notice', marker });
          direct.push(Math.max(...(await Promise.all(gotDirect))) - t0);

          // The real path: intake → commit → the feed's poll → one read → fan-out to every client.
          const started = performance.now();
          // The case id is only known once the submission returns: watch for this round's text marker instead.
          const pending = watchers.map((w) => w.expect('"urgency":"emergency"'));
          const caseId = await submit(round);
          const committed = performance.now();
          const last = Math.max(...(await Promise.all(pending)));
          board.push({ fromSubmit: last - started, fromCommit: last - committed });
          if (!caseId) throw new Error('no case');
          await new Promise((r) => setTimeout(r, 50 + Math.random() * o.pollMs)); // land at varied points of the poll cycle
        }
        const fromSubmit = board.map((b) => b.fromSubmit);
        const fromCommit = board.map((b) => b.fromCommit);
        const p50 = percentile(fromSubmit, 50);
        const lines = [
          `engine: postgres; ${o.clients} SSE clients on one board; ${o.rounds} emergencies; LIVE_FEED_POLL_MS=${o.pollMs}`,
          `baseline (event written by the server to the board directly, no database): p50 ${ms(percentile(direct, 50))}, max ${ms(Math.max(...direct))} until all ${o.clients} have it`,
          `new emergency until all ${o.clients} clients have it, from submit: p50 ${ms(p50)}, p90 ${ms(percentile(fromSubmit, 90))}, max ${ms(Math.max(...fromSubmit))} (target ≤ 1000 ms)`,
          `  of which after the submission returned (feed poll + read + fan-out): p50 ${ms(percentile(fromCommit, 50))}, max ${ms(Math.max(...fromCommit))}`,
          `ratio board/baseline (p50): ${(p50 / Math.max(percentile(direct, 50), 0.001)).toFixed(1)}; the poll interval alone averages ${o.pollMs / 2} ms`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        for (const w of watchers) w.close();
        await stop();
      }
    }),
  );
}
