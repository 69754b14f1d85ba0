import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../config/index.ts';
import { createLogger } from '../app/logger.ts';
import { createPlatform, type Platform } from '../app/platform.ts';
import { openMigratedDb } from '../app/runtime.ts';
import { resolveSecretKey } from '../app/secret-key.ts';
import { isReferenceSeeded, seedReferenceData } from '../app/seed.ts';
import type { Clock } from '../core/ports.ts';
import type { Db } from '../storage/db.ts';

export interface CliContext {
  config: Config;
  logger: Logger;
  db: Db;
  close(): Promise<void>;
}

/**
 * Every command reads the same configuration as the server (DATA_DIR, DATABASE_URL, …). A command's logs
 * go to stderr, so that its stdout carries only its data (an export, counts); the server logs to stdout.
 */
export async function openContext(overrides: Record<string, unknown> = {}, logTo: 'stdout' | 'stderr' = 'stderr'): Promise<CliContext> {
  const config = loadConfig(process.env, overrides);
  const logger = createLogger(config, logTo === 'stderr' ? pino.destination(2) : undefined);
  const db = await openMigratedDb(config, logger);
  return { config, logger, db, close: () => db.close() };
}

/** The platform over a seeded database: seeds the reference data the first time. */
export async function openPlatform(ctx: CliContext, clock?: Clock): Promise<Platform> {
  if (!(await isReferenceSeeded(ctx.db))) {
    ctx.logger.info(await seedReferenceData(ctx.db), 'reference data seeded');
  }
  return createPlatform(ctx.config, ctx.db, { secretKey: resolveSecretKey(ctx.config), logger: ctx.logger, ...(clock ? { clock } : {}) });
}
