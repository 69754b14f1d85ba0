/**
 * The deadline worker's write-behind (src/jobs/deadline-write-behind.ts, src/storage/deadline-batch.ts) is an
 * optimisation only: the same deadlines handled one row at a time and through the write-behind must leave
 * the same rows (deadlines, events in the same order, silence complaints with their own deadline, notices,
 * case changes), and a case held by another transaction must still leave its deadline for the next tick.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleDueDeadline, type DeadlineResult } from '../../src/core/deadlines.ts';
import type { Deadline } from '../../src/core/sla/deadline-rules.ts';
import { runDeadlineTick } from '../../src/jobs/deadline-worker.ts';
import { writeBehind } from '../../src/jobs/deadline-write-behind.ts';
import { deadlineBatchOf } from '../../src/storage/deadline-batch.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { testDatabaseUrl } from '../support/db.ts';
import { submitCase } from '../support/factories.ts';

const SOCIAL = 'astana.dept.social';
const T0 = new Date('2026-11-25T05:00:00Z'); // Wednesday 25 November 2026, 10:00 in Astana

let t: TestApp;
let citizen: { token: string };

beforeAll(async () => {
  t = await buildTestApp({ now: T0 });
});
afterAll(async () => t.close());
beforeEach(async () => {
  // Each test starts with no open deadline left by an earlier one.
  await t.platform.db.query("UPDATE case_deadlines SET state = 'met', met_at = $1, next_check_at = NULL WHERE state IN ('pending', 'warned')", [t.clock.now()]);
  t.clock.set(T0);
  citizen = await t.citizen('+77015550401');
});

const store = () => t.platform.work.store;
const deadlinesOf = (caseId: string): Promise<Deadline[]> => store().deadlines(caseId);
const rows = async <R>(sql: string, params: unknown[] = []): Promise<R[]> => (await t.platform.db.query<R>(sql, params)).rows;

const appeal = async (body: Record<string, unknown> = {}): Promise<string> =>
  (await submitCase(t, { channel: 'appeal', kind: 'application', category: 'social.benefits', text: 'Прошу пересчитать пособие на ребёнка за октябрь', language: 'ru', ...body }, bearer(citizen.token))).caseId;
const cityCase = async (): Promise<string> => (await submitCase(t, { language: 'ru' })).caseId;

/** Handles these deadlines at `now` in one transaction, one row at a time (the port) or through the write-behind. */
async function handle(deadlines: Deadline[], now: Date, batched: boolean): Promise<DeadlineResult[]> {
  return store().transaction(async (tx) => {
    const batch = deadlineBatchOf(tx);
    expect(batch).not.toBeNull();
    const scope = batched ? await writeBehind(t.platform.deadlines, tx, batch!, deadlines, now) : { deps: t.platform.deadlines, tx, flush: async () => undefined };
    const results: DeadlineResult[] = [];
    for (const d of deadlines) results.push(await handleDueDeadline(scope.deps, scope.tx, d, now));
    await scope.flush();
    return results;
  });
}

const openDeadline = async (caseId: string, obligation = 'answer'): Promise<Deadline> => {
  const found = (await deadlinesOf(caseId)).filter((d) => d.obligation === obligation && (d.state === 'pending' || d.state === 'warned'));
  expect(found).toHaveLength(1);
  return found[0]!;
};

const maxEventId = async (): Promise<number> => Number((await rows<{ n: number | null }>('SELECT max(id) AS n FROM case_events'))[0]?.n ?? 0);

/**
 * Everything the worker may have written about these cases (and the complaints filed about them), with the
 * ids that necessarily differ between two runs replaced by labels: the cases' own ids and numbers, row ids.
 */
