import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseEvent, CaseRecord } from '../../src/core/model.ts';
import { handleDueDeadline } from '../../src/core/deadlines.ts';
import type { Deadline } from '../../src/core/sla/deadline-rules.ts';
import { runDeadlineTick, startDeadlineWorker, type DeadlineTickResult } from '../../src/jobs/deadline-worker.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { testDatabaseUrl } from '../support/db.ts';
import { submitCase, type SubmittedCase } from '../support/factories.ts';

/** The year in Kazakhstan time (UTC+5), computed here independently of the code under test. */
const localYear = (at: Date | string): number => new Date(new Date(at).getTime() + 5 * 3_600_000).getUTCFullYear();

const SOCIAL = 'astana.dept.social';
const AKIMAT = 'astana.akimat'; // the higher body of the social department
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let t: TestApp;
let citizen: { token: string };

beforeAll(async () => {
  t = await buildTestApp(); // Wednesday 25 November 2026, 10:00 in Astana
});
afterAll(async () => t.close());
beforeEach(async () => {
  // One database for the file: each test starts with no open deadline left by an earlier one, and a fresh
  // sign-in (the clock only moves forward, past token lifetimes).
  await t.platform.db.query(
    "UPDATE case_deadlines SET state = 'met', met_at = $1, next_check_at = NULL WHERE state IN ('pending', 'warned')",
    [t.clock.now()],
  );
  citizen = await t.citizen('+77015550301');
});

const store = () => t.platform.work.store;
const tick = (batchSize = 100): Promise<DeadlineTickResult> => runDeadlineTick(t.platform.deadlines, { batchSize });
const deadlinesOf = (caseId: string): Promise<Deadline[]> => store().deadlines(caseId);
const eventsOf = async (caseId: string, prefix = 'case.'): Promise<CaseEvent[]> =>
  (await store().events(caseId)).filter((e) => e.type.startsWith(prefix));
const clockEvents = (caseId: string): Promise<CaseEvent[]> => eventsOf(caseId, 'case.deadline_');
const count = async (sql: string, params: unknown[] = []): Promise<number> =>
  Number((await t.platform.db.query<{ n: number }>(sql, params)).rows[0]!.n);

/** A signed-in citizen's appeal about benefits: 15 working days to answer, at the social department. */
async function appeal(body: Record<string, unknown> = {}): Promise<SubmittedCase> {
  const receipt = await submitCase(
    t,
    { channel: 'appeal', kind: 'application', category: 'social.benefits', text: 'Прошу пересчитать пособие на ребёнка за октябрь', ...body },
    bearer(citizen.token),
  );
  expect(receipt.organisation.id).toBe(SOCIAL);
  return receipt;
}

async function onlyDeadline(caseId: string): Promise<Deadline> {
  const all = await deadlinesOf(caseId);
  expect(all).toHaveLength(1);
  return all[0]!;
}

const sum = (results: DeadlineTickResult[], key: keyof DeadlineTickResult): number => results.reduce((s, r) => s + r[key], 0);

async function act(token: string, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  t.clock.advance(MINUTE);
  const res = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: bearer(token), payload: body });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
}

