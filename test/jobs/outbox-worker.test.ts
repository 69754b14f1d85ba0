import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransports } from '../../src/app/outbox.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { CaseEvent, Language } from '../../src/core/model.ts';
import type { NotificationParams, NotificationTemplate } from '../../src/core/notifications.ts';
import { runOutboxTick, startOutboxWorker, type OutboxTickResult } from '../../src/jobs/outbox-worker.ts';
import type { OutboxDeps } from '../../src/notify/outbox.ts';
import { insertNotification } from '../../src/storage/notification-rows.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { testDatabaseUrl } from '../support/db.ts';
import { submitCase, type SubmittedCase } from '../support/factories.ts';
import { startSmtpServer, type LocalSmtpServer } from '../support/mail.ts';
import { startFakeSmsGateway, type FakeSmsGateway } from '../support/sms-gateway.ts';

/**
 * The outbox worker against the real database, a real SMTP server and a fake SMS gateway, all on this
 * machine: delivery in the notice's language, retries with back-off counted on the row, giving up, the
 * deadline a notice fulfils, concurrency, leases, and that no address or number reaches the log.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const MAX_ATTEMPTS = 4;
const BACKOFF_BASE = 30 * SECOND;

let t: TestApp;
let smtp: LocalSmtpServer;
let gateway: FakeSmsGateway;
/** Everything the platform logged while this file ran. */
let logged = '';
/** Every phone number (in every written form) and e-mail address used here: none may be logged. */
const secrets = new Set<string>();
let phoneCounter = 0;

beforeAll(async () => {
  smtp = await startSmtpServer();
  gateway = await startFakeSmsGateway();
  t = await buildTestApp({
    config: { SMTP_URL: smtp.url, SMTP_FROM: 'Tyndau <no-reply@tyndau.test>', SMS_GATEWAY_URL: gateway.url, SMS_GATEWAY_TOKEN: 'gw-token', NOTIFY_MAX_ATTEMPTS: MAX_ATTEMPTS, LOG_LEVEL: 'debug' },
  });
  const capture = new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) });
  (t.platform.logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = capture;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  await gateway.close();
});
beforeEach(async () => {
  smtp.received.length = 0;
  smtp.refuse.clear();
  gateway.requests.length = 0;
  gateway.replies.length = 0;
  await settleOthers();
});

/** Settles notices this file did not write (whatever the core enqueues for the steps taken here). */
async function settleOthers(): Promise<void> {
  await t.platform.db.query("UPDATE notifications SET state = 'sent', sent_at = $1, transport = 'test', next_attempt_at = NULL WHERE state = 'pending'", [t.clock.now()]);
}

interface Citizen {
  token: string;
  userId: string;
  phone: string;
}

