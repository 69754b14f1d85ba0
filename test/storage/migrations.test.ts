import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations, type Migration } from '../../src/storage/migrate.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');
const migration = (version: number, name: string, sql: string): Migration => ({ version, name, sql, checksum: checksum(sql) });

interface Applied {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

let fresh: TestDb;
const shipped = readMigrations();
const nameOf = (version: number, name: string): string => `${String(version).padStart(4, '0')}_${name}`;
/** A migration added after the shipped ones. */
const probe = migration(shipped.length + 1, nameOf(shipped.length + 1, 'add_probe'), 'CREATE TABLE migration_probe (id integer PRIMARY KEY, note text);');

beforeAll(async () => {
  fresh = await createTestDb({ migrate: false, seed: false });
});
afterAll(async () => fresh.dispose());

const recorded = async (): Promise<Applied[]> =>
  (await fresh.db.query<Applied>('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).rows;

const tableExists = async (name: string): Promise<boolean> =>
  (await fresh.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]?.t != null;

describe('the shipped migrations', () => {
  it('are numbered files read in order, each with the SHA-256 of its text', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(3);
    expect(shipped.map((m) => m.name).slice(0, 3)).toEqual(['0001_reference', '0002_identity', '0003_cases']);
    shipped.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.name.startsWith(String(m.version).padStart(4, '0'))).toBe(true);
      expect(m.checksum).toBe(checksum(m.sql));
    });
  });

  it('reads only NNNN_name.sql files from a folder, sorted by number', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tyndau-migrations-'));
    try {
      writeFileSync(path.join(dir, '0002_second.sql'), 'SELECT 2;');
      writeFileSync(path.join(dir, '0001_first.sql'), 'SELECT 1;');
      writeFileSync(path.join(dir, '0010_tenth.sql'), 'SELECT 10;');
      writeFileSync(path.join(dir, 'README.md'), '# not a migration');
      writeFileSync(path.join(dir, '3_short.sql'), 'SELECT 3;');
      writeFileSync(path.join(dir, '0004_Upper.sql'), 'SELECT 4;');
      writeFileSync(path.join(dir, '0005_draft.sql.bak'), 'SELECT 5;');
      expect(readMigrations(dir).map((m) => [m.version, m.name, m.sql])).toEqual([
        [1, '0001_first', 'SELECT 1;'],
        [2, '0002_second', 'SELECT 2;'],
        [10, '0010_tenth', 'SELECT 10;'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migrate', () => {
  it('applies every migration in order on an empty database and records each in schema_migrations', async () => {
    expect(await tableExists('cases')).toBe(false);
    const applied = await migrate(fresh.db);
    expect(applied).toEqual(shipped.map((m) => m.name));
    const rows = await recorded();
    expect(rows.map((r) => [r.version, r.name, r.checksum])).toEqual(shipped.map((m) => [m.version, m.name, m.checksum]));
    for (const r of rows) expect(r.applied_at).toBeInstanceOf(Date);
    for (const table of ['organisations', 'users', 'cases', 'case_events', 'case_messages', 'case_attachments']) {
      expect(await tableExists(table), table).toBe(true);
    }
  });

  it('applies nothing the second time', async () => {
    const before = await recorded();
    expect(await migrate(fresh.db)).toEqual([]);
    expect(await recorded()).toEqual(before);
  });

  it('refuses to run over a migration edited after it was applied, and changes nothing', async () => {
    const before = await recorded();
    const edited = shipped.map((m) => (m.version === 2 ? migration(m.version, m.name, `${m.sql}\nALTER TABLE users ADD COLUMN nickname text;\n`) : m));
    const next = migration(shipped.length + 1, nameOf(shipped.length + 1, 'after_edit'), 'CREATE TABLE after_edit (id integer);');
    await expect(migrate(fresh.db, [...edited, next])).rejects.toThrow(/0002_identity was edited after it was applied/);
    expect(await recorded()).toEqual(before);
    expect(await tableExists('after_edit')).toBe(false);
    // A whitespace change is an edit too: the checksum is of the exact text.
    const spaced = shipped.map((m) => (m.version === 1 ? migration(m.version, m.name, `${m.sql} `) : m));
    await expect(migrate(fresh.db, spaced)).rejects.toThrow(/0001_reference was edited/);
  });

  it('applies only a new migration added after the others', async () => {
    expect(await migrate(fresh.db, [...shipped, probe])).toEqual([probe.name]);
    expect(await tableExists('migration_probe')).toBe(true);
    expect((await recorded()).at(-1)).toMatchObject({ version: probe.version, name: probe.name, checksum: probe.checksum });
    expect(await migrate(fresh.db, [...shipped, probe])).toEqual([]);
  });

  it('rolls a failing run back whole, leaving no record of it', async () => {
    const before = await recorded();
    const good = migration(probe.version + 1, nameOf(probe.version + 1, 'good'), 'CREATE TABLE good_half (id integer);');
    const bad = migration(probe.version + 2, nameOf(probe.version + 2, 'bad'), 'CREATE TABLE bad_half (id integer);\nSELECT no_such_function();');
    await expect(migrate(fresh.db, [...shipped, probe, good, bad])).rejects.toThrow(/no_such_function/);
    expect(await recorded()).toEqual(before);
    expect(await tableExists('good_half')).toBe(false);
    expect(await tableExists('bad_half')).toBe(false);
    // Fixed, the run goes through.
    expect(await migrate(fresh.db, [...shipped, probe, good])).toEqual([good.name]);
  });

  it('migrates once when several nodes start together', async () => {
    const other = await createTestDb({ migrate: false, seed: false });
    try {
      const results = await Promise.all([migrate(other.db), migrate(other.db), migrate(other.db)]);
      expect(results.flat()).toEqual(shipped.map((m) => m.name));
      const { rows } = await other.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]?.n).toBe(shipped.length);
    } finally {
      await other.dispose();
    }
  });
});
