import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { createPlatform, type Platform } from '../../src/app/platform.ts';
import type { Config } from '../../src/config/index.ts';
import { setCalendarDay } from '../../src/core/sla/calendar-admin.ts';
import { bearer, buildTestApp, TEST_SECRET, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

/**
 * The calendar admin API over a whole app. The fake clock reads Wednesday 2026-11-25 10:00 Kazakhstan time,
 * so an appeal counts 15 working days from Thursday 26 November. Worked out on a paper calendar:
 *   26, 27, 30 Nov, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15 Dec (16 Dec is Independence Day), 17 Dec → due Thu 17 Dec;
 *   with Friday 4 Dec a day off → Fri 18 Dec; with also Saturday 5 Dec worked → Thu 17 Dec again;
 *   with only Saturday 5 Dec worked → Tue 15 Dec.
 */

const ORG = 'kz.processing_centre';
const DUE_17_DEC = '2026-12-17T13:00:00.000Z';
const DUE_18_DEC = '2026-12-18T13:00:00.000Z';
const DUE_15_DEC = '2026-12-15T13:00:00.000Z';

let t: TestApp;
let admin: { token: string; id: string };
let head: { token: string };
let executor: { token: string };
let citizen: { token: string };
let phones = 0;

beforeAll(async () => {
  t = await buildTestApp({ now: new Date('2026-11-25T05:00:00Z') });
  admin = await t.staff('admin', ORG);
  head = await t.staff('head', ORG);
  executor = await t.staff('executor', ORG);
  citizen = await t.citizen('+77015550001');
});
afterAll(async () => t.close());

const day = (date: string, body: Record<string, unknown>, token = admin.token) =>
  t.request({ method: 'PUT', url: `/api/v1/admin/calendar/days/${date}`, headers: bearer(token), payload: body });
const clear = (date: string, body: Record<string, unknown>, token = admin.token) =>
  t.request({ method: 'DELETE', url: `/api/v1/admin/calendar/days/${date}`, headers: bearer(token), payload: body });
const days = (from: string, to: string) => t.request({ method: 'GET', url: `/api/v1/calendar/days?from=${from}&to=${to}` });

function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.code).toBe(code);
}

/** A new appeal's deadline, computed now. */
async function appealDueAt(): Promise<{ caseId: string; dueAt: string | null; token: string }> {
  const { token } = await t.citizen(`+7701555${String(1000 + ++phones).padStart(4, '0')}`);
  const receipt = await submitCase(t, { channel: 'appeal', category: 'social.benefits', kind: 'application', text: 'Прошу пересчитать пособие' }, bearer(token));
  return { ...receipt, token };
}

