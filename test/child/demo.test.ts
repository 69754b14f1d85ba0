import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedChildDemo } from '../../src/app/demo/child.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 180_000);
afterAll(async () => t.close());

describe('the child demo', () => {
  it('files ~20 anonymous reports across the schools, pages the emergencies and writes the chats', async () => {
    const now = t.clock.now();
    expect(await seedChildDemo(t.platform, { clock: t.clock })).toBe(20);
    expect(t.clock.now()).toEqual(now);
    const { rows } = await t.testDb.db.query<{ n: number; anonymous: number; emergencies: number; schools: number; cities: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.anonymous)::int AS anonymous, count(*) FILTER (WHERE c.urgency = 'emergency')::int AS emergencies,
              count(DISTINCT r.school_code)::int AS schools, count(DISTINCT c.city)::int AS cities
       FROM cases c JOIN child_reports r ON r.case_id = c.id WHERE c.channel = 'child'`,
    );
    expect(rows[0]).toMatchObject({ n: 20, anonymous: 20, emergencies: 3, schools: 20, cities: 3 });
    const pages = await t.testDb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE template = 'crisis_page'");
    expect(pages.rows[0]!.n).toBe(3);
    const messages = await t.testDb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM case_messages WHERE visibility = 'dialog'");
    expect(messages.rows[0]!.n).toBeGreaterThanOrEqual(10);
  });
});
