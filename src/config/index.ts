import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configKeys, configSchema, type Config } from './schema.ts';

export type { Config } from './schema.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads an optional JSON file named by TYNDAU_CONFIG; the environment overrides it. */
function readFileLayer(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env['TYNDAU_CONFIG'];
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`TYNDAU_CONFIG: cannot read ${file}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`TYNDAU_CONFIG: ${file} must hold a JSON object of configuration keys`);
  }
  return parsed as Record<string, unknown>;
}

function envLayer(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of configKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return picked;
}

/** Builds the one frozen configuration; fails fast naming every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  const result = configSchema.safeParse({ ...readFileLayer(env), ...envLayer(env), ...overrides });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee docs/CONFIG.md.`);
  }
  const config = { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR) };
  return Object.freeze(config);
}

export const usesEmbeddedDatabase = (config: Config): boolean => config.DATABASE_URL === undefined;
