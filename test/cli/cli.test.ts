import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type Run } from '../support/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The command line, as a person runs it: `node bin/tyndau.js …` in a child process over an embedded
 * database folder. PGlite-only on purpose: the child gets no DATABASE_URL even when the suite runs on
 * PostgreSQL, since the folder lock is what these tests are about.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tyndau.js');
const SLOW = 90_000;

let dataDir: string;
let server: ChildProcess | undefined;

/** A clean environment: nothing from the test runner's (no DATABASE_URL, no NODE_ENV=test). */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), DATA_DIR: dataDir, ...extra };
}

function tyndau(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return runCli(args, cliEnv(extra), SLOW - 5_000);
}

/** Starts `tyndau serve` on a port the system picks and resolves with its address once it is healthy. */
function startServer(): Promise<{ child: ChildProcess; address: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: cliEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }), stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let out = '';
    let found = false;
    const output = () => out;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (found) return;
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; address?: string };
        if (entry.msg === 'Tyndau is listening' && entry.address) {
          found = true;
          resolve({ child, address: entry.address, output });
          return;
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!found) reject(new Error(`serve exited with ${code} before listening:\n${out}`));
    });
  });
}

const GOOD = [
  { channel: 'city', text: 'Не горят фонари во дворе дома 1 по улице Кенесары', category: 'roads.lighting', districtId: 'astana.esil', receivedAt: '2026-03-02T09:00:00+05:00' },
  { channel: 'city', text: 'Яма на дороге у дома 2, машины объезжают по тротуару', category: 'roads.repair', districtId: 'astana.esil' },
  { channel: 'city', text: 'В доме 3 нет отопления третий день', category: 'utilities.heating', districtId: 'astana.esil' },
  { channel: 'city', text: 'Мусор не вывозят у дома 4 уже неделю', category: 'sanitation.waste', districtId: 'astana.esil' },
  { channel: 'city', text: 'Сломан светофор на перекрёстке у дома 5', category: 'roads.traffic', districtId: 'astana.esil' },
];

function importFile(): string {
  const lines = [
    JSON.stringify(GOOD[0]),
    JSON.stringify(GOOD[1]),
    '{"channel":"city","text":"оборванная строка',
    JSON.stringify(GOOD[2]),
    JSON.stringify({ channel: 'city', text: 'Непонятная категория', category: 'no.such.category' }),
    JSON.stringify(GOOD[3]),
    JSON.stringify(GOOD[4]),
  ];
  const file = path.join(dataDir, 'cases.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function exportedCases(): Promise<{ registrationNumber: string; category: string; receivedAt: string; text: string }[]> {
  const run = await tyndau(['cases', 'export']);
  expect(run.code, run.stderr).toBe(0);
  // stdout is data only: one case per line, no log lines among them.
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { registrationNumber: string; category: string; receivedAt: string; text: string });
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tyndau-cli-'));
});
afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tyndau (the command line)', () => {
  it('computes deadlines and working days without a database', async () => {
    const [due, holiday] = await Promise.all([
      tyndau(['calendar', 'due', '--from', '2026-03-20T10:00:00+05:00', '--working-days', '15']),
      tyndau(['calendar', 'is-working-day', '2026-03-24']),
    ]);
    expect(due).toMatchObject({ code: 0, stdout: '2026-04-15T18:00:00+05:00\n' });
    expect(holiday).toMatchObject({ code: 0, stdout: 'no\n' });
  }, SLOW);

  it('seeds the reference data and prints what it loaded', async () => {
    const run = await tyndau(['seed']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^reference data: \d+ categories, \d+ districts, \d+ organisations, \d+ routingRules, \d+ schools\n$/);
    const counts = Object.fromEntries([...run.stdout.matchAll(/(\d+) (\w+)/g)].map((m) => [m[2], Number(m[1])]));
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(0);
  }, SLOW);

  it('imports JSON lines, naming each bad line and its code, and exits 2', async () => {
    const file = importFile();
    const run = await tyndau(['cases', 'import', file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout.trim().split('\n')).toEqual(['imported 5 of 7 lines']);
    expect(run.stderr).toMatch(/^line 3: ERR_MALFORMED_JSON\b/m);
    expect(run.stderr).toMatch(/^line 5: ERR_UNKNOWN_CATEGORY\b/m);
    expect(run.stderr).not.toMatch(/^line [12467]: /m);
  }, SLOW);

  it('imports the same file again without adding a case, and exports the cases as JSON lines', async () => {
    const again = await tyndau(['cases', 'import', importFile()]);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stdout).toMatch(/^imported 5 of 7\b/m);
    const cases = await exportedCases();
    expect(cases).toHaveLength(5);
    expect(new Set(cases.map((c) => c.registrationNumber)).size).toBe(5);
    expect(cases.map((c) => c.category).sort()).toEqual(GOOD.map((g) => g.category).sort());
    for (const c of cases) expect(c.registrationNumber).toMatch(/^109-2026-\d{8}$/);
    // An imported line keeps the moment it was received.
    expect(cases.find((c) => c.category === 'roads.lighting')?.receivedAt).toBe('2026-03-02T04:00:00.000Z');
  }, SLOW * 2);

  it('refuses a second process on the folder while the server runs, naming PGlite and the lock', async () => {
    const { child, address, output } = await startServer();
    const health = await fetch(`${address}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(existsSync(path.join(dataDir, 'db', 'tyndau.lock'))).toBe(true);

    const blocked = await tyndau(['cases', 'export']);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr).toMatch(/PGlite/);
    expect(blocked.stderr).toContain(path.join(dataDir, 'db'));
    expect(blocked.stderr).toContain(`process ${child.pid}`);
    expect(blocked.stderr).not.toMatch(/\n\s+at /); // a clear message, not a stack trace

    // The server was not disturbed, and stops cleanly, releasing the folder.
    expect((await fetch(`${address}/api/v1/health`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited, output()).toBe(0);
    expect(existsSync(path.join(dataDir, 'db', 'tyndau.lock'))).toBe(false);
  }, SLOW);
});