async function snapshot(caseIds: string[], eventsAfter: number): Promise<unknown> {
  const labels = new Map<string, string>();
  const complaints: string[] = [];
  for (const [i, id] of caseIds.entries()) {
    labels.set(id, `case ${i}`);
    const c = (await store().get(id))!;
    labels.set(c.registrationNumber, `number ${i}`);
    for (const r of await rows<{ id: string; registration_number: string }>('SELECT id, registration_number FROM cases WHERE related_case_id = $1', [id])) {
      labels.set(r.id, `complaint of case ${i}`);
      labels.set(r.registration_number, `complaint number ${i}`);
      complaints.push(r.id);
    }
  }
  const all = [...caseIds, ...complaints];
  const view = {
    cases: await Promise.all(all.map((id) => store().get(id))),
    deadlines: await Promise.all(all.map((id) => deadlinesOf(id))),
    events: await Promise.all(all.map((id) => store().events(id))),
    notifications: await Promise.all(
      all.map((id) => rows('SELECT recipient_id, template, language, params, state, next_attempt_at, created_at FROM notifications WHERE case_id = $1 ORDER BY id', [id])),
    ),
    // The order in which this run appended events, across all the cases.
    order: (await rows<{ case_id: string; type: string }>('SELECT case_id, type FROM case_events WHERE id > $1 AND case_id = ANY($2::uuid[]) ORDER BY id', [eventsAfter, all])).map(
      (e) => `${e.case_id} ${e.type}`,
    ),
  };
  const ROW_IDS = new Set(['id', 'deadlineId', 'fulfils_deadline_id', 'messageId']);
  return JSON.parse(
    JSON.stringify(view, (key, value: unknown) => {
      if (ROW_IDS.has(key) && (typeof value === 'number' || typeof value === 'string')) return '<row id>';
      if (typeof value !== 'string') return value;
      let out = value;
      for (const [raw, label] of labels) out = out.split(raw).join(`<${label}>`);
      return out;
    }),
  ) as unknown;
}

