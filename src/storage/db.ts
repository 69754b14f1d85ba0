import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquireFolderLock, type FolderLock } from './folder-lock.ts';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** What repositories need: one SQL dialect (PostgreSQL) whichever engine runs it. */
export interface Queryable {
  /**
   * `prepare` names a hot statement: PostgreSQL parses and plans it once per connection instead of on
   * every call. PGlite ignores it.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], prepare?: string): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite; undefined means in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /** PostgreSQL schema to work in (tests get a fresh one per file). */
  schema?: string;
}

export async function openDb(options: OpenDbOptions): Promise<Db> {
  return ambient(await (options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir)));
}

/**
 * Inside a transaction, every query of the same async flow joins it, and a nested transaction is
 * flattened into it. On PGlite (one connection) a query outside the open transaction would otherwise
 * wait for it forever; on PostgreSQL it would silently run on another connection.
 */
function ambient(db: Db): Db {
  const current = new AsyncLocalStorage<Queryable>();
  return {
    engine: db.engine,
    query: (sql, params, prepare) => (current.getStore() ?? db).query(sql, params, prepare),
    exec: (sql) => (current.getStore() ?? db).exec(sql),
    transaction(fn) {
      const open = current.getStore();
      if (open) return fn(open);
      return db.transaction((tx) => current.run(tx, () => fn(tx)));
    },
    close: () => db.close(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  let lock: FolderLock | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireFolderLock(path.join(dataDir, 'tyndau.lock'));
  }
  let lite: PGlite;
  try {
    lite = await PGlite.create(dataDir ? { dataDir } : {});
  } catch (err) {
    lock?.release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const r = await q.query<Row>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    engine: 'pglite',
    ...wrap(lite),
    transaction: (fn) => lite.transaction((tx) => fn(wrap(tx))),
    close: async () => {
      await lite.close();
      lock?.release();
    },
  };
}

// int8 (counts, sequences) as JS numbers: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => v);

async function openPostgres(url: string, options: OpenDbOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 5_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = [], prepare?: string) {
      const r = await c.query(prepare ? { name: prepare, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] });
      return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