describe('the calendar admin API', () => {
  it('lists days publicly, each with why it is (not) a working day', async () => {
    const res = await days('2026-12-03', '2026-12-16');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<{ days: { date: string; working: boolean; why: string; holiday: { en: string } | null }[] }>().days;
    expect(list).toHaveLength(14);
    expect(list[0]).toMatchObject({ date: '2026-12-03', working: true, why: 'weekday', weekday: 4, override: null, coverage: 'data' });
    expect(list[1]).toMatchObject({ date: '2026-12-04', working: true, why: 'weekday' });
    expect(list[2]).toMatchObject({ date: '2026-12-05', working: false, why: 'weekend' });
    expect(list.at(-1)).toMatchObject({ date: '2026-12-16', working: false, why: 'holiday', holiday: { en: expect.stringMatching(/Independence/) } });
    const march = (await days('2026-03-20', '2026-03-26')).json<{ days: { why: string }[] }>().days.map((d) => d.why);
    expect(march).toEqual(['weekday', 'holiday', 'holiday', 'holiday', 'carry_over', 'carry_over', 'weekday']);
    const decree = (await days('2025-01-03', '2025-01-05')).json<{ days: { why: string; working: boolean }[] }>().days;
    expect(decree.map((d) => [d.why, d.working])).toEqual([['decree', false], ['weekend', false], ['moved_working_day', true]]);
  });

  it('an admin marks Friday 2026-12-04 a day off: a case computed afterwards skips it, one computed before keeps its deadline', async () => {
    const before = await appealDueAt();
    expect(before.dueAt).toBe(DUE_17_DEC);

    const res = await day('2026-12-04', { type: 'day_off', reason: 'Akim decision No. 7: regional day off' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      event: { date: '2026-12-04', action: 'set', type: 'day_off', reason: 'Akim decision No. 7: regional day off', actorId: admin.id, actorRole: 'admin', occurredAt: '2026-11-25T05:00:00.000Z' },
      day: { date: '2026-12-04', working: false, why: 'override', note: 'Akim decision No. 7: regional day off', override: { type: 'day_off', dataWorking: true, dataWhy: 'weekday' } },
    });

    expect((await appealDueAt()).dueAt).toBe(DUE_18_DEC);
    expect(t.platform.calendar.isWorkingDay('2026-12-04')).toBe(false);
    // Deadlines already computed are not recomputed.
    const old = await t.request({ method: 'GET', url: `/api/v1/cases/${before.caseId}`, headers: bearer(before.token) });
    expect(old.statusCode, old.body).toBe(200);
    expect(old.json().dueAt).toBe(DUE_17_DEC);

    const listed = (await days('2026-12-04', '2026-12-04')).json<{ days: unknown[] }>().days[0];
    expect(listed).toMatchObject({ working: false, why: 'override', note: 'Akim decision No. 7: regional day off' });
  });

  it('a moved working Saturday counts; clearing restores the data', async () => {
    expect((await day('2026-12-05', { type: 'working_day', reason: 'worked for Friday 4 December' })).statusCode).toBe(200);
    expect((await appealDueAt()).dueAt).toBe(DUE_17_DEC);

    const cleared = await clear('2026-12-04', { reason: 'decision withdrawn' });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ event: { action: 'clear', type: null, date: '2026-12-04' }, day: { working: true, why: 'weekday', override: null } });
    expect((await appealDueAt()).dueAt).toBe(DUE_15_DEC);

    expect((await clear('2026-12-05', { reason: 'no longer needed' })).statusCode).toBe(200);
    expect((await appealDueAt()).dueAt).toBe(DUE_17_DEC);
  });

  it('records one of several identical changes sent at once; the others are no-ops', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => day('2026-12-10', { type: 'day_off', reason: 'sent six times at once' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect((await clear('2026-12-10', { reason: 'undo the race test' })).statusCode).toBe(200);
  });

  it('keeps the whole history and lists the overrides in force', async () => {
    expect((await day('2026-12-31', { type: 'day_off', reason: 'New Year\'s Eve by decree' })).statusCode).toBe(200);
    const res = await t.request({ method: 'GET', url: '/api/v1/admin/calendar/overrides', headers: bearer(admin.token) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ overrides: { date: string }[]; events: { date: string; action: string; actorId: string }[] }>();
    expect(body.overrides).toEqual([expect.objectContaining({ date: '2026-12-31', type: 'day_off', actorId: admin.id, actorRole: 'admin' })]);
    expect(body.events.map((e) => [e.date, e.action])).toEqual([
      ['2026-12-04', 'set'],
      ['2026-12-05', 'set'],
      ['2026-12-04', 'clear'],
      ['2026-12-05', 'clear'],
      ['2026-12-10', 'set'],
      ['2026-12-10', 'clear'],
      ['2026-12-31', 'set'],
    ]);
    for (const e of body.events) expect(e.actorId).toBe(admin.id);
  });

  it('the event log is append-only: the database refuses to rewrite it', async () => {
    await expect(t.testDb.db.query("UPDATE calendar_events SET reason = 'rewritten'")).rejects.toThrow(/append-only/);
    await expect(t.testDb.db.query('DELETE FROM calendar_events')).rejects.toThrow(/append-only/);
    await expect(t.testDb.db.query('TRUNCATE calendar_events')).rejects.toThrow(/append-only/);
  });
});

