import pino from 'pino';
import { createLogger } from '../../app/logger.ts';
import { openConfiguredDb } from '../../app/runtime.ts';
import { loadConfig } from '../../config/index.ts';
import { migrate as runMigrations } from '../../storage/migrate.ts';

export async function migrate(): Promise<void> {
  const config = loadConfig();
  const db = await openConfiguredDb(config, createLogger(config, pino.destination(2)));
  try {
    const applied = await runMigrations(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await db.close();
  }
}
