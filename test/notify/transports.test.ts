import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransports } from '../../src/app/outbox.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { isLoopbackUrl } from '../../src/config/schema.ts';
import { backoffMs, chooseTransport } from '../../src/notify/outbox.ts';
import { render } from '../../src/notify/templates.ts';
import { createLogTransport } from '../../src/notify/transports/log.ts';
import { createSmsGatewayTransport } from '../../src/notify/transports/sms.ts';
import { createSmtpTransport } from '../../src/notify/transports/smtp.ts';
import { DeliveryError, maskEmail, safeErrorMessage, type OutgoingNotice, type Recipient } from '../../src/notify/transports/transport.ts';
import { startSmtpServer, type LocalSmtpServer } from '../support/mail.ts';
import { startFakeSmsGateway, type FakeSmsGateway } from '../support/sms-gateway.ts';

const PHONE = '+77015550987';
const EMAIL = 'dana.transport-test@example.kz';
const recipient = (r: Partial<Recipient> = {}): Recipient => ({ userId: '00000000-0000-4000-8000-000000000001', email: null, phone: null, ...r });

function notice(language: 'kk' | 'ru' | 'en' = 'ru'): OutgoingNotice {
  const { subject, text } = render('term_extended', language, { registrationNumber: 'ЖТ-2026-00000742', dueAt: '17.12.2026 18:00', reason: 'экспертиза' });
  return { notificationId: 7, caseId: '00000000-0000-4000-8000-000000000002', template: 'term_extended', language, subject, text };
}

const never = new AbortController().signal;
let smtp: LocalSmtpServer;
let gateway: FakeSmsGateway;

beforeAll(async () => {
  smtp = await startSmtpServer();
  gateway = await startFakeSmsGateway();
});
afterAll(async () => {
  await smtp.close();
  await gateway.close();
});
beforeEach(() => {
  smtp.received.length = 0;
  smtp.refuse.clear();
  gateway.requests.length = 0;
  gateway.replies.length = 0;
});

