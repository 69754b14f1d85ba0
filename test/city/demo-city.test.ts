import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCityDemo } from '../../src/app/demo/city.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

describe('the 109 demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('fills the three cities’ boards through the real commands, in every state', async () => {
    const before = t.clock.now();
    const made = await seedCityDemo(t.platform, { clock: t.clock });
    expect(made).toBeGreaterThanOrEqual(35);
    expect(t.clock.now()).toEqual(before);
    const { rows } = await t.platform.db.query<{ city: string; state: string; n: number }>(
      `SELECT city, state, count(*)::int AS n FROM cases WHERE channel = 'city' GROUP BY city, state`,
    );
    const states = new Set(rows.map((r) => r.state));
    for (const s of ['received', 'in_work', 'resolved', 'awaiting_applicant']) expect(states, s).toContain(s);
    expect(new Set(rows.map((r) => r.city))).toEqual(new Set(['astana', 'almaty', 'shymkent']));
    const firstContacts = await t.platform.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_events WHERE type = 'case.resolved_on_first_contact'`);
    expect(firstContacts.rows[0]!.n).toBeGreaterThanOrEqual(8);

    const head = await t.staff('head', 'astana.utility.power');
    const board = (await t.request({ method: 'GET', url: '/api/v1/board', headers: bearer(head.token) })).json<{ rows: { urgency: string }[] }>();
    expect(board.rows[0]?.urgency).toBe('emergency');
    const lift = await t.staff('dispatcher', 'almaty.lift.auezov_lift');
    const liftBoard = (await t.request({ method: 'GET', url: '/api/v1/board', headers: bearer(lift.token) })).json<{ rows: { category: string }[] }>();
    expect(liftBoard.rows.map((r) => r.category)).toContain('housing.maintenance');
  });
});
