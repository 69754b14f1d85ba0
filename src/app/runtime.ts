import path from 'node:path';
import type { Logger } from 'pino';
import { usesEmbeddedDatabase, type Config } from '../config/index.ts';
import { openDb, type Db } from '../storage/db.ts';
import { migrate } from '../storage/migrate.ts';

export class EmbeddedInProductionError extends Error {
  override readonly name = 'EmbeddedInProductionError';
}

/**
 * Opens the configured database. PGlite (the embedded default) is for trying, demos and tests: it takes
 * one connection and never flushes to disk, so production refuses it and everyone else is told.
 */
export async function openConfiguredDb(config: Config, logger: Logger): Promise<Db> {
  if (usesEmbeddedDatabase(config)) {
    if (config.NODE_ENV === 'production') {
      throw new EmbeddedInProductionError(
        'NODE_ENV=production needs DATABASE_URL: the embedded PGlite database does not flush to disk and serves one connection.',
      );
    }
    logger.warn(
      { dataDir: path.join(config.DATA_DIR, 'db') },
      'Using the embedded PGlite database: for trying, demos and tests only (one connection, no fsync). Set DATABASE_URL for real use.',
    );
    return openDb({ dataDir: path.join(config.DATA_DIR, 'db') });
  }
  return openDb({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
}

export async function openMigratedDb(config: Config, logger: Logger): Promise<Db> {
  const db = await openConfiguredDb(config, logger);
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