describe('the write-behind writes what the one-row path writes', () => {
  it('warnings, breaches with escalation, silence = refusal with and without a complaint, in one batch', async () => {
    // Two identical sets, received at the same moment: one handled row by row, the other through the write-behind.
    const make = async () => [await appeal(), await appeal({ complaintConsent: false }), await cityCase()];
    const [plain, batched] = [await make(), await make()];
    const appealDeadline = await openDeadline(plain[0]!);
    const cityDeadline = await openDeadline(plain[2]!);
    expect(cityDeadline.dueAt.getTime()).toBeLessThan(appealDeadline.warnAt.getTime());

    // At the appeals' 75%: both appeals warn, the 109 request (72 hours) is past due.
    for (const [ids, isBatched] of [[plain, false], [batched, true]] as const) {
      const due = await Promise.all(ids.map((id) => openDeadline(id)));
      const results = await handle(due, appealDeadline.warnAt, isBatched);
      expect(results.map((r) => r.type)).toEqual(['warned', 'warned', 'breached']);
    }
    // At their due time: both appeals are breached; the one with consent gets its complaint.
    const beforeBreach = await maxEventId();
    for (const [ids, isBatched] of [[plain, false], [batched, true]] as const) {
      const due = await Promise.all(ids.slice(0, 2).map((id) => openDeadline(id)));
      const results = await handle(due, appealDeadline.dueAt, isBatched);
      expect(results).toMatchObject([
        { type: 'breached', silenceRefusal: true, complaint: expect.objectContaining({ kind: 'complaint' }) },
        { type: 'breached', silenceRefusal: true, complaint: null },
      ]);
    }
    const a = await snapshot(plain, beforeBreach);
    const b = await snapshot(batched, beforeBreach);
    expect(b).toEqual(a);
    // The snapshot is not vacuous: the complaint, its deadline and the events are in it.
    expect(JSON.stringify(a)).toContain('<complaint of case 0> case.registered');
    expect((a as { notifications: { template: string }[][] }).notifications[0]?.map((n) => n.template)).toEqual(['silence_complaint_filed']);
    expect((a as { order: string[] }).order).toEqual([
      '<case 0> case.deadline_breached',
      '<case 0> case.escalated',
      '<complaint of case 0> case.registered',
      '<case 0> case.silence_refusal',
      '<case 1> case.deadline_breached',
      '<case 1> case.escalated',
      '<case 1> case.silence_refusal',
    ]);
  });

  it('a timer that changes the case and reads back what it wrote: the applicant never answered', async () => {
    const executor = await t.staff('executor', SOCIAL);
    const ids = [await appeal(), await appeal()];
    for (const id of ids) {
      for (const [action, payload] of [['take_into_work', {}], ['request_documents', { message: 'Приложите справку о составе семьи.' }]] as const) {
        const res = await t.request({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: bearer(executor.token), payload });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    const timer = await openDeadline(ids[0]!, 'applicant_response');
    const before = await maxEventId();
    expect((await handle([await openDeadline(ids[0]!, 'applicant_response')], timer.dueAt, false))[0]?.type).toBe('fired');
    const middle = await maxEventId();
    expect((await handle([await openDeadline(ids[1]!, 'applicant_response')], timer.dueAt, true))[0]?.type).toBe('fired');
    expect(await snapshot([ids[1]!], middle)).toEqual(await snapshot([ids[0]!], before));
    expect((await store().get(ids[1]!))?.state).toBe('in_work');
  });
});

describe('the write-behind inside a tick', () => {
  it('lets every read see the buffered writes, through the transaction and through the store', async () => {
    const id = await appeal();
    const d = await openDeadline(id);
    await store().transaction(async (tx) => {
      const scope = await writeBehind(t.platform.deadlines, tx, deadlineBatchOf(tx)!, [d], d.warnAt);
      const warned: Deadline = { ...d, state: 'warned', warnedAt: d.warnAt, nextCheckAt: d.dueAt };
      await scope.tx.saveDeadline(warned);
      await scope.tx.appendEvent({ caseId: id, type: 'case.deadline_warning', actorId: null, actorRole: 'system', occurredAt: d.warnAt, payload: {} });
      expect(await scope.tx.deadlinesOf(id)).toMatchObject([{ state: 'warned', warnedAt: d.warnAt }]);
      expect(await scope.tx.latestEvent(id, ['case.deadline_warning'])).toMatchObject({ type: 'case.deadline_warning' });
      await scope.tx.saveDeadline({ ...warned, state: 'breached', breachedAt: d.dueAt, nextCheckAt: null });
      expect(await scope.deps.store.deadlines(id)).toMatchObject([{ state: 'breached' }]);
      await scope.flush();
    });
    expect(await deadlinesOf(id)).toMatchObject([{ state: 'breached', warnedAt: d.warnAt, breachedAt: d.dueAt }]);
  });

  it('rolls back whole when a save finds no row', async () => {
    const id = await appeal();
    const d = await openDeadline(id);
    const eventsBefore = await maxEventId();
    await expect(
      store().transaction(async (tx) => {
        await deadlineBatchOf(tx)!.write([{ ...d, state: 'warned', warnedAt: T0 }, { ...d, id: d.id + 1_000_000 }], [
          { event: { caseId: id, type: 'case.deadline_warning', actorId: null, actorRole: 'system', occurredAt: T0, payload: {} } },
        ]);
      }),
    ).rejects.toThrow(/do not exist/);
    expect(await openDeadline(id)).toEqual(d);
    expect(await maxEventId()).toBe(eventsBefore);
  });

  it.runIf(testDatabaseUrl)('leaves a deadline whose case another transaction holds for the next tick', async () => {
    const [held, free] = [await appeal(), await appeal()];
    t.clock.set((await openDeadline(free)).dueAt);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const holder = store().transaction(async (tx) => {
      expect(await tx.lockCase(held)).not.toBeNull();
      locked();
      await released;
    });
    await holding;
    // Outside the holder's async flow: another connection, as the worker's own.
    const first = await new Promise<Awaited<ReturnType<typeof runDeadlineTick>>>((resolve, reject) =>
      setTimeout(() => runDeadlineTick(t.platform.deadlines).then(resolve, reject), 0),
    );
    expect(first).toMatchObject({ claimed: 2, busy: 1, breached: 1, complaintsFiled: 1 });
    expect(await openDeadline(held)).toMatchObject({ state: 'pending' });
    release();
    await holder;
    expect(await runDeadlineTick(t.platform.deadlines)).toMatchObject({ claimed: 1, busy: 0, breached: 1, complaintsFiled: 1 });
  });
});
