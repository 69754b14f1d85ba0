import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.ts';
import { runCli, type Run } from '../support/cli.ts';

/**
 * `tyndau apikeys create | list | revoke`, as the operator runs it, over an embedded database folder
 * (PGlite-only on purpose: the child process gets no DATABASE_URL).
 */

const SLOW = 120_000;
let dataDir: string;

const tyndau = (args: string[]): Promise<Run> =>
  runCli(args, { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), DATA_DIR: dataDir }, SLOW - 5_000);

const fieldsOf = (stdout: string): Record<string, string> => Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('\t') as [string, string]));

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tyndau-apikeys-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tyndau apikeys', () => {
  it('creates a key shown once and stored hashed, lists it, and revokes it', async () => {
    const created = await tyndau(['apikeys', 'create', '--name', 'FixMyStreet Astana', '--org', 'astana.akimat']);
    expect(created.code, created.stderr).toBe(0);
    const key = fieldsOf(created.stdout);
    expect(key).toMatchObject({ name: 'FixMyStreet Astana', role: 'registrar', organisation: 'astana.akimat' });
    expect(key['key']).toMatch(/^tyk_[\w-]{40,}$/);
    expect(created.stderr).toContain('shown this once');

    const defaults = await tyndau(['apikeys', 'create', '--name', 'importer']);
    expect(defaults.code, defaults.stderr).toBe(0);
    expect(fieldsOf(defaults.stdout)).toMatchObject({ role: 'registrar', organisation: 'kz.processing_centre' });

    const listed = await tyndau(['apikeys', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${key['id']}\\tFixMyStreet Astana\\tregistrar\\tastana\\.akimat\\t\\S+\\tactive$`));
    expect(listed.stdout).not.toContain(key['key']);

    const revoked = await tyndau(['apikeys', 'revoke', key['id']!]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await tyndau(['apikeys', 'list'])).stdout.split('\n')[0]).toMatch(/\trevoked \S+$/);
    const again = await tyndau(['apikeys', 'revoke', key['id']!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_API_KEY_NOT_FOUND');

    // Only the hash is in the database.
    const db = await openDb({ dataDir: path.join(dataDir, 'db') });
    try {
      const { rows } = await db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [key['id']]);
      expect(rows[0]!.key_hash).toBe(createHash('sha256').update(key['key']!).digest('hex'));
      const { rows: leaks } = await db.query("SELECT 1 FROM api_keys WHERE key_hash = $1 OR name LIKE 'tyk_%'", [key['key']]);
      expect(leaks).toEqual([]);
    } finally {
      await db.close();
    }
  }, SLOW * 3);

  it('refuses an unknown organisation, a bad name or id', async () => {
    const org = await tyndau(['apikeys', 'create', '--name', 'x', '--org', 'nowhere']);
    expect(org.code).toBe(1);
    expect(org.stderr).toContain('ERR_UNKNOWN_ORGANISATION');
    const name = await tyndau(['apikeys', 'create', '--name', '   ']);
    expect(name.code).toBe(1);
    expect(name.stderr).toContain('ERR_VALIDATION');
    const id = await tyndau(['apikeys', 'revoke', 'not-a-uuid']);
    expect(id.code).toBe(1);
    expect(id.stderr).toContain('ERR_VALIDATION');
  }, SLOW * 3);
});
