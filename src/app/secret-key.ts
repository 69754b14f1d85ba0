import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';

/**
 * The server's secret (tracking codes are derived from it). Production must configure SECRET_KEY;
 * elsewhere one is made on first start and kept in DATA_DIR, so codes stay valid across restarts.
 */
export function resolveSecretKey(config: Config): string {
  if (config.SECRET_KEY) return config.SECRET_KEY;
  if (config.NODE_ENV === 'production') throw new Error('SECRET_KEY must be set in production (see docs/CONFIG.md).');
  const file = path.join(config.DATA_DIR, 'secret.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(config.DATA_DIR, { recursive: true });
    const key = randomBytes(32).toString('base64url');
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  }
}