async function citizen(email?: string): Promise<Citizen> {
  const digits = `70155${String(++phoneCounter).padStart(5, '0')}`;
  const phone = `+7${digits}`;
  for (const form of [phone, `7${digits}`, `8${digits}`, digits]) secrets.add(form);
  const { token } = await t.citizen(phone);
  if (email) {
    secrets.add(email);
    const res = await t.request({ method: 'PATCH', url: '/api/v1/me', headers: bearer(token), payload: { email } });
    expect(res.statusCode, res.body).toBe(200);
  }
  const me = await t.request({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
  return { token, userId: me.json<{ userId: string }>().userId, phone };
}

async function appeal(who: Citizen): Promise<SubmittedCase> {
  const receipt = await submitCase(
    t,
    { channel: 'appeal', kind: 'application', category: 'social.benefits', text: 'Прошу пересчитать пособие на ребёнка за октябрь' },
    bearer(who.token),
  );
  await settleOthers();
  return receipt;
}

interface Enqueue {
  template?: NotificationTemplate;
  language?: Language;
  params?: NotificationParams;
  fulfilsDeadlineId?: number | null;
  notBefore?: Date;
}

/** Writes a notice the way the core does (insertNotification) and returns its id. */
async function enqueue(caseId: string, who: Citizen, n: Enqueue = {}): Promise<number> {
  const { rows } = await t.platform.db.transaction(async (tx) => {
    await insertNotification(
      tx,
      {
        caseId,
        recipientId: who.userId,
        template: n.template ?? 'case_registered',
        language: n.language ?? 'ru',
        params: n.params ?? { registeredAt: '25.11.2026 10:00', organisationName: 'Управление социальной защиты', dueAt: '17.12.2026 18:00' },
        fulfilsDeadlineId: n.fulfilsDeadlineId ?? null,
        notBefore: n.notBefore ?? t.clock.now(),
      },
      t.clock.now(),
    );
    return tx.query<{ id: number }>('SELECT max(id) AS id FROM notifications');
  });
  return Number(rows[0]!.id);
}

interface NotificationRow {
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  transport: string | null;
  sent_at: Date | null;
}

async function row(id: number): Promise<NotificationRow> {
  const { rows } = await t.platform.db.query<NotificationRow>('SELECT state, attempts, next_attempt_at, last_error, transport, sent_at FROM notifications WHERE id = $1', [id]);
  return rows[0]!;
}

const tick = (deps: OutboxDeps = t.platform.outbox, batchSize?: number): Promise<OutboxTickResult> =>
  runOutboxTick(deps, batchSize === undefined ? {} : { batchSize });
const eventsOf = async (caseId: string, type: string): Promise<CaseEvent[]> => (await t.platform.work.store.events(caseId)).filter((e) => e.type === type);
const deadlineOf = async (caseId: string) => (await t.platform.work.store.deadlines(caseId))[0]!;
/** The platform's outbox with other transports or another policy. */
const withDeps = (over: Partial<OutboxDeps>): OutboxDeps => ({ ...t.platform.outbox, ...over });

describe('with the core', () => {
  it('delivers the extension notice the core wrote and so meets the notify_extension duty', async () => {
    const email = 'extension.outbox@example.kz';
    const who = await citizen(email);
    const receipt = await appeal(who);
    const head = await t.staff('head', 'astana.dept.social');
    t.clock.advance(MINUTE);
    const reason = 'Запрошены сведения в Государственном центре по выплате пенсий';
    const res = await t.request({ method: 'POST', url: `/api/v1/cases/${receipt.caseId}/actions/extend`, headers: bearer(head.token), payload: { reason, until: '2027-01-15' } });
    expect(res.statusCode, res.body).toBe(200);
    const duty = (await t.platform.work.store.deadlines(receipt.caseId)).find((d) => d.obligation === 'notify_extension')!;
    expect(duty).toMatchObject({ state: 'pending' });

    t.clock.advance(MINUTE);
    expect(await tick()).toMatchObject({ claimed: 1, sent: 1, byTransport: { smtp: 1 } });
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual([email]);
    expect(mail.subject).toBe(`Обращение ${receipt.registrationNumber}: срок продлён`);
    expect(mail.text).toContain('Новый срок: 2027-01-15 18:00.');
    expect(mail.text).toContain(`Основание: ${reason}.`);
    expect((await t.platform.work.store.deadlines(receipt.caseId)).find((d) => d.id === duty.id)).toMatchObject({ state: 'met', metAt: t.clock.now(), nextCheckAt: null });
    expect((await eventsOf(receipt.caseId, 'case.applicant_notified'))[0]?.payload).toMatchObject({ template: 'term_extended', transport: 'smtp', deadlineId: duty.id, deadlineMet: true });
  });
});

describe('delivery', () => {
  it('sends by e-mail in the notice\'s language (not the user\'s current one) and records it with an event', async () => {
    const email = 'aigerim.outbox@example.kz';
    const who = await citizen(email);
    // The user prefers English now; the notice was written in the case's language and stays in it.
    await t.request({ method: 'PATCH', url: '/api/v1/me', headers: bearer(who.token), payload: { language: 'en' } });
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who, { language: 'ru' });

    expect(await tick()).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0, stale: 0, byTransport: { smtp: 1 } });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('no-reply@tyndau.test');
    expect(mail.subject).toBe(`Обращение ${receipt.registrationNumber} зарегистрировано`);
    expect(mail.text).toContain(`Ваше обращение зарегистрировано под номером ${receipt.registrationNumber}.`);
    expect(mail.text).toContain('Ответственный орган: Управление социальной защиты.');
    expect(mail.text).toContain('Срок ответа: 17.12.2026 18:00.');

    expect(await row(id)).toMatchObject({ state: 'sent', transport: 'smtp', attempts: 0, next_attempt_at: null, last_error: null, sent_at: t.clock.now() });
    const [notified, ...more] = await eventsOf(receipt.caseId, 'case.applicant_notified');
    expect(more).toEqual([]);
    expect(notified).toMatchObject({
      actorId: null,
      actorRole: 'system',
      occurredAt: t.clock.now(),
      payload: { notificationId: id, template: 'case_registered', transport: 'smtp', deadlineId: null, deadlineMet: false },
    });
    // Sent once: later ticks find nothing.
    expect(await tick()).toMatchObject({ claimed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('fills the registration number from the case when the notice lacks it', async () => {
    const who = await citizen('bauyrzhan.outbox@example.kz');
    const receipt = await appeal(who);
    await enqueue(receipt.caseId, who, { template: 'survey', language: 'kk', params: {} });
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(smtp.received[0]!.subject).toBe(`${receipt.registrationNumber} нөмірлі өтініш: мәселе шешілді ме?`);
    expect(smtp.received[0]!.text).toContain('Жауапты Tyndau жеке кабинетінде беруге болады.');
  });

  it('waits for the notice\'s not-before time (the four-week survey)', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const notBefore = new Date(t.clock.now().getTime() + 28 * DAY);
    const id = await enqueue(receipt.caseId, who, { template: 'survey', language: 'en', notBefore });
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.set(new Date(notBefore.getTime() - 1));
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.set(notBefore);
    expect(await tick()).toMatchObject({ claimed: 1, sent: 1, byTransport: { sms: 1 } });
    expect((await row(id)).state).toBe('sent');
    expect(gateway.requests[0]!.body).toMatchObject({ to: who.phone, text: expect.stringContaining(`Your appeal ${receipt.registrationNumber} was closed.`) });
  });
});

describe('retries', () => {
  it('retries an SMS the gateway refused (500) after the back-off, counting the failure on the row', async () => {
    const who = await citizen(); // no e-mail: SMS
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who, { template: 'term_extended', language: 'kk', params: { dueAt: '30.12.2026 18:00', reason: 'сараптама қажет' } });
    gateway.replies.push({ status: 500 });

    const failedAt = t.clock.now();
    expect(await tick()).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ state: 'pending', attempts: 1, last_error: 'SMS gateway: HTTP 500', transport: null, sent_at: null });
    expect((await row(id)).next_attempt_at).toEqual(new Date(failedAt.getTime() + BACKOFF_BASE));
    expect(await eventsOf(receipt.caseId, 'case.applicant_notified')).toEqual([]);

    // Not before the back-off has passed.
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.advance(BACKOFF_BASE - 1);
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.advance(1);
    expect(await tick()).toMatchObject({ claimed: 1, sent: 1, byTransport: { sms: 1 } });
    expect(await row(id)).toMatchObject({ state: 'sent', attempts: 1, transport: 'sms', sent_at: t.clock.now(), next_attempt_at: null });

    expect(gateway.requests).toHaveLength(2);
    for (const req of gateway.requests) {
      expect(req.headers['authorization']).toBe('Bearer gw-token');
      expect(req.body).toEqual({ to: who.phone, text: expect.stringContaining(`${receipt.registrationNumber} нөмірлі өтінішіңізді қарау мерзімі ұзартылды.`) });
    }
    expect((gateway.requests[1]!.body as { text: string }).text).toContain('Жаңа мерзім: 30.12.2026 18:00.');
    expect(await eventsOf(receipt.caseId, 'case.applicant_notified')).toHaveLength(1);
  });

  it('gives up after NOTIFY_MAX_ATTEMPTS failures, with waits that double, and records the failure on the case', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const deadline = await deadlineOf(receipt.caseId);
    const id = await enqueue(receipt.caseId, who, { template: 'term_extended', fulfilsDeadlineId: deadline.id });
    for (let i = 0; i < MAX_ATTEMPTS; i++) gateway.replies.push({ status: 503 });

    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const now = t.clock.now();
      expect(await tick()).toMatchObject({ claimed: 1, retried: 1 });
      const r = await row(id);
      expect(r).toMatchObject({ state: 'pending', attempts: attempt, last_error: 'SMS gateway: HTTP 503' });
      expect(r.next_attempt_at!.getTime() - now.getTime()).toBe(BACKOFF_BASE * 2 ** (attempt - 1));
      t.clock.set(r.next_attempt_at!);
    }
    expect(await tick()).toMatchObject({ claimed: 1, retried: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null, last_error: 'SMS gateway: HTTP 503', sent_at: null });
    const [failed] = await eventsOf(receipt.caseId, 'case.notification_failed');
    expect(failed).toMatchObject({
      actorRole: 'system',
      payload: { notificationId: id, template: 'term_extended', attempts: MAX_ATTEMPTS, error: 'SMS gateway: HTTP 503', deadlineId: deadline.id },
    });
    expect(await eventsOf(receipt.caseId, 'case.applicant_notified')).toEqual([]);
    // An undelivered notice fulfils nothing.
    expect(await deadlineOf(receipt.caseId)).toMatchObject({ state: deadline.state, metAt: null });
    t.clock.advance(DAY);
    expect(await tick()).toMatchObject({ claimed: 0 });
    expect(gateway.requests).toHaveLength(MAX_ATTEMPTS);
  });

  it('counts a send that outlives NOTIFY_SEND_TIMEOUT_MS as a failed attempt', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who);
    gateway.replies.push({ status: 200, delayMs: 2_000 });
    const impatient = withDeps({ policy: { ...t.platform.outbox.policy, sendTimeoutMs: 100 } });
    expect(await tick(impatient)).toMatchObject({ retried: 1 });
    expect((await row(id)).last_error).toMatch(/timed out/);
  });

  it('keeps the address out of the stored error when the mail server refuses the recipient', async () => {
    const email = 'refused.outbox@example.kz';
    const who = await citizen(email);
    smtp.refuse.add(email);
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who);
    expect(await tick()).toMatchObject({ retried: 1 });
    const r = await row(id);
    expect(r.last_error).toMatch(/^SMTP .*550/);
    expect(r.last_error).not.toContain(email);
    expect(r.last_error!.length).toBeLessThanOrEqual(200);
  });

  it('fails, and retries, a notice with an unknown template instead of crashing the tick', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    await t.platform.db.query(
      `INSERT INTO notifications (case_id, recipient_id, template, language, params, state, next_attempt_at, created_at)
       VALUES ($1, $2, 'no_such_template', 'en', '{}', 'pending', $3, $3)`,
      [receipt.caseId, who.userId, t.clock.now()],
    );
    expect(await tick()).toMatchObject({ claimed: 1, retried: 1 });
    const { rows } = await t.platform.db.query<{ last_error: string }>("SELECT last_error FROM notifications WHERE template = 'no_such_template'");
    expect(rows[0]!.last_error).toBe('unknown template no_such_template');
  });
});

