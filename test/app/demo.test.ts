import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { seedDemo } from '../../src/app/demo/seed-demo.ts';
import { loadConfig } from '../../src/config/index.ts';
import { TEST_SECRET } from '../support/app.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

let t: TestDb;
const config = loadConfig({}, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/tyndau-demo-test' });
const options = { secretKey: TEST_SECRET, logger: createLogger(config), cases: 200 };

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.dispose());

let doorCases = 0;

describe('demo data', () => {
  it('creates accounts for every role and cases in every channel and state kind, through the real commands', async () => {
    const seeded = await seedDemo(config, t.db, options);
    expect(seeded).toMatchObject({ cases: 200 });
    doorCases = Object.values(seeded!.doors).reduce((a, b) => a + b, 0);
    // Every door's own format made cases: the live boards show each of them.
    for (const [door, n] of Object.entries(seeded!.doors)) expect(n, door).toBeGreaterThan(0);
    expect(seeded!.open311ApiKey).toMatch(/\S{20,}/);
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

  it('shows the legal clock in every state: on time, warned, extended, paused, overdue, escalated, silence complaint filed, reopened', async () => {
    const count = async (sql: string): Promise<number> => (await t.db.query<{ n: number }>(sql)).rows[0]!.n;
    const states = (await t.db.query<{ state: string }>('SELECT DISTINCT state FROM case_deadlines')).rows.map((r) => r.state);
    expect(states).toEqual(expect.arrayContaining(['pending', 'warned', 'met', 'breached', 'fired']));
    expect(await count('SELECT count(*)::int AS n FROM case_deadlines WHERE original_due_at IS NOT NULL')).toBeGreaterThan(0);
    const events = (await t.db.query<{ type: string }>('SELECT DISTINCT type FROM case_events')).rows.map((r) => r.type);
    expect(events).toEqual(
      expect.arrayContaining([
        'case.deadline_warning',
        'case.deadline_breached',
        'case.escalated',
        'case.silence_refusal',
        'case.term_extended',
        'case.hearing_notified',
        'case.reopened',
        'case.reported_not_fixed',
        'case.rated',
        'case.complaint_filed',
        'case.survey_sent',
      ]),
    );
    expect(await count("SELECT count(*)::int AS n FROM cases WHERE complaint_about = 'silence'")).toBeGreaterThan(0);
    expect(await count("SELECT count(*)::int AS n FROM cases WHERE complaint_about = 'answer'")).toBeGreaterThan(0);
    // Every notice the applicants must get is in the outbox.
    expect(await count('SELECT count(*)::int AS n FROM notifications')).toBeGreaterThan(0);
  });

  it('adds nothing to a database that already has cases', async () => {
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0]!.n;
    expect(await seedDemo(config, t.db, options)).toBeNull();
    const { rows } = await t.db.query<{ n: number; submitted: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE related_case_id IS NULL)::int AS submitted FROM cases');
    // The 200 submitted and the doors' own, plus the complaints filed about them (silence, answers).
    expect(rows[0]).toEqual({ n: before, submitted: 200 + doorCases });
  });
});