describe('who may change the calendar', () => {
  it('refuses a non-admin with 403 and the public with 401, recording nothing', async () => {
    const count = async () => (await t.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM calendar_events')).rows[0]!.n;
    const before = await count();
    for (const token of [head.token, executor.token, citizen.token]) {
      expectError(await day('2026-12-07', { type: 'day_off', reason: 'not mine to decide' }, token), 403, 'ERR_FORBIDDEN');
      expectError(await clear('2026-12-31', { reason: 'not mine to decide' }, token), 403, 'ERR_FORBIDDEN');
      // Refused before validation: a non-admin learns nothing from a bad request either.
      expectError(await day('not-a-date', { nonsense: true }, token), 403, 'ERR_FORBIDDEN');
      expectError(await t.request({ method: 'GET', url: '/api/v1/admin/calendar/overrides', headers: bearer(token) }), 403, 'ERR_FORBIDDEN');
    }
    expectError(await t.request({ method: 'PUT', url: '/api/v1/admin/calendar/days/2026-12-07', payload: { type: 'day_off', reason: 'anonymous' } }), 401, 'ERR_UNAUTHENTICATED');
    expectError(await t.request({ method: 'GET', url: '/api/v1/admin/calendar/overrides' }), 401, 'ERR_UNAUTHENTICATED');
    expect(await count()).toBe(before);
    expect(t.platform.calendar.isWorkingDay('2026-12-07')).toBe(true);
  });
});

describe('bad input gets a stable 400 code, never a 500', () => {
  it.each([['2026-02-30'], ['2026-13-01'], ['1999-12-31'], ['2101-01-01'], ['tomorrow'], ['2026-12-4'], ['20261204'], ['%00'], ["'%20OR%201=1"]])(
    'PUT with the date %j → ERR_CALENDAR_DATE_INVALID',
    async (date) => {
      expectError(await day(date, { type: 'day_off', reason: 'a reason' }), 400, 'ERR_CALENDAR_DATE_INVALID');
      expectError(await clear(date, { reason: 'a reason' }), 400, 'ERR_CALENDAR_DATE_INVALID');
    },
  );

  it.each([[''], ['   '], ['x'.repeat(501)], ['x'.repeat(200_000)], ['a\u0000b'], ['two\nlines']])('the reason %# → ERR_CALENDAR_REASON_INVALID', async (reason) => {
    expectError(await day('2026-12-07', { type: 'day_off', reason }), 400, 'ERR_CALENDAR_REASON_INVALID');
  });

  it('a wrong type, an unknown field, a missing body or reason → ERR_VALIDATION', async () => {
    expectError(await day('2026-12-07', { type: 'holiday', reason: 'r' }), 400, 'ERR_VALIDATION');
    expectError(await day('2026-12-07', { type: 'day_off', reason: 'r', extra: 1 }), 400, 'ERR_VALIDATION');
    expectError(await day('2026-12-07', { type: 'day_off', reason: 42 }), 400, 'ERR_VALIDATION');
    expectError(await day('2026-12-07', { type: 'day_off' }), 400, 'ERR_VALIDATION');
    expectError(await t.request({ method: 'DELETE', url: '/api/v1/admin/calendar/days/2026-12-31', headers: bearer(admin.token) }), 400, 'ERR_VALIDATION');
  });

  it('a change that changes nothing → 409 ERR_CALENDAR_OVERRIDE_NOOP; clearing no override → 404', async () => {
    expectError(await day('2026-12-07', { type: 'working_day', reason: 'Monday is a working day anyway' }), 409, 'ERR_CALENDAR_OVERRIDE_NOOP');
    expectError(await day('2026-12-06', { type: 'day_off', reason: 'Sunday is off anyway' }), 409, 'ERR_CALENDAR_OVERRIDE_NOOP');
    expectError(await day('2026-12-16', { type: 'day_off', reason: 'a holiday anyway' }), 409, 'ERR_CALENDAR_OVERRIDE_NOOP');
    expectError(await day('2026-12-31', { type: 'day_off', reason: 'set twice' }), 409, 'ERR_CALENDAR_OVERRIDE_NOOP');
    expectError(await clear('2026-12-07', { reason: 'nothing to clear' }), 404, 'ERR_CALENDAR_OVERRIDE_NOT_FOUND');
  });

  it('GET days: a bad end, a backward or over-long range, a missing end', async () => {
    expectError(await days('2026-02-30', '2026-03-01'), 400, 'ERR_CALENDAR_DATE_INVALID');
    expectError(await days('2026-12-01', 'soon'), 400, 'ERR_CALENDAR_DATE_INVALID');
    expectError(await days('2026-12-31', '2026-12-01'), 400, 'ERR_CALENDAR_RANGE_INVALID');
    expectError(await days('2026-01-01', '2027-01-02'), 400, 'ERR_CALENDAR_RANGE_INVALID');
    expect((await days('2026-01-01', '2027-01-01')).json().days).toHaveLength(366);
    expectError(await t.request({ method: 'GET', url: '/api/v1/calendar/days?from=2026-12-01' }), 400, 'ERR_VALIDATION');
    expectError(await t.request({ method: 'GET', url: '/api/v1/calendar/days?from=2026-12-01&to=2026-12-02&to=2026-12-03' }), 400, 'ERR_VALIDATION');
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/v1/calendar/days'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/admin/calendar/days/{date}'] ?? {}).sort()).toEqual(['delete', 'put']);
    expect(Object.keys(doc.paths['/api/v1/admin/calendar/overrides'] ?? {})).toEqual(['get']);
  });
});