describe('the deadline a notice fulfils', () => {
  it('is met when the notice is delivered, in the same transaction as the event', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const deadline = await deadlineOf(receipt.caseId);
    expect(deadline.state).toBe('pending');
    t.clock.advance(MINUTE);
    const id = await enqueue(receipt.caseId, who, { template: 'term_extended', fulfilsDeadlineId: deadline.id });
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(await deadlineOf(receipt.caseId)).toMatchObject({ id: deadline.id, state: 'met', metAt: t.clock.now(), nextCheckAt: null });
    expect((await eventsOf(receipt.caseId, 'case.applicant_notified'))[0]?.payload).toEqual({
      notificationId: id,
      template: 'term_extended',
      transport: 'sms',
      deadlineId: deadline.id,
      deadlineMet: true,
    });
  });

  it('is left as it is when it was no longer open (already breached)', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const deadline = await deadlineOf(receipt.caseId);
    await t.platform.db.query("UPDATE case_deadlines SET state = 'breached', breached_at = $2, next_check_at = NULL WHERE id = $1", [deadline.id, t.clock.now()]);
    await enqueue(receipt.caseId, who, { template: 'term_extended', fulfilsDeadlineId: deadline.id });
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(await deadlineOf(receipt.caseId)).toMatchObject({ state: 'breached', metAt: null });
    expect((await eventsOf(receipt.caseId, 'case.applicant_notified'))[0]?.payload).toMatchObject({ deadlineId: deadline.id, deadlineMet: false });
  });

  it('is not met by a notice nobody could receive (production has no log stand-in)', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const deadline = await deadlineOf(receipt.caseId);
    const id = await enqueue(receipt.caseId, who, { template: 'term_extended', fulfilsDeadlineId: deadline.id });
    const production = createTransports(loadConfig({}, { NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) }), t.platform.logger);
    expect(production).toEqual([]);
    expect(await tick(withDeps({ transports: production }))).toMatchObject({ claimed: 1, retried: 1 });
    expect(await row(id)).toMatchObject({ state: 'pending', attempts: 1, last_error: 'no transport reaches the recipient' });
    expect(await deadlineOf(receipt.caseId)).toMatchObject({ state: 'pending' });
  });
});

