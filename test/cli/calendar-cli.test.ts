import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, type Run } from '../support/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarStore } from '../../src/storage/calendar-store.ts';
import { createTestDb, testDatabaseUrl, type TestDb } from '../support/db.ts';

/**
 * `tyndau calendar …` honours the admin overrides stored in the database when it can read them, and
 * says on stderr when it cannot. Dates from a paper calendar: an appeal received Wednesday 25 November 2026
 * at 10:00 counts from Thursday 26 November; 15 working days end Thursday 17 December (16 December is
 * Independence Day), or Friday 18 December when Friday 4 December is a day off.
 */

const SLOW = 90_000;
const DUE = ['calendar', 'due', '--from', '2026-11-25T10:00:00+05:00', '--working-days', '15'];
const NOT_APPLIED = /^tyndau: calendar overrides were not applied \(.+\); this answer comes from the calendar data alone\n$/;

let dataDir: string;

function tyndau(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
  return runCli(args, env, SLOW - 5_000);
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tyndau-calendar-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('tyndau calendar over the embedded database', () => {
  it('answers from the data when there is no database, saying in one line that overrides were not applied', async () => {
    const [due, day] = await Promise.all([tyndau(DUE), tyndau(['calendar', 'is-working-day', '2026-12-04'])]);
    expect(due).toMatchObject({ code: 0, stdout: '2026-12-17T18:00:00+05:00\n' });
    expect(due.stderr).toMatch(NOT_APPLIED);
    expect(day).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(day.stderr).toMatch(/no database in /);
  }, SLOW);

  it('records an override from the command line and refuses a no-op with its code', async () => {
    const set = await tyndau(['calendar', 'override', 'set', '2026-12-04', '--type', 'day_off', '--reason', 'Akim decision No. 7']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('2026-12-04: day off (override: Akim decision No. 7)\n');
    const again = await tyndau(['calendar', 'override', 'set', '2026-12-04', '--type', 'day_off', '--reason', 'twice']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^ERR_CALENDAR_OVERRIDE_NOOP: /m);
    const bad = await tyndau(['calendar', 'override', 'set', '2026-02-30', '--type', 'day_off', '--reason', 'no such day']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ERR_CALENDAR_DATE_INVALID: /m);
    const list = await tyndau(['calendar', 'override', 'list']);
    expect(list).toMatchObject({ code: 0, stdout: '2026-12-04\tday_off\tAkim decision No. 7\n' });
  }, SLOW);

  it('computes with the stored overrides, silently', async () => {
    const due = await tyndau(DUE);
    expect(due).toEqual({ code: 0, stdout: '2026-12-18T18:00:00+05:00\n', stderr: '' });
    const day = await tyndau(['calendar', 'is-working-day', '2026-12-04']);
    expect(day).toEqual({ code: 0, stdout: 'no\n', stderr: '' });
  }, SLOW);

  it('answers from the data when a server holds the embedded database, and says so', async () => {
    // The lock of a live process other than the command's own: this test runner stands in for `tyndau serve`.
    const lock = path.join(dataDir, 'db', 'tyndau.lock');
    writeFileSync(lock, String(process.pid));
    try {
      const due = await tyndau(DUE);
      expect(due).toMatchObject({ code: 0, stdout: '2026-12-17T18:00:00+05:00\n' });
      expect(due.stderr).toMatch(NOT_APPLIED);
      expect(due.stderr).toMatch(/in use by another process/);
    } finally {
      unlinkSync(lock);
    }
  }, SLOW);

  it('clears the override: the data decides again, and the history keeps both events', async () => {
    const clear = await tyndau(['calendar', 'override', 'clear', '2026-12-04', '--reason', 'decision withdrawn']);
    expect(clear).toMatchObject({ code: 0, stdout: '2026-12-04: working day (weekday)\n' });
    expect(await tyndau(['calendar', 'is-working-day', '2026-12-04'])).toMatchObject({ code: 0, stdout: 'yes\n', stderr: '' });
    const history = await tyndau(['calendar', 'override', 'list', '--history']);
    const lines = history.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines.map((l) => [l[2], l[3], l[4], l[5], l[6]])).toEqual([
      ['2026-12-04', 'set', 'day_off', 'operator', 'Akim decision No. 7'],
      ['2026-12-04', 'clear', '-', 'operator', 'decision withdrawn'],
    ]);
  }, SLOW);
});

describe.skipIf(!testDatabaseUrl)('tyndau calendar over PostgreSQL (DATABASE_URL)', () => {
  let pg: TestDb;
  let url: string;
  beforeAll(async () => {
    pg = await createTestDb({ seed: false });
    const schema = (await pg.db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
    url = `${testDatabaseUrl}${testDatabaseUrl!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  });
  afterAll(async () => pg?.dispose());

  it('honours an override another node recorded: a moved working Saturday counts', async () => {
    expect(await tyndau(DUE, { DATABASE_URL: url })).toEqual({ code: 0, stdout: '2026-12-17T18:00:00+05:00\n', stderr: '' });
    const store = createCalendarStore(pg.db);
    const at = new Date('2026-11-25T05:00:00Z');
    await store.append({ date: '2026-12-04', action: 'set', type: 'day_off', reason: 'regional day off', actorId: null, actorRole: 'admin', occurredAt: at });
    await store.append({ date: '2026-12-05', action: 'set', type: 'working_day', reason: 'worked for Friday', actorId: null, actorRole: 'admin', occurredAt: at });
    expect(await tyndau(DUE, { DATABASE_URL: url })).toEqual({ code: 0, stdout: '2026-12-17T18:00:00+05:00\n', stderr: '' });
    expect(await tyndau(['calendar', 'is-working-day', '2026-12-05'], { DATABASE_URL: url })).toMatchObject({ stdout: 'yes\n', stderr: '' });
    await store.append({ date: '2026-12-05', action: 'clear', type: null, reason: 'undone', actorId: null, actorRole: 'admin', occurredAt: at });
    expect(await tyndau(DUE, { DATABASE_URL: url })).toEqual({ code: 0, stdout: '2026-12-18T18:00:00+05:00\n', stderr: '' });
  }, SLOW);

  it('answers from the data when the server cannot be read, and says so', async () => {
    const due = await tyndau(DUE, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(due).toMatchObject({ code: 0, stdout: '2026-12-17T18:00:00+05:00\n' });
    expect(due.stderr).toMatch(NOT_APPLIED);
  }, SLOW);
});
