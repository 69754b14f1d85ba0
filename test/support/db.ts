import { randomBytes } from 'node:crypto';
import { seedReferenceData } from '../../src/app/seed.ts';
import { openDb, type Db } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';

/** Which engine the suite runs on: PGlite by default, the PostgreSQL server when TEST_DATABASE_URL is set. */
export const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || undefined;

export interface TestDb {
  db: Db;
  /** Drops what the test created (the PostgreSQL schema) and closes. */
  dispose(): Promise<void>;
}

/**
 * A fresh database for one test file: an in-memory PGlite, or a new schema in the PostgreSQL server
 * (dropped afterwards), migrated and optionally seeded with the reference data.
 */
export async function createTestDb(options: { seed?: boolean; migrate?: boolean } = {}): Promise<TestDb> {
  let db: Db;
  let dispose: () => Promise<void>;
  if (testDatabaseUrl) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = await openDb({ databaseUrl: testDatabaseUrl, poolSize: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    db = await openDb({ databaseUrl: testDatabaseUrl, schema, poolSize: 10 });
    dispose = async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    };
  } else {
    db = await openDb({});
    dispose = () => db.close();
  }
  if (options.migrate !== false) await migrate(db);
  if (options.seed !== false && options.migrate !== false) await seedReferenceData(db);
  return { db, dispose };
}