describe('registration', () => {
  it('writes the first deadline with the case: its obligation, due time and the warning at 75% of the term', async () => {
    const receivedAt = t.clock.now();
    const receipt = await appeal();
    const d = await onlyDeadline(receipt.caseId);
    const dueAt = new Date(receipt.dueAt!);
    // 15 working days from Wednesday 25 November 2026 (16 December, Independence Day, is a holiday): 18:00 local on 17 December.
    expect(dueAt.toISOString()).toBe('2026-12-17T13:00:00.000Z');
    expect(d).toMatchObject({ obligation: 'answer', state: 'pending', dueAt, warnedAt: null, breachedAt: null, metAt: null });
    const warnAt = new Date(receivedAt.getTime() + 0.75 * (dueAt.getTime() - receivedAt.getTime()));
    expect(d.warnAt).toEqual(warnAt);
    expect(d.nextCheckAt).toEqual(warnAt);
    expect((await store().get(receipt.caseId))).toMatchObject({ complaintConsent: true, relatedCaseId: null });
    // The applicant sees the legal clock on the case.
    const res = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}`, headers: bearer(citizen.token) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ deadlines: unknown }>().deadlines).toEqual([{ obligation: 'answer', dueAt: receipt.dueAt, state: 'pending', originalDueAt: null, pausedAt: null }]);
  });

  it('takes the obligation from the term policy: a 102 emergency must be dispatched', async () => {
    const receipt = await submitCase(t, { channel: 'police', category: 'safety.theft', urgency: 'emergency', text: 'Украли велосипед у подъезда прямо сейчас' });
    expect(await onlyDeadline(receipt.caseId)).toMatchObject({ obligation: 'dispatch', dueAt: new Date(receipt.dueAt!) });
  });

  it('records the applicant\'s refusal of a silence complaint', async () => {
    const receipt = await appeal({ complaintConsent: false });
    expect((await store().get(receipt.caseId))?.complaintConsent).toBe(false);
  });
});

describe('the deadline worker', () => {
  it('warns at 75% of the term, once', async () => {
    const receipt = await appeal();
    const d = await onlyDeadline(receipt.caseId);
    t.clock.set(new Date(d.warnAt.getTime() - 1));
    expect(await tick()).toMatchObject({ claimed: 0, warned: 0 });
    t.clock.set(d.warnAt);
    expect(await tick()).toMatchObject({ claimed: 1, warned: 1, breached: 0 });
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.advance(DAY);
    expect(await tick()).toMatchObject({ claimed: 0 });

    const [warning, ...rest] = await clockEvents(receipt.caseId);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ type: 'case.deadline_warning', actorId: null, actorRole: 'system', payload: { obligation: 'answer', dueAt: receipt.dueAt } });
    expect(warning!.occurredAt).toEqual(d.warnAt);
    expect(await onlyDeadline(receipt.caseId)).toMatchObject({ state: 'warned', warnedAt: d.warnAt, nextCheckAt: d.dueAt });

    // A staff-internal fact: the applicant's timeline leaves it out.
    const timeline = async (token: string) => {
      const res = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}/events`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ type: string }[]>().map((e) => e.type);
    };
    expect(await timeline((await t.citizen('+77015550301')).token)).toEqual(['case.registered']);
    expect(await timeline((await t.staff('head', SOCIAL)).token)).toEqual(['case.registered', 'case.deadline_warning']);
  });

  it('marks the breach at the due time and escalates to the higher body', async () => {
    // A 109 request: 72 hours to answer, no silence rule.
    const receipt = await submitCase(t);
    const d = await onlyDeadline(receipt.caseId);
    t.clock.set(d.warnAt);
    expect(await tick()).toMatchObject({ warned: 1 });
    t.clock.set(new Date(d.dueAt.getTime() - 1));
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.set(d.dueAt);
    expect(await tick()).toMatchObject({ claimed: 1, breached: 1, escalated: 1, silenceRefusals: 0, complaintsFiled: 0 });
    expect(await tick()).toMatchObject({ claimed: 0 });

    const higher = t.platform.reference.organisation(receipt.organisation.id)?.higherBodyId;
    expect(higher).toEqual(expect.any(String));
    const events = (await eventsOf(receipt.caseId)).slice(1);
    expect(events.map((e) => e.type)).toEqual(['case.deadline_warning', 'case.deadline_breached', 'case.escalated']);
    expect(events[1]?.payload).toMatchObject({ obligation: 'answer', dueAt: receipt.dueAt });
    expect(events[2]?.payload).toMatchObject({ fromOrganisationId: receipt.organisation.id, toOrganisationId: higher, obligation: 'answer' });
    expect(await onlyDeadline(receipt.caseId)).toMatchObject({ state: 'breached', breachedAt: d.dueAt, nextCheckAt: null });
    const tracked = await t.request({ method: 'GET', url: '/api/v1/track', headers: { 'x-tracking-code': receipt.trackingCode! } });
    expect(tracked.statusCode, tracked.body).toBe(200);
    expect(tracked.json<{ deadlines: unknown }>().deadlines).toEqual([{ obligation: 'answer', dueAt: receipt.dueAt, state: 'breached', originalDueAt: null, pausedAt: null }]);
  });

  it('applies silence = refusal: files one complaint to the higher body, linked, with its own deadline', async () => {
    const original = await appeal();
    const d = await onlyDeadline(original.caseId);
    t.clock.set(d.dueAt);
    expect(await tick()).toMatchObject({ claimed: 1, breached: 1, escalated: 1, silenceRefusals: 1, complaintsFiled: 1 });
    expect(await tick()).toMatchObject({ claimed: 0 });

    const events = await eventsOf(original.caseId);
    expect(events.map((e) => e.type)).toEqual(['case.registered', 'case.deadline_breached', 'case.escalated', 'case.silence_refusal']);
    const silence = events[3]!.payload;
    expect(silence).toMatchObject({ obligation: 'answer', dueAt: original.dueAt, complaintConsent: true, toOrganisationId: AKIMAT });
    const complaintId = silence['complaintCaseId'] as string;

    const complaint = (await store().get(complaintId))!;
    const source = (await store().get(original.caseId))!;
    expect(complaint).toMatchObject<Partial<CaseRecord>>({
      channel: 'appeal',
      kind: 'complaint',
      category: 'governance.officials',
      urgency: 'normal',
      language: 'ru',
      organisationId: AKIMAT,
      applicantId: source.applicantId,
      anonymous: false,
      relatedCaseId: original.caseId,
      state: 'registered',
      receivedAt: d.dueAt,
    });
    expect(complaint.text).toContain(original.registrationNumber);
    expect(complaint.text).toMatch(/не получило ответа/);
    expect(complaint.registrationNumber).toMatch(new RegExp(`^ЖТ-${localYear(complaint.registeredAt)}-\\d{8}$`));
    expect(silence['complaintRegistrationNumber']).toBe(complaint.registrationNumber);
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE related_case_id = $1', [original.caseId])).toBe(1);

    // Registered through the same path as every door: its event and its own 20-working-day answer term.
    const expectedDue = t.platform.deadlines.legalClock.schedule({ channel: 'appeal', kind: 'complaint', category: 'governance.officials', urgency: 'normal', receivedAt: d.dueAt }).dueAt;
    expect(complaint.dueAt).toEqual(expectedDue);
    expect(await onlyDeadline(complaintId)).toMatchObject({ obligation: 'answer', state: 'pending', dueAt: expectedDue });
    expect(await eventsOf(complaintId)).toEqual([
      expect.objectContaining({ type: 'case.registered', actorRole: 'system', payload: expect.objectContaining({ routedBy: 'silence_refusal', relatedCaseId: original.caseId, organisationId: AKIMAT, kind: 'complaint' }) }),
    ]);

    // The applicant sees the complaint filed for them.
    const again = await t.citizen('+77015550301');
    const mine = await t.request({ method: 'GET', url: `/api/v1/cases/${complaintId}`, headers: bearer(again.token) });
    expect(mine.statusCode, mine.body).toBe(200);
  });

  it('files no complaint without the applicant\'s consent, but still records the refusal by silence', async () => {
    const original = await appeal({ complaintConsent: false });
    t.clock.set((await onlyDeadline(original.caseId)).dueAt);
    expect(await tick()).toMatchObject({ breached: 1, escalated: 1, silenceRefusals: 1, complaintsFiled: 0 });
    const silence = (await eventsOf(original.caseId, 'case.silence_refusal'))[0]!;
    expect(silence.payload).toMatchObject({ complaintConsent: false, complaintCaseId: null, complaintRegistrationNumber: null });
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE related_case_id = $1', [original.caseId])).toBe(0);
  });

  it('never fires for an answered case: its deadline stays met, and reopening starts a new term of its own', async () => {
    const executor = await t.staff('executor', SOCIAL);
    const controller = await t.staff('controller', SOCIAL);
    const receipt = await appeal();
    await act(executor.token, receipt.caseId, 'take_into_work');
    await act(executor.token, receipt.caseId, 'answer', { outcome: 'explained', answer: 'Пособие пересчитано.' });
    const answeredAt = t.clock.now();
    expect(await onlyDeadline(receipt.caseId)).toMatchObject({ state: 'met', metAt: answeredAt, nextCheckAt: null });
    const answered = (await eventsOf(receipt.caseId, 'case.answered'))[0]!;
    expect(answered.payload['deadlinesMet']).toEqual([{ obligation: 'answer', dueAt: receipt.dueAt }]);

    // The literal dates of a reopened term are in test/http/legal-clock.test.ts.
    await act(controller.token, receipt.caseId, 'reopen', { reason: 'Ответ неполный' });
    const [first, second] = await deadlinesOf(receipt.caseId);
    expect(first).toMatchObject({ state: 'met', metAt: answeredAt });
    expect(second).toMatchObject({ obligation: 'answer', state: 'pending', dueAt: t.platform.calendar.dueAt(t.clock.now(), 15) });
    await act(executor.token, receipt.caseId, 'answer', { outcome: 'satisfied', answer: 'Пособие пересчитано, выплата 1 декабря.' });
    t.clock.advance(90 * DAY);
    expect(await tick()).toMatchObject({ claimed: 0 });
    expect(await clockEvents(receipt.caseId)).toEqual([]);
    expect(await eventsOf(receipt.caseId, 'case.silence_refusal')).toEqual([]);
  });

  it('meets a first-step obligation when the case leaves its new state: a 102 emergency dispatched in time', async () => {
    const receipt = await submitCase(t, { channel: 'police', category: 'safety.theft', urgency: 'emergency', text: 'Украли велосипед у подъезда прямо сейчас' });
    const dispatcher = await t.staff('dispatcher', receipt.organisation.id);
    await act(dispatcher.token, receipt.caseId, 'dispatch', { message: 'Наряд выехал', unit: 'Патруль-12' });
    expect(await onlyDeadline(receipt.caseId)).toMatchObject({ obligation: 'dispatch', state: 'met', metAt: t.clock.now() });
    t.clock.advance(DAY);
    expect(await tick()).toMatchObject({ claimed: 0 });
    expect(await clockEvents(receipt.caseId)).toEqual([]);
  });

  it('keeps the deadline through a redirect', async () => {
    const registrar = await t.staff('registrar', SOCIAL);
    const receipt = await appeal();
    const before = await onlyDeadline(receipt.caseId);
    await act(registrar.token, receipt.caseId, 'redirect', { organisationId: 'astana.dept.labour_inspection', reason: 'Вопрос о зарплате' });
    expect(await onlyDeadline(receipt.caseId)).toEqual(before);
    t.clock.set(before.dueAt);
    // Breached where the case is now: the labour inspection's higher body.
    expect(await tick()).toMatchObject({ breached: 1, complaintsFiled: 1 });
    expect((await eventsOf(receipt.caseId, 'case.escalated'))[0]?.payload).toMatchObject({ fromOrganisationId: 'astana.dept.labour_inspection', toOrganisationId: AKIMAT });
  });

  it('fires each event exactly once when ticks repeat or run concurrently', async () => {
    const cases = [await appeal(), await appeal(), await appeal()];
    const first = await onlyDeadline(cases[2]!.caseId); // the latest warning moment
    t.clock.set(first.warnAt);
    const warnRound = await Promise.all([tick(2), tick(2), tick(2)]);
    warnRound.push(await tick(2), await tick(2));
    expect(sum(warnRound, 'warned')).toBe(3);
    t.clock.set(new Date(first.dueAt.getTime() + MINUTE));
    const breachRound = await Promise.all([tick(1), tick(1), tick(1), tick(1)]);
    breachRound.push(await tick(), await tick());
    expect(sum(breachRound, 'breached')).toBe(3);
    expect(sum(breachRound, 'complaintsFiled')).toBe(3);
    for (const c of cases) {
      expect((await clockEvents(c.caseId)).map((e) => e.type)).toEqual(['case.deadline_warning', 'case.deadline_breached']);
      expect(await eventsOf(c.caseId, 'case.escalated')).toHaveLength(1);
      expect(await eventsOf(c.caseId, 'case.silence_refusal')).toHaveLength(1);
      expect(await count('SELECT count(*)::int AS n FROM cases WHERE related_case_id = $1', [c.caseId])).toBe(1);
    }
  });

  it('catches up after a clock jumped three months forward: every overdue deadline breached once, no late warnings', async () => {
    const warnedFirst = await appeal();
    t.clock.advance(DAY);
    const silent = await appeal({ complaintConsent: false });
    t.clock.set((await onlyDeadline(warnedFirst.caseId)).warnAt);
    expect(await tick()).toMatchObject({ claimed: 1, warned: 1 }); // only the first appeal has reached 75%
    const city = await submitCase(t); // 72 hours

    t.clock.advance(91 * DAY); // late February 2027
    const results: DeadlineTickResult[] = [];
    for (let r = await tick(1); r.claimed > 0; r = await tick(1)) results.push(r);
    expect(sum(results, 'breached')).toBe(3);
    expect(sum(results, 'warned')).toBe(0);
    expect(sum(results, 'complaintsFiled')).toBe(1);

    expect((await clockEvents(warnedFirst.caseId)).map((e) => e.type)).toEqual(['case.deadline_warning', 'case.deadline_breached']);
    expect((await clockEvents(silent.caseId)).map((e) => e.type)).toEqual(['case.deadline_breached']);
    expect((await clockEvents(city.caseId)).map((e) => e.type)).toEqual(['case.deadline_breached']);
    // The complaint, filed in 2027, starts a new number series and a fresh term that is not yet due.
    const complaintId = (await eventsOf(warnedFirst.caseId, 'case.silence_refusal'))[0]!.payload['complaintCaseId'] as string;
    expect((await store().get(complaintId))?.registrationNumber).toMatch(/^ЖТ-2027-\d{8}$/);
    expect(await onlyDeadline(complaintId)).toMatchObject({ state: 'pending' });
    expect(await tick()).toMatchObject({ claimed: 0 });
  });

  it('loses nothing when killed mid-batch: the claiming transaction rolls back and the next tick retries', async () => {
    const cases = [await appeal(), await appeal()];
    const due = (await onlyDeadline(cases[1]!.caseId)).dueAt;
    t.clock.set(due);
    const eventsBefore = await count('SELECT count(*)::int AS n FROM case_events');
    const casesBefore = await count('SELECT count(*)::int AS n FROM cases');

    await expect(
      store().transaction(async (tx) => {
        const claimed = await tx.claimDueDeadlines(t.clock.now(), 10);
        expect(claimed).toHaveLength(2);
        // The first deadline is fully handled (events, complaint) before the "crash".
        expect(await handleDueDeadline(t.platform.deadlines, tx, claimed[0]!, t.clock.now())).toMatchObject({ type: 'breached' });
        throw new Error('worker killed');
      }),
    ).rejects.toThrow('worker killed');

    expect(await count('SELECT count(*)::int AS n FROM case_events')).toBe(eventsBefore);
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(casesBefore);
    for (const c of cases) expect(await onlyDeadline(c.caseId)).toMatchObject({ state: 'pending', breachedAt: null });

    expect(await tick()).toMatchObject({ claimed: 2, breached: 2, complaintsFiled: 2 });
    expect(await tick()).toMatchObject({ claimed: 0 });
    for (const c of cases) expect((await clockEvents(c.caseId)).map((e) => e.type)).toEqual(['case.deadline_breached']);
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(casesBefore + 2);
  });

  it.runIf(testDatabaseUrl)('skips rows another worker holds (FOR UPDATE SKIP LOCKED on PostgreSQL)', async () => {
    const [a, b] = [await appeal(), await appeal()];
    t.clock.set((await onlyDeadline(b.caseId)).dueAt);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimedByHolder!: () => void;
    const holding = new Promise<void>((resolve) => (claimedByHolder = resolve));
    const holder = store().transaction(async (tx) => {
      expect(await tx.claimDueDeadlines(t.clock.now(), 1)).toHaveLength(1);
      claimedByHolder();
      await held;
    });
    await holding;
    // Outside the holder's async flow: another connection, as another worker would be.
    const other = await new Promise<DeadlineTickResult>((resolve, reject) => setTimeout(() => tick().then(resolve, reject), 0));
    expect(other).toMatchObject({ claimed: 1, breached: 1 });
    release();
    await holder;
    expect(await tick()).toMatchObject({ claimed: 1, breached: 1 });
    for (const c of [a, b]) expect((await clockEvents(c.caseId)).map((e) => e.type)).toEqual(['case.deadline_breached']);
  });
});

describe('startDeadlineWorker', () => {
  it('runs ticks on its own until stopped', async () => {
    const receipt = await appeal();
    t.clock.set((await onlyDeadline(receipt.caseId)).dueAt);
    const worker = startDeadlineWorker(t.platform, { intervalMs: 10 });
    for (let i = 0; i < 200 && (await onlyDeadline(receipt.caseId)).state !== 'breached'; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(await onlyDeadline(receipt.caseId)).toMatchObject({ state: 'breached' });
    expect(await eventsOf(receipt.caseId, 'case.silence_refusal')).toHaveLength(1);
  });

  it('refuses a non-positive interval', () => {
    expect(() => startDeadlineWorker(t.platform, { intervalMs: 0 })).toThrow(RangeError);
  });
});
