import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/manual-clock.ts';
import { createSocialIngest, type SocialIngest } from '../../src/social/ingest.ts';
import { formatSummary, importSocialFile } from '../../src/social/ingest-import.ts';
import { createSocialStore } from '../../src/storage/social-store.ts';
import { runCli } from '../support/cli.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const reading = { understand: () => null, detectLanguage: () => 'ru', resolvePlace: () => ({ city: null, districtId: null, mentions: [] }), districtAt: () => null };

let testDb: TestDb;
let ingest: SocialIngest;
let dir: string;

beforeAll(async () => {
  testDb = await createTestDb({ seed: false });
  ingest = createSocialIngest({ store: createSocialStore(testDb.db), reading, secretKey: 'k'.repeat(32), clock: new ManualClock(new Date('2026-11-26T00:00:00Z')), uuid: randomUUID, sink: { accept: () => undefined } });
  dir = mkdtempSync(path.join(tmpdir(), 'tyndau-social-import-'));
});
afterAll(async () => {
  await testDb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const run = (format: string, file: string, extra: Partial<Parameters<typeof importSocialFile>[1]> = {}) => importSocialFile(ingest, { format, file, maxBytes: 10_000_000, batchSize: 3, ...extra });

describe('importing files', () => {
  it('imports a JSONL feed in batches and summarises: read, new, edits, duplicates, skipped by reason with line numbers', async () => {
    const progress: [number, number][] = [];
    const s = await run('jsonl', path.join(FIXTURES, 'feed.jsonl'), { onProgress: (d, t) => progress.push([d, t]) });
    expect(s).toMatchObject({ read: 11, received: 6, new: 3, edits: 0, reconciled: 1, deletions: 1, duplicates: 1, early: 2, skipped: 5 });
    expect(s.skippedByReason).toEqual({ 'bad time': 1, 'bad text': 1, 'malformed JSON': 1, 'bad line': 1, 'bad place': 1 });
    expect(progress.at(-1)).toEqual([11, 11]);
    const text = formatSummary(s);
    expect(text).toContain('read 11: new 3, edits 0 (2 before their post), deletions 1, duplicates 1, skipped 5');
    expect(text).toContain('skipped 1: malformed JSON (at 10)');
    expect(text).toContain('8: time must be an ISO 8601 date-time with a zone');
    // Again: every post a duplicate, nothing new.
    expect(await run('jsonl', path.join(FIXTURES, 'feed.jsonl'))).toMatchObject({ new: 0, edits: 0, deletions: 0, duplicates: 6 });
  });

  it('imports a Telegram export and a WhatsApp export, each twice without double counting', async () => {
    const tg = path.join(FIXTURES, 'telegram-result.json');
    expect(await run('telegram-export', tg)).toMatchObject({ read: 8, new: 5, skipped: 3 });
    expect(await run('telegram-export', tg)).toMatchObject({ new: 0, duplicates: 5 });
    const wa = path.join(FIXTURES, 'whatsapp-android-ru.txt');
    expect(await run('whatsapp', wa)).toMatchObject({ new: 5, skippedByReason: { 'system line': 3, 'deleted before the export': 1, 'bad date': 1 } });
    expect(await run('whatsapp', wa)).toMatchObject({ new: 0, duplicates: 5 });
    const { rows } = await testDb.db.query<{ source: string }>("SELECT DISTINCT source FROM social_posts WHERE format = 'whatsapp'");
    expect(rows).toEqual([{ source: 'whatsapp:whatsapp-android-ru' }]);
  });

  it('refuses an export that is too large, not JSON (with line and column), or not an export', async () => {
    const broken = path.join(dir, 'result.json');
    writeFileSync(broken, '{\n  "name": "chat",\n  "messages": [\n    {"id": 1,,}\n  ]\n}\n');
    await expect(run('telegram-export', broken)).rejects.toMatchObject({ code: 'ERR_SOCIAL_EXPORT_INVALID', message: expect.stringMatching(/line 4/) });
    await expect(run('telegram-export', broken, { maxBytes: 10 })).rejects.toMatchObject({ code: 'ERR_SOCIAL_IMPORT_TOO_LARGE' });
    writeFileSync(broken, '{"name": "not an export"}');
    await expect(run('telegram-export', broken)).rejects.toMatchObject({ code: 'ERR_SOCIAL_EXPORT_INVALID' });
    await expect(run('whatsapp', broken)).rejects.toMatchObject({ code: 'ERR_SOCIAL_EXPORT_INVALID' });
    writeFileSync(broken, Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    await expect(run('whatsapp', broken)).rejects.toMatchObject({ code: 'ERR_SOCIAL_EXPORT_INVALID', message: expect.stringMatching(/UTF-8/) });
    await expect(run('csv', broken)).rejects.toMatchObject({ code: 'ERR_SOCIAL_FORMAT_UNKNOWN' });
  });
});

describe('tyndau social import', () => {
  it('prints the summary after the progress, and a clear error for a bad format', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tyndau-social-cli-'));
    try {
      const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const ok = await runCli(['social', 'import', '--format', 'whatsapp', '--source', 'whatsapp:ios', path.join(FIXTURES, 'whatsapp-ios-en.txt')], env, 80_000);
      expect(ok.stderr).toContain('social import: 5/5');
      expect(ok).toMatchObject({ code: 0, stdout: 'read 6: new 5, edits 0, deletions 0, duplicates 0, skipped 1\n  skipped 1: system line (at 1)\n' });
      const bad = await runCli(['social', 'import', '--format', 'csv', path.join(FIXTURES, 'feed.jsonl')], env, 80_000);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('ERR_SOCIAL_FORMAT_UNKNOWN');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
