import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deadline } from '../../src/core/sla/deadline-rules.ts';
import { runDeadlineTick } from '../../src/jobs/deadline-worker.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { expectError, report } from './support.ts';

const ESIL_POLICE = 'astana.police.esil';
const MINUTE = 60_000;

let t: TestApp;
let citizen: { token: string };
let dispatcher: { token: string; id: string };
let head: { token: string };

beforeAll(async () => {
  t = await buildTestApp();
  dispatcher = await t.staff('dispatcher', ESIL_POLICE);
  head = await t.staff('head', ESIL_POLICE);
});
afterAll(async () => t.close());
beforeEach(async () => {
  // Each test watches only its own case's deadline; tokens outlive nothing when the clock jumps.
  await t.platform.db.query("UPDATE case_deadlines SET state = 'met', met_at = $1, next_check_at = NULL WHERE state IN ('pending', 'warned')", [t.clock.now()]);
  citizen = await t.citizen('+77017771023');
  dispatcher = await t.staff('dispatcher', ESIL_POLICE);
  head = await t.staff('head', ESIL_POLICE);
});

interface Receipt {
  caseId: string;
  receivedAt: string;
  dueAt: string;
  organisation: { id: string };
}

async function newReport(urgency: 'emergency' | 'urgent' | 'normal'): Promise<Receipt> {
  const res = await report(t, { text: 'Украли сумку в кафе на Кабанбай батыра', category: 'safety.theft', urgency, lat: '51.1283', lon: '71.4305' }, [], bearer(citizen.token));
  expect(res.statusCode, res.body).toBe(201);
  const receipt = res.json<Receipt>();
  expect(receipt.organisation.id).toBe(ESIL_POLICE);
  return receipt;
}

const act = (token: string, caseId: string, action: string, body: Record<string, unknown> = {}) =>
  t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: bearer(token), payload: body });

const deadlineOf = async (caseId: string): Promise<Deadline> => {
  const all = await t.platform.work.store.deadlines(caseId);
  expect(all).toHaveLength(1);
  return all[0]!;
};

const tick = () => runDeadlineTick(t.platform.deadlines, { batchSize: 100 });

describe('the 102 workflow', () => {
  it('goes received → dispatched (a unit) → on scene → resolved → closed, each step in the timeline', async () => {
    const r = await newReport('urgent');
    const noUnit = expectError(await act(dispatcher.token, r.caseId, 'dispatch', { message: 'Выезжаем' }), 400, 'ERR_ACTION_INPUT');
    expect(noUnit).toMatchObject({ missing: ['unit'] });

    const dispatched = await act(dispatcher.token, r.caseId, 'dispatch', { unit: 'Беркут-12', message: 'Наряд выехал' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expect(dispatched.json()).toMatchObject({ state: 'dispatched', stateKind: 'open' });
    expect(dispatched.json<{ actions: string[] }>().actions).toEqual(expect.arrayContaining(['arrive', 'resolve']));

    // Only from the right state, by the right role.
    expectError(await act(dispatcher.token, r.caseId, 'close'), 409, 'ERR_ACTION_NOT_ALLOWED_IN_STATE');
    expectError(await act(citizen.token, r.caseId, 'arrive'), 403, 'ERR_ACTION_NOT_ALLOWED_FOR_ROLE');

    t.clock.advance(7 * MINUTE);
    expect((await act(dispatcher.token, r.caseId, 'arrive')).json()).toMatchObject({ state: 'on_scene' });
    t.clock.advance(20 * MINUTE);
    const resolved = await act(dispatcher.token, r.caseId, 'resolve', { outcome: 'satisfied', answer: 'Подозреваемый задержан, сумка возвращена владельцу' });
    expect(resolved.json(), resolved.body).toMatchObject({ state: 'resolved', stateKind: 'closed', outcome: 'satisfied' });
    expect((await act(head.token, r.caseId, 'close')).json()).toMatchObject({ state: 'closed' });

    const events = await t.platform.work.store.events(r.caseId);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['case.registered', 'case.dispatched', 'case.on_scene', 'case.resolved', 'case.closed']));
    const dispatch = events.find((e) => e.type === 'case.dispatched')!;
    expect(dispatch.payload).toMatchObject({ unit: 'Беркут-12', fromState: 'received', toState: 'dispatched' });
    expect(dispatch.payload['deadlinesMet']).toEqual([{ obligation: 'dispatch', dueAt: r.dueAt }]);
    // The reporter reads the dispatcher's note in the dialog.
    const messages = await t.request({ method: 'GET', url: `/api/v1/cases/${r.caseId}/messages`, headers: bearer(citizen.token) });
    expect(messages.json<{ body: string }[]>().map((m) => m.body)).toContain('Наряд выехал');
  });

  it('shows the dispatch deadline on the case', async () => {
    const r = await newReport('normal');
    const res = await t.request({ method: 'GET', url: `/api/v1/cases/${r.caseId}`, headers: bearer(citizen.token) });
    expect(res.json<{ deadlines: unknown[] }>().deadlines).toEqual([{ obligation: 'dispatch', dueAt: r.dueAt, state: 'pending', originalDueAt: null, pausedAt: null }]);
  });
});

describe('the dispatch deadline, by urgency', () => {
  it.each([
    ['emergency', 10],
    ['urgent', 30],
    ['normal', 120],
  ] as const)('%s: due %i minutes after the report, met by a dispatch in time', async (urgency, minutes) => {
    const r = await newReport(urgency);
    expect(Date.parse(r.dueAt) - Date.parse(r.receivedAt)).toBe(minutes * MINUTE);
    t.clock.advance((minutes - 1) * MINUTE);
    await tick();
    // Warned at 75% of the term, not breached.
    expect(await deadlineOf(r.caseId)).toMatchObject({ obligation: 'dispatch', state: 'warned' });
    expect((await act(dispatcher.token, r.caseId, 'dispatch', { unit: 'Сұңқар-3' })).statusCode).toBe(200);
    expect(await deadlineOf(r.caseId)).toMatchObject({ state: 'met', metAt: t.clock.now() });
    t.clock.advance(3 * 60 * MINUTE);
    await tick();
    expect(await deadlineOf(r.caseId)).toMatchObject({ state: 'met' });
  });

  it.each([
    ['emergency', 10],
    ['urgent', 30],
    ['normal', 120],
  ] as const)('%s: breached when no unit is dispatched within %i minutes', async (urgency, minutes) => {
    const r = await newReport(urgency);
    t.clock.advance(minutes * MINUTE - 1);
    await tick();
    expect((await deadlineOf(r.caseId)).state).not.toBe('breached');
    t.clock.advance(1);
    await tick();
    expect(await deadlineOf(r.caseId)).toMatchObject({ obligation: 'dispatch', state: 'breached', breachedAt: t.clock.now() });
    const events = (await t.platform.work.store.events(r.caseId)).map((e) => e.type);
    expect(events).toContain('case.deadline_breached');
    // A late dispatch is still recorded; the breach stays on the record.
    expect((await act(dispatcher.token, r.caseId, 'dispatch', { unit: 'Барс-7' })).statusCode).toBe(200);
    expect((await deadlineOf(r.caseId)).state).toBe('breached');
  });
});
