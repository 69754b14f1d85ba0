import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createLogger } from '../../src/app/logger.ts';
import { ManualClock } from '../../src/app/manual-clock.ts';
import { createUnderstanding } from '../../src/app/understanding.ts';
import { createPlatform, type Platform } from '../../src/app/platform.ts';
import { loadConfig } from '../../src/config/index.ts';
import { hashPassword } from '../../src/core/identity/secrets.ts';
import type { StaffRole } from '../../src/core/model.ts';
import { buildApp } from '../../src/http/app.ts';
import { createTestDb, type TestDb } from './db.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TEST_SECRET = 'test-secret-key-0123456789abcdef0123456789';
export const STAFF_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: FastifyInstance;
  platform: Platform;
  clock: ManualClock;
  testDb: TestDb;
  /** Sends a request; JSON bodies are serialised. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Creates a staff account and returns its bearer token and id. */
  staff(role: StaffRole, organisationId: string): Promise<{ token: string; id: string; username: string }>;
  /** Signs a citizen in by phone (demo code sender) and returns the token. */
  citizen(phone: string): Promise<{ token: string }>;
  close(): Promise<void>;
}

let counter = 0;
// scrypt is slow on purpose; every test account shares one hash of the same password.
const staffPasswordHash = hashPassword(STAFF_PASSWORD);

/** A whole app over a fresh database and a fake clock, for inject() tests. */
export async function buildTestApp(options: { now?: Date; config?: Record<string, unknown>; withModel?: boolean } = {}): Promise<TestApp> {
  const testDb = await createTestDb();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tyndau-test-'));
  const config = loadConfig({}, { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', OTP_SENDER: 'demo', SECRET_KEY: TEST_SECRET, ...options.config });
  const clock = new ManualClock(options.now ?? new Date('2026-11-25T05:00:00Z'));
  // Without the trained model unless asked: a test of the clock or of access must not hinge on what the
  // classifier makes of its fixture texts (test/http/understanding.test.ts tests the model in intake).
  const understanding = options.withModel ? undefined : createUnderstanding(null);
  const platform = await createPlatform(config, testDb.db, { clock, secretKey: TEST_SECRET, logger: createLogger(config), ...(understanding ? { understanding } : {}) });
  const app = await buildApp(platform);
  const request = (o: InjectOptions) => app.inject(o);
  return {
    app,
    platform,
    clock,
    testDb,
    request,
    async staff(role, organisationId) {
      const username = `${role}.${organisationId}.${++counter}`;
      const id = platform.identity.ids.uuid();
      await platform.identity.identities.createStaff({ id, username, passwordHash: await staffPasswordHash, displayName: username, role, organisationId, at: clock.now() });
      const res = await request({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: STAFF_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      return { token: res.json<{ token: string }>().token, id, username };
    },
    async citizen(phone) {
      const sent = await request({ method: 'POST', url: '/api/v1/auth/code', payload: { phone } });
      const code = sent.json<{ code: string }>().code;
      const res = await request({ method: 'POST', url: '/api/v1/auth/code/verify', payload: { phone, code } });
      if (res.statusCode !== 200) throw new Error(`citizen sign-in failed: ${res.body}`);
      return { token: res.json<{ token: string }>().token };
    },
    async close() {
      await app.close();
      await testDb.dispose();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
