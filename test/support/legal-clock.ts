/**
 * Helpers for the HTTP tests of the legal clock (test/http/legal-clock*.test.ts): one app per file, the
 * clock set to a literal moment at the start of every test, and the rows the core writes (deadlines,
 * notifications) read straight from the database.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Deadline } from '../../src/core/sla/deadline-rules.ts';
import { runDeadlineTick, type DeadlineTickResult } from '../../src/jobs/deadline-worker.ts';
import { bearer, buildTestApp, type TestApp } from './app.ts';
import { submitCase, type SubmittedCase } from './factories.ts';
import { uploaded as uploadFile } from './files.ts';

/** Wednesday 25 November 2026, 10:00 in Astana (UTC+5): a working day, before 18:00. */
export const WED_25_NOV_10_00 = '2026-11-25T05:00:00.000Z';

export const SOCIAL = 'astana.dept.social';
/** data/organisations.json: the higher body of the social department. */
export const AKIMAT = 'astana.akimat';
export const LABOUR = 'astana.dept.labour_inspection';
/** data/routing-rules.json: roads.lighting in Astana goes to the lighting utility. */
export const LIGHTING = 'astana.utility.lighting';
/** data/organisations.json: the higher body of the lighting utility. */
export const HOUSING = 'astana.dept.housing';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface Staff {
  token: string;
  id: string;
  username: string;
}
export interface Citizen {
  token: string;
  userId: string;
}
export interface DeadlineView {
  obligation: string;
  dueAt: string;
  state: string;
  originalDueAt: string | null;
  pausedAt: string | null;
}
export interface CaseView {
  id: string;
  registrationNumber: string;
  channel: string;
  kind: string;
  language: string;
  state: string;
  stateKind: string;
  organisation: { id: string };
  outcome: string | null;
  dueAt: string | null;
  closedAt: string | null;
  relatedCaseId: string | null;
  complaintAbout: string | null;
  actions: string[];
  deadlines?: DeadlineView[];
  windows?: { redirectUntil: string | null; notFixedUntil: string | null };
}
export interface EventView {
  id: number;
  type: string;
  actorId: string | null;
  actorRole: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}
export interface ErrorView {
  code: string;
  message: string;
  details: Record<string, unknown> | null;
}
export interface NotificationRow {
  id: number;
  recipient_id: string;
  template: string;
  language: string;
  params: Record<string, string>;
  fulfils_deadline_id: number | null;
  state: string;
}

/** The test app with a 90-day token life: the clock is moved back and forth between tests. */
export async function buildClockApp(config: Record<string, unknown> = {}): Promise<TestApp> {
  return buildTestApp({ now: new Date(WED_25_NOV_10_00), config: { TOKEN_TTL_HOURS: 24 * 90, ...config } });
}

export function harness(get: () => TestApp) {
  const t = (): TestApp => get();

  const setClock = (iso: string): void => t().clock.set(new Date(iso));

  /**
   * Each test starts on Wednesday 25 November 2026 at 10:00 with no open deadline left by an earlier
   * test (their worker ticks would otherwise fire on the other test's cases).
   */
  async function startTest(): Promise<void> {
    setClock(WED_25_NOV_10_00);
    await t().platform.db.query(
      "UPDATE case_deadlines SET state = 'met', met_at = $1, next_check_at = NULL WHERE state IN ('pending', 'warned')",
      [t().clock.now()],
    );
  }

  async function citizen(phone: string): Promise<Citizen> {
    const { token } = await t().citizen(phone);
    const me = await t().request({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode, me.body).toBe(200);
    return { token, userId: me.json<{ userId: string }>().userId };
  }

  /** An action at `when` (an ISO instant), or a minute after the last step. */
  async function act(token: string, caseId: string, action: string, body: Record<string, unknown> = {}, when?: string): Promise<LightMyRequestResponse> {
    if (when) setClock(when);
    else t().clock.advance(MINUTE);
    return t().request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: bearer(token), payload: body });
  }

  async function ok(token: string, caseId: string, action: string, body: Record<string, unknown> = {}, when?: string): Promise<CaseView> {
    const res = await act(token, caseId, action, body, when);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json<CaseView>();
  }

  function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorView {
    expect(res.statusCode, res.body).toBe(status);
    const { error } = res.json<{ error: ErrorView }>();
    expect(error.code, res.body).toBe(code);
    return error;
  }

  async function getCase(token: string, caseId: string): Promise<CaseView> {
    const res = await t().request({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<CaseView>();
  }

  async function events(token: string, caseId: string, type?: string): Promise<EventView[]> {
    const res = await t().request({ method: 'GET', url: `/api/v1/cases/${caseId}/events`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    const all = res.json<EventView[]>();
    return type ? all.filter((e) => e.type === type) : all;
  }

  /** The outbox rows the core wrote for a case, oldest first. */
  async function notifications(caseId: string, template?: string): Promise<NotificationRow[]> {
    const { rows } = await t().platform.db.query<NotificationRow>(
      `SELECT id::int AS id, recipient_id::text AS recipient_id, template, language, params, fulfils_deadline_id::int AS fulfils_deadline_id, state
       FROM notifications WHERE case_id = $1 ORDER BY id`,
      [caseId],
    );
    return template ? rows.filter((r) => r.template === template) : rows;
  }

  const deadlines = (caseId: string): Promise<Deadline[]> => t().platform.work.store.deadlines(caseId);

  async function deadline(caseId: string, obligation: string): Promise<Deadline> {
    const found = (await deadlines(caseId)).filter((d) => d.obligation === obligation);
    expect(found, `${obligation} deadlines of ${caseId}`).toHaveLength(1);
    return found[0]!;
  }

  /** One deadline-worker tick at `when`. */
  async function tickAt(when: string): Promise<DeadlineTickResult> {
    setClock(when);
    return runDeadlineTick(t().platform.deadlines, { batchSize: 100 });
  }

  /** A signed-in citizen's appeal about benefits, routed to the social department, in Russian. */
  async function appeal(token: string, body: Record<string, unknown> = {}): Promise<SubmittedCase> {
    const receipt = await submitCase(
      t(),
      { channel: 'appeal', kind: 'application', category: 'social.benefits', text: 'Прошу пересчитать пособие на ребёнка за октябрь', language: 'ru', ...body },
      bearer(token),
    );
    expect(receipt.organisation.id).toBe(SOCIAL);
    return receipt;
  }

  /** A 109 request about street lighting in Esil district (Astana): the lighting utility's. Anonymous without a token. */
  async function cityCase(token?: string): Promise<SubmittedCase> {
    const receipt = await submitCase(t(), { language: 'ru' }, token ? bearer(token) : {});
    expect(receipt.organisation.id).toBe(LIGHTING);
    return receipt;
  }

  /** Uploads a file to the case as a browser would (multipart/form-data). */
  const uploaded = async (token: string, caseId: string, fileName: string, bytes: Uint8Array): Promise<string> =>
    (await uploadFile(t(), caseId, fileName, bytes, token)).id;

  return { setClock, startTest, citizen, act, ok, expectError, getCase, events, notifications, deadlines, deadline, tickAt, appeal, cityCase, uploaded };
}
