import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoAccounts } from '../../src/app/demo/accounts.ts';
import { seedPoliceReports } from '../../src/app/demo/police.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let created: number;

beforeAll(async () => {
  t = await buildTestApp();
  await createDemoAccounts(t.platform);
  created = await seedPoliceReports(t.platform, { clock: t.clock });
}, 300_000);
afterAll(async () => t.close());

const rows = async <R>(sql: string): Promise<R[]> => (await t.testDb.db.query<R & Record<string, unknown>>(sql)).rows;

describe('the demo\'s police reports', () => {
  it('fills the boards of the three cities with reports in every stage', async () => {
    expect(created).toBe(30);
    const byState = await rows<{ state: string; n: string }>("SELECT state, count(*) AS n FROM cases WHERE channel = 'police' GROUP BY state");
    expect(byState.map((r) => r.state).sort()).toEqual(['closed', 'dispatched', 'on_scene', 'received', 'resolved']);
    const cities = await rows<{ city: string }>("SELECT DISTINCT city FROM cases WHERE channel = 'police' ORDER BY city");
    expect(cities.map((r) => r.city)).toEqual(['almaty', 'astana', 'shymkent']);
    const orgs = await rows<{ organisation_id: string }>("SELECT DISTINCT organisation_id FROM cases WHERE channel = 'police'");
    for (const r of orgs) expect(r.organisation_id).toMatch(/^(astana|almaty|shymkent)\.police\./);
  });

  it('keeps evidence with EXIF beside the report, and the unit of each dispatch', async () => {
    const evidence = await rows<{ captured_at: Date | null; captured_lat: number | null }>('SELECT captured_at, captured_lat FROM case_evidence');
    expect(evidence.length).toBeGreaterThanOrEqual(10);
    for (const e of evidence) expect(e.captured_at).not.toBeNull();
    const units = await rows<{ unit: string }>("SELECT payload->>'unit' AS unit FROM case_events WHERE type = 'case.dispatched'");
    expect(units.length).toBeGreaterThan(10);
    for (const u of units) expect(u.unit).toMatch(/^\S+-\d+$/);
  });

  it('leaves emergencies waiting past their 10 minutes breached by the caught-up clock', async () => {
    const breached = await rows<{ n: string }>(
      "SELECT count(*) AS n FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE c.channel = 'police' AND c.state = 'received' AND c.urgency = 'emergency' AND d.state = 'breached'",
    );
    expect(Number(breached[0]!.n)).toBeGreaterThanOrEqual(1);
  });
});