describe('the SMTP transport', () => {
  it('delivers the notice to a real SMTP server: recipient, sender, subject and text in the notice language', async () => {
    const transport = createSmtpTransport({ url: smtp.url, from: 'Tyndau <no-reply@tyndau.test>', timeoutMs: 5_000 });
    expect(transport.name).toBe('smtp');
    await transport.send(recipient({ email: EMAIL }), notice('kk'), never);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual([EMAIL]);
    expect(mail.from).toBe('no-reply@tyndau.test');
    expect(mail.subject).toBe('ЖТ-2026-00000742 нөмірлі өтініш: мерзім ұзартылды');
    expect(mail.text).toContain('Жаңа мерзім: 17.12.2026 18:00.');
    expect(mail.headers['content-type']).toMatch(/text\/plain; charset=utf-8/i);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    await transport.close?.();
  });

  it('reaches only people with an e-mail address', () => {
    const transport = createSmtpTransport({ url: smtp.url, from: 'x@y.z', timeoutMs: 1_000 });
    expect(transport.canReach(recipient({ email: EMAIL }))).toBe(true);
    expect(transport.canReach(recipient({ phone: PHONE }))).toBe(false);
    expect(transport.canReach(recipient({ email: 'broken' }))).toBe(false);
  });

  it('fails with a safe message when the server refuses the recipient (the reply names the address)', async () => {
    smtp.refuse.add(EMAIL);
    const transport = createSmtpTransport({ url: smtp.url, from: 'x@tyndau.test', timeoutMs: 5_000 });
    const err = await transport.send(recipient({ email: EMAIL }), notice(), never).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    const message = safeErrorMessage(err);
    expect(message).toMatch(/SMTP/);
    expect(message).not.toContain(EMAIL);
    expect(message.length).toBeLessThanOrEqual(200);
  });

  it('fails when nothing listens', async () => {
    const closed = await startSmtpServer();
    await closed.close();
    const transport = createSmtpTransport({ url: closed.url, from: 'x@tyndau.test', timeoutMs: 2_000 });
    await expect(transport.send(recipient({ email: EMAIL }), notice(), never)).rejects.toThrow(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });
});

describe('the SMS gateway transport', () => {
  it('POSTs {to, text} as JSON with the bearer token', async () => {
    const transport = createSmsGatewayTransport({ url: gateway.url, token: 'gw-secret', timeoutMs: 5_000 });
    await transport.send(recipient({ phone: PHONE }), notice('ru'), never);
    expect(gateway.requests).toHaveLength(1);
    const [req] = gateway.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/send', body: { to: PHONE, text: notice('ru').text } });
    expect(req!.headers['authorization']).toBe('Bearer gw-secret');
    expect(req!.headers['content-type']).toBe('application/json');
  });

  it('sends no Authorization header without a token, and reaches only E.164 Kazakhstan numbers', async () => {
    const transport = createSmsGatewayTransport({ url: gateway.url, timeoutMs: 5_000 });
    await transport.send(recipient({ phone: PHONE }), notice(), never);
    expect(gateway.requests[0]!.headers['authorization']).toBeUndefined();
    expect(transport.canReach(recipient({ phone: PHONE }))).toBe(true);
    expect(transport.canReach(recipient({ email: EMAIL }))).toBe(false);
    expect(transport.canReach(recipient({ phone: '87015550987' }))).toBe(false);
  });

  it('counts any non-2xx answer as a failure, and never follows a redirect', async () => {
    const transport = createSmsGatewayTransport({ url: gateway.url, timeoutMs: 5_000 });
    gateway.replies.push({ status: 500 }, { status: 429 }, { status: 302, location: 'http://192.0.2.1/elsewhere' });
    for (const status of [500, 429, 302]) {
      await expect(transport.send(recipient({ phone: PHONE }), notice(), never)).rejects.toThrow(`SMS gateway: HTTP ${status}`);
    }
    expect(gateway.requests).toHaveLength(3);
  });

  it('gives up after the timeout', async () => {
    const transport = createSmsGatewayTransport({ url: gateway.url, timeoutMs: 100 });
    gateway.replies.push({ status: 200, delayMs: 1_000 });
    await expect(transport.send(recipient({ phone: PHONE }), notice(), never)).rejects.toThrow('SMS gateway: timed out');
  });
});

describe('the log transport', () => {
  it('logs the notice without the address, the phone or (at info) the text', async () => {
    let out = '';
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) }));
    const transport = createLogTransport(logger);
    expect(transport.canReach(recipient())).toBe(true);
    await transport.send(recipient({ phone: PHONE }), notice(), never);
    await transport.send(recipient({ email: EMAIL, phone: PHONE }), notice(), never);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ msg: 'notice (log transport)', notificationId: 7, template: 'term_extended', language: 'ru', to: '********0987' });
    expect(lines[1]).toMatchObject({ to: 'd***@e***.kz' });
    for (const secret of [PHONE, PHONE.slice(1), EMAIL, 'Новый срок']) expect(out).not.toContain(secret);
  });

  it('shows the content at debug level, still without the address', async () => {
    let out = '';
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) }));
    await createLogTransport(logger).send(recipient({ email: EMAIL }), notice(), never);
    expect(out).toContain('Новый срок');
    expect(out).not.toContain(EMAIL);
  });
});

describe('choosing a transport', () => {
  const smtpT = createSmtpTransport({ url: 'smtp://127.0.0.1:1', from: 'x@y.z', timeoutMs: 1_000 });
  const smsT = createSmsGatewayTransport({ url: 'http://127.0.0.1:1/', timeoutMs: 1_000 });
  const logT = createLogTransport(pino({ level: 'silent' }));

  it('prefers e-mail, then SMS, then the log', () => {
    const all = [smtpT, smsT, logT];
    expect(chooseTransport(all, recipient({ email: EMAIL, phone: PHONE }))?.name).toBe('smtp');
    expect(chooseTransport(all, recipient({ phone: PHONE }))?.name).toBe('sms');
    expect(chooseTransport(all, recipient())?.name).toBe('log');
    expect(chooseTransport([smtpT, smsT], recipient())).toBeNull();
  });

  it('builds the transports the configuration names; production has no log stand-in', () => {
    const logger = pino({ level: 'silent' });
    const names = (env: Record<string, string>) => createTransports(loadConfig({}, env), logger).map((t) => t.name);
    expect(names({})).toEqual(['log']);
    expect(names({ SMTP_URL: smtp.url, SMS_GATEWAY_URL: gateway.url })).toEqual(['smtp', 'sms', 'log']);
    expect(names({ SMS_GATEWAY_URL: gateway.url })).toEqual(['sms', 'log']);
    expect(names({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32), SMS_GATEWAY_URL: 'https://sms.example.kz/send' })).toEqual(['sms']);
    expect(names({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) })).toEqual([]);
  });
});

