import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { seedDemo } from '../../src/app/demo/seed-demo.ts';
import { loadConfig } from '../../src/config/index.ts';
import { TEST_SECRET } from '../support/app.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

let t: TestDb;
const config = loadConfig({}, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/tyndau-demo-test' });
const options = { secretKey: TEST_SECRET, logger: createLogger(config), cases: 120 };

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.dispose());

describe('demo data', () => {
  it('creates accounts for every role and cases in every channel and state kind, through the real commands', async () => {
    const seeded = await seedDemo(config, t.db, options);
    expect(seeded).toMatchObject({ cases: 120 });
    const roles = (await t.db.query<{ role: string }>("SELECT DISTINCT role FROM users WHERE kind = 'staff'")).rows.map((r) => r.role);
    expect(roles.sort()).toEqual(['admin', 'analyst', 'controller', 'dispatcher', 'executor', 'head', 'psychologist', 'registrar']);
    const byChannel = (await t.db.query<{ channel: string }>('SELECT DISTINCT channel FROM cases')).rows.map((r) => r.channel);
    expect(byChannel.sort()).toEqual(['appeal', 'child', 'city', 'police', 'social']);
    const kinds = (await t.db.query<{ state_kind: string }>('SELECT DISTINCT state_kind FROM cases')).rows.map((r) => r.state_kind);
    expect(kinds.sort()).toEqual(['closed', 'new', 'open', 'waiting']);
    // Every case has its registration event, and every change after it left an event too.
    const orphans = await t.db.query("SELECT id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'case.registered')");
    expect(orphans.rows).toEqual([]);
    const unexplained = await t.db.query("SELECT id FROM cases c WHERE version > 1 AND (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) < 2");
    expect(unexplained.rows).toEqual([]);
  });

  it('adds nothing to a database that already has cases', async () => {
    expect(await seedDemo(config, t.db, options)).toBeNull();
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
    expect(rows[0]!.n).toBe(120);
  });
});