describe('several workers', () => {
  it('never send the same notice twice when ticks run side by side', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const templates: NotificationTemplate[] = ['case_registered', 'case_redirected', 'documents_requested', 'term_extended', 'hearing_notice', 'case_answered', 'case_reopened'];
    const ids = [];
    for (const template of templates) ids.push(await enqueue(receipt.caseId, who, { template, language: 'en' }));

    const round = await Promise.all([tick(undefined, 2), tick(undefined, 2), tick(undefined, 2), tick(undefined, 3)]);
    for (let r = await tick(undefined, 2); r.claimed > 0; r = await tick(undefined, 2)) round.push(r);
    expect(round.reduce((n, r) => n + r.claimed, 0)).toBe(templates.length);
    expect(round.reduce((n, r) => n + r.sent, 0)).toBe(templates.length);
    expect(gateway.requests).toHaveLength(templates.length);
    const texts = gateway.requests.map((req) => (req.body as { text: string }).text.split('\n')[0]);
    expect(new Set(texts).size).toBe(templates.length);
    for (const id of ids) expect((await row(id)).state).toBe('sent');
    expect(await eventsOf(receipt.caseId, 'case.applicant_notified')).toHaveLength(templates.length);
  });

  it('take a notice again when the worker that claimed it died, once its lease ends; the dead worker cannot overwrite', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who);
    const { store, policy } = t.platform.outbox;
    const now = t.clock.now();
    const [orphan] = await store.claimDue(now, 10, new Date(now.getTime() + policy.leaseMs)); // then the worker "dies"
    expect(orphan).toMatchObject({ id, attempts: 0, recipient: { userId: who.userId, phone: who.phone, email: null }, registrationNumber: receipt.registrationNumber });

    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.advance(policy.leaseMs - 1);
    expect(await tick()).toMatchObject({ claimed: 0 });
    t.clock.advance(1);
    expect(await tick()).toMatchObject({ claimed: 1, sent: 1 });

    // The first worker wakes up late: its lease is gone, so nothing it records changes the notice.
    expect(await store.recordFailure(orphan!, 'late failure', t.clock.now(), new Date(t.clock.now().getTime() + MINUTE))).toBe(false);
    expect(await store.recordSent(orphan!, 'sms', t.clock.now())).toBe(false);
    expect(await row(id)).toMatchObject({ state: 'sent', attempts: 0, last_error: null });
    expect(await eventsOf(receipt.caseId, 'case.applicant_notified')).toHaveLength(1);
  });

  it.runIf(testDatabaseUrl)('skip notices another transaction holds (FOR UPDATE SKIP LOCKED on PostgreSQL)', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const held = await enqueue(receipt.caseId, who);
    const free = await enqueue(receipt.caseId, who);
    let release!: () => void;
    const releasing = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.platform.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM notifications WHERE id = $1 FOR UPDATE', [held]);
      locked();
      await releasing;
    });
    await holding;
    // Outside the holder's async flow: another connection, as another worker would be.
    const other = await new Promise<OutboxTickResult>((resolve, reject) => setTimeout(() => tick().then(resolve, reject), 0));
    expect(other).toMatchObject({ claimed: 1, sent: 1 });
    expect((await row(free)).state).toBe('sent');
    expect((await row(held)).state).toBe('pending');
    release();
    await holder;
    expect(await tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect((await row(held)).state).toBe('sent');
  });
});