describe('configuration of the outbox', () => {
  it('refuses, outside production, an SMTP or SMS host that is not this machine', () => {
    for (const env of [{}, { NODE_ENV: 'test' }]) {
      expect(() => loadConfig({}, { ...env, SMTP_URL: 'smtp://mail.example.kz:587' })).toThrow(ConfigError);
      expect(() => loadConfig({}, { ...env, SMTP_URL: 'smtp://mail.example.kz:587' })).toThrow(/SMTP_URL: outside production .* loopback host .* not mail\.example\.kz/);
      expect(() => loadConfig({}, { ...env, SMS_GATEWAY_URL: 'https://sms.example.kz/send' })).toThrow(/SMS_GATEWAY_URL: outside production/);
      // A URL that merely mentions a loopback address is still refused.
      expect(() => loadConfig({}, { ...env, SMTP_URL: 'smtp://127.0.0.1.example.kz' })).toThrow(ConfigError);
      expect(() => loadConfig({}, { ...env, SMS_GATEWAY_URL: 'http://sms.example.kz#@127.0.0.1/' })).toThrow(ConfigError);
    }
    for (const url of ['smtp://127.0.0.1:2525', 'smtp://localhost', 'smtp://[::1]:25', 'smtps://user:pw@127.0.0.2:465']) {
      expect(loadConfig({}, { SMTP_URL: url }).SMTP_URL).toBe(url);
    }
    expect(loadConfig({}, { SMS_GATEWAY_URL: 'http://localhost:9000/sms' }).SMS_GATEWAY_URL).toBe('http://localhost:9000/sms');
  });

  it('accepts real hosts in production', () => {
    const config = loadConfig({}, { NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32), SMTP_URL: 'smtp://mail.example.kz:587', SMS_GATEWAY_URL: 'https://sms.example.kz/send' });
    expect(config).toMatchObject({ SMTP_URL: 'smtp://mail.example.kz:587', SMS_GATEWAY_URL: 'https://sms.example.kz/send' });
  });

  it('checks URLs, the back-off cap and the lease', () => {
    expect(() => loadConfig({}, { SMTP_URL: 'http://127.0.0.1' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({}, { SMS_GATEWAY_URL: 'ftp://127.0.0.1' })).toThrow(/SMS_GATEWAY_URL/);
    expect(() => loadConfig({}, { NOTIFY_BACKOFF_BASE_MS: '60000', NOTIFY_BACKOFF_MAX_MS: '1000' })).toThrow(/NOTIFY_BACKOFF_MAX_MS/);
    expect(() => loadConfig({}, { NOTIFY_SEND_TIMEOUT_MS: '60000', NOTIFY_LEASE_MS: '60000' })).toThrow(/NOTIFY_LEASE_MS/);
    expect(loadConfig({})).toMatchObject({ NOTIFY_WORKER_INTERVAL_MS: 5_000, NOTIFY_MAX_ATTEMPTS: 10, NOTIFY_BACKOFF_BASE_MS: 30_000, NOTIFY_BACKOFF_MAX_MS: 21_600_000 });
  });

  it('knows a loopback URL', () => {
    expect(isLoopbackUrl('smtp://LOCALHOST:25')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:8080/x')).toBe(true);
    expect(isLoopbackUrl('http://127.255.0.1/')).toBe(true);
    expect(isLoopbackUrl('http://10.0.0.1/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});

describe('failures and back-off', () => {
  it('doubles the wait after each failure, up to the cap', () => {
    const policy = { backoffBaseMs: 30_000, backoffMaxMs: 3_600_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => backoffMs(policy, n))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });

  it('keeps addresses, numbers and credentials out of stored errors, and keeps them short', () => {
    const message = safeErrorMessage(
      Object.assign(new Error(`550 <${EMAIL}> rejected; sms to ${PHONE} or 8 (701) 555-09-87 via smtp://user:secret@mail.example.kz ${'x'.repeat(400)}`), { code: 'EENVELOPE' }),
    );
    expect(message).toMatch(/^EENVELOPE: 550 <\[address\]> rejected; sms to \[number\] or \[number\] via smtp:\/\/\[credentials\]@mail\.example\.kz x+…$/);
    expect(message.length).toBe(200);
    expect(safeErrorMessage('plain')).toBe('plain');
    expect(safeErrorMessage(new DeliveryError(''))).toBe('delivery failed');
    expect(maskEmail('a@b')).toBe('a***@b***');
  });
});
