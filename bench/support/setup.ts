import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createLogger } from '../../src/app/logger.ts';
import { createPlatform, type Platform, type PlatformOptions } from '../../src/app/platform.ts';
import { seedReferenceData } from '../../src/app/seed.ts';
import { loadConfig } from '../../src/config/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { openDb, type Db } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';

/** The server key of every benchmark's platform (the benchmarks never keep their data). */
export const BENCH_SECRET = 'bench-secret-key-0123456789abcdef0123';

/** The PostgreSQL server a benchmark creates its databases on. */
export const benchAdminUrl = (): string => process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `--name value` from the arguments, else the fallback. */
export const flagReader =
  (args: readonly string[]) =>
  (name: string, fallback: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };

/** A fresh database `tyndau_bench_<label>_<time>` for the run, dropped afterwards whatever happens. */
export async function withBenchDatabase<T>(adminUrl: string, label: string, fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const name = `tyndau_bench_${label}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** A temporary DATA_DIR for the run, removed afterwards. */
export async function withDataDir<T>(label: string, fn: (dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `tyndau-bench-${label}-`));
  try {
    return await fn(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface ListeningAppOptions {
  dataDir: string;
  /** PostgreSQL; without it, an in-memory PGlite. */
  databaseUrl?: string;
  poolSize: number;
  /** Configuration beside the benchmark defaults (development, demo one-time codes, DATA_DIR, SECRET_KEY). */
  config: Record<string, unknown>;
  understanding?: PlatformOptions['understanding'];
  /** Routes the benchmark adds (a baseline) before the server listens. */
  extend?: (app: FastifyInstance) => void;
}

export interface ListeningApp {
  platform: Platform;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  base: string;
  stop(): Promise<void>;
}

/** The whole platform in this process on a migrated, seeded database, listening on a free loopback port. */
export async function startListeningApp(o: ListeningAppOptions): Promise<ListeningApp> {
  const db: Db = await openDb(o.databaseUrl ? { databaseUrl: o.databaseUrl, poolSize: o.poolSize } : {});
  await migrate(db);
  await seedReferenceData(db);
  const config = loadConfig({}, {
    NODE_ENV: 'development',
    OTP_SENDER: 'demo',
    DATA_DIR: o.dataDir,
    SECRET_KEY: BENCH_SECRET,
    ...o.config,
  });
  const platform = await createPlatform(config, db, {
    secretKey: BENCH_SECRET,
    logger: createLogger(config),
    ...(o.understanding ? { understanding: o.understanding } : {}),
  });
  const app = await buildApp(platform);
  o.extend?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    platform,
    app,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async stop() {
      await app.close();
      platform.calendarAdmin.stop();
      platform.feed.stop();
      await db.close();
    },
  };
}
