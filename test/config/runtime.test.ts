import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { EmbeddedInProductionError, openConfiguredDb } from '../../src/app/runtime.ts';
import { resolveSecretKey } from '../../src/app/secret-key.ts';
import { loadConfig } from '../../src/config/index.ts';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'tyndau-runtime-'));

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, stream };
}

describe('runtime guards', () => {
  it('refuses the embedded database in production', async () => {
    const config = loadConfig({}, { NODE_ENV: 'production', DATA_DIR: tempDir() });
    await expect(openConfiguredDb(config, createLogger({ LOG_LEVEL: 'silent' }))).rejects.toBeInstanceOf(EmbeddedInProductionError);
  });

  it('says at start that PGlite is for trying, demos and tests', async () => {
    const config = loadConfig({}, { DATA_DIR: tempDir() });
    const { lines, stream } = capture();
    const db = await openConfiguredDb(config, createLogger({ LOG_LEVEL: 'info' }, stream));
    await db.close();
    expect(lines.join('')).toMatch(/PGlite.*demos and tests only/);
  });

  it('requires SECRET_KEY in production and keeps a generated one elsewhere', () => {
    expect(() => resolveSecretKey(loadConfig({}, { NODE_ENV: 'production', DATA_DIR: tempDir() }))).toThrow(/SECRET_KEY/);
    const config = loadConfig({}, { DATA_DIR: tempDir() });
    const first = resolveSecretKey(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveSecretKey(config)).toBe(first);
  });
});
