import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { configKeys } from '../../src/config/schema.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', DEMO: false, NODE_ENV: 'development' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe(path.resolve('./var'));
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it('fails fast naming every bad key', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/DATABASE_URL/);
    }
  });

  it('parses flags and lists', () => {
    expect(loadConfig({ DEMO: 'true' }).DEMO).toBe(true);
    expect(loadConfig({ DEMO: '0' }).DEMO).toBe(false);
    expect(loadConfig({ ATTACHMENT_TYPES: 'image/png, application/pdf' }).ATTACHMENT_TYPES).toEqual(['image/png', 'application/pdf']);
  });

  it('reads an optional JSON file, which the environment overrides', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tyndau-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ PORT: 9000, HOST: '0.0.0.0' }));
    expect(loadConfig({ TYNDAU_CONFIG: file, HOST: '127.0.0.2' })).toMatchObject({ PORT: 9000, HOST: '127.0.0.2' });
    writeFileSync(file, '[1,2]');
    expect(() => loadConfig({ TYNDAU_CONFIG: file })).toThrow(/JSON object/);
    writeFileSync(file, JSON.stringify({ NO_SUCH_KEY: 1 }));
    expect(() => loadConfig({ TYNDAU_CONFIG: file })).toThrow(ConfigError);
  });

  it('documents every key in docs/CONFIG.md', () => {
    const doc = readFileSync(new URL('../../docs/CONFIG.md', import.meta.url), 'utf8');
    for (const key of configKeys) expect(doc, key).toContain(`| \`${key}\` |`);
  });
});