describe('the log transport', () => {
  it('delivers to the log, without the phone, when no e-mail or SMS is configured', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who, { template: 'case_answered', params: { outcome: 'satisfied' } });
    const logOnly = withDeps({ transports: createTransports(loadConfig({}, { NODE_ENV: 'test' }), t.platform.logger) });
    const before = logged.length;
    expect(await tick(logOnly)).toMatchObject({ sent: 1, byTransport: { log: 1 } });
    expect(await row(id)).toMatchObject({ state: 'sent', transport: 'log' });
    const lines = logged.slice(before).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const info = lines.find((l) => l['msg'] === 'notice (log transport)');
    expect(info).toMatchObject({ level: 30, notificationId: id, caseId: receipt.caseId, template: 'case_answered', language: 'ru', to: `********${who.phone.slice(-4)}` });
    expect(JSON.stringify(info)).not.toContain('удовлетворено');
    // The text only at debug.
    expect(lines.find((l) => l['msg'] === 'notice content (log transport)')).toMatchObject({ level: 20, body: expect.stringContaining('Результат: удовлетворено.') });
  });
});

describe('startOutboxWorker', () => {
  it('delivers on its own until stopped', async () => {
    const who = await citizen();
    const receipt = await appeal(who);
    const id = await enqueue(receipt.caseId, who);
    const worker = startOutboxWorker(t.platform, { intervalMs: 10 });
    for (let i = 0; i < 200 && (await row(id)).state !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect((await row(id)).state).toBe('sent');
    expect(logged).toContain('"msg":"outbox tick"');
  });

  it('refuses a non-positive interval or batch', async () => {
    expect(() => startOutboxWorker(t.platform, { intervalMs: 0 })).toThrow(RangeError);
    await expect(runOutboxTick(t.platform.outbox, { batchSize: 0 })).rejects.toThrow(RangeError);
  });
});

describe('the log of this file', () => {
  it('never shows a phone number or an e-mail address', () => {
    expect(logged).toContain('notice delivery failed');
    expect(logged).toContain('notice (log transport)');
    expect(secrets.size).toBeGreaterThan(40);
    for (const secret of secrets) expect(logged.includes(secret), `the log contains ${secret.slice(0, 4)}…`).toBe(false);
  });
});