describe('several nodes on one database', () => {
  const otherNode = async (config: Partial<Config> = {}): Promise<Platform> =>
    createPlatform({ ...t.platform.config, ...config }, t.testDb.db, { clock: t.clock, secretKey: TEST_SECRET, logger: createLogger(t.platform.config) });

  it('a second platform sees a change after its refresh, and uses it for every later computation', async () => {
    const other = await otherNode({ CALENDAR_REFRESH_MS: 0 });
    try {
      expect(other.calendar.isWorkingDay('2026-12-08')).toBe(true);
      expect((await day('2026-12-08', { type: 'day_off', reason: 'changed on node one' })).statusCode).toBe(200);
      expect(other.calendar.isWorkingDay('2026-12-08')).toBe(true); // not yet: node two has not re-read the log
      await other.calendarAdmin.refresh();
      expect(other.calendar.isWorkingDay('2026-12-08')).toBe(false);
      expect(other.calendarAdmin.lastEventId()).toBe(t.platform.calendarAdmin.lastEventId());
      // 4 Dec is no longer off but 8 Dec is: 15 working days from 25 Nov end on Friday 18 Dec on both nodes.
      const received = new Date('2026-11-25T05:00:00Z');
      expect(other.calendar.dueAt(received, 15).toISOString()).toBe(DUE_18_DEC);
      expect(t.platform.calendar.dueAt(received, 15).toISOString()).toBe(DUE_18_DEC);

      // A change recorded through node two (here by the operator) reaches node one the same way.
      await setCalendarDay(other.calendarAdmin, 'operator', { date: '2026-12-12', type: 'working_day', reason: 'Saturday worked, node two' });
      expect(other.calendar.isWorkingDay('2026-12-12')).toBe(true);
      expect(t.platform.calendar.isWorkingDay('2026-12-12')).toBe(false);
      await t.platform.calendarAdmin.refresh();
      expect(t.platform.calendar.isWorkingDay('2026-12-12')).toBe(true);
      expect((await appealDueAt()).dueAt).toBe(DUE_17_DEC);
    } finally {
      other.calendarAdmin.stop();
    }
  });

  it('with CALENDAR_REFRESH_MS a node picks a change up by itself', async () => {
    const other = await otherNode({ CALENDAR_REFRESH_MS: 50 });
    try {
      expect(other.calendar.isWorkingDay('2026-12-09')).toBe(true);
      expect((await day('2026-12-09', { type: 'day_off', reason: 'changed on node one again' })).statusCode).toBe(200);
      const deadline = Date.now() + 5_000;
      while (other.calendar.isWorkingDay('2026-12-09') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(other.calendar.isWorkingDay('2026-12-09')).toBe(false);
    } finally {
      other.calendarAdmin.stop();
    }
  });
});
