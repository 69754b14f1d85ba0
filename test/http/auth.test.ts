import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { createStaffAccount } from '../../src/core/identity/identity.ts';
import type { ErrorCode } from '../../src/core/errors.ts';
import { bearer, buildTestApp, STAFF_PASSWORD, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

/**
 * Sign-in and the secrets behind it: phone + one-time code for citizens, username + password for staff,
 * API keys for machines; what each principal looks like; and that only hashes are stored and nothing
 * secret or personal reaches the log.
 */

let t: TestApp;
/** Everything the app logged during this file (the platform logger's stream is redirected here). */
let logged = '';
/** Every secret and personal value used in this file: none may ever appear in the log. */
const secrets = new Set<string>();
let phoneCounter = 0;
/** Staff accounts shared by the tests that do not change them (each account costs two scrypt runs). */
let admin: { token: string; id: string; username: string };
let head: { token: string; id: string; username: string };
let registrar: { token: string; id: string; username: string };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A fresh phone for each test, so that codes and attempts never carry over. */
function nextPhone(): { e164: string; local: string; spaced: string } {
  const digits = `70150${String(++phoneCounter).padStart(5, '0')}`;
  const e164 = `+7${digits}`;
  const local = `8${digits}`;
  const spaced = `+7 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6, 8)} ${digits.slice(8)}`;
  for (const form of [e164, local, spaced, digits]) secrets.add(form);
  return { e164, local, spaced };
}

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

function expectError(res: LightMyRequestResponse, status: number, code: ErrorCode): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<ErrorBody>();
  expect(body.error.code).toBe(code);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message']);
  return body;
}

async function requestCode(phone: string): Promise<{ code: string; phone: string; expiresAt: string }> {
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/code', payload: { phone } });
  expect(res.statusCode, res.body).toBe(202);
  const sent = res.json<{ code: string; phone: string; expiresAt: string }>();
  secrets.add(sent.code);
  return sent;
}

async function verify(phone: string, code: string): Promise<LightMyRequestResponse> {
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/code/verify', payload: { phone, code } });
  if (res.statusCode === 200) secrets.add(res.json<{ token: string }>().token);
  return res;
}

async function login(username: string, password: string): Promise<LightMyRequestResponse> {
  secrets.add(password);
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode === 200) secrets.add(res.json<{ token: string }>().token);
  return res;
}

const me = (headers: Record<string, string>) => t.request({ method: 'GET', url: '/api/v1/me', headers });

async function staff(role: Parameters<TestApp['staff']>[0], organisationId: string) {
  const account = await t.staff(role, organisationId);
  secrets.add(account.token);
  return account;
}

beforeAll(async () => {
  t = await buildTestApp({ config: { LOG_LEVEL: 'trace' } });
  // The platform logger writes to stdout; send it here instead. pino.symbols exists for such integration.
  const capture = new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) });
  (t.platform.logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = capture;
  secrets.add(STAFF_PASSWORD);
  admin = await staff('admin', 'kz.processing_centre');
  head = await staff('head', 'kz.processing_centre');
  registrar = await staff('registrar', 'kz.processing_centre');
});
afterAll(async () => t.close());

describe('citizens: phone and one-time code', () => {
  it('sends a code (returned by the demo sender) valid for OTP_TTL_SECONDS, and exchanges it for a token', async () => {
    const phone = nextPhone();
    const sent = await requestCode(phone.spaced);
    expect(sent.phone).toBe(phone.e164);
    expect(sent.code).toMatch(/^\d{6}$/);
    expect(new Date(sent.expiresAt).getTime()).toBe(t.clock.now().getTime() + t.platform.config.OTP_TTL_SECONDS * 1000);
    const res = await verify(phone.e164, sent.code);
    expect(res.statusCode, res.body).toBe(200);
    const { token, expiresAt } = res.json<{ token: string; expiresAt: string }>();
    expect(token).toMatch(/^tyt_[\w-]{40,}$/);
    expect(new Date(expiresAt).getTime()).toBe(t.clock.now().getTime() + t.platform.config.TOKEN_TTL_HOURS * 3_600_000);
  });

  it('normalises every way of writing a number to the same citizen', async () => {
    const phone = nextPhone();
    const ids = new Set<string>();
    for (const [asked, answered] of [
      [phone.spaced, phone.local],
      [phone.local, phone.e164],
      [phone.e164, `8 (${phone.e164.slice(2, 5)}) ${phone.e164.slice(5, 8)}-${phone.e164.slice(8, 10)}-${phone.e164.slice(10)}`],
      [phone.e164.slice(2), phone.spaced],
    ] as const) {
      const { code } = await requestCode(asked);
      const res = await verify(answered, code);
      expect(res.statusCode, res.body).toBe(200);
      const who = await me(bearer(res.json<{ token: string }>().token));
      ids.add(who.json<{ userId: string }>().userId);
    }
    expect(ids.size).toBe(1);
    const { rows } = await t.platform.db.query<{ phone: string }>('SELECT phone FROM users WHERE id = $1', [[...ids][0]]);
    expect(rows).toEqual([{ phone: phone.e164 }]);
  });

  it('gives a citizen the cases a registrar registered for their number, however it was written', async () => {
    const phone = nextPhone();
    const receipt = await submitCase(
      t,
      { channel: 'appeal', category: 'social.benefits', districtId: undefined, applicantPhone: phone.spaced, text: 'Прошу пересчитать пенсию' },
      bearer(registrar.token),
    );
    secrets.add('Прошу пересчитать пенсию');
    const { code } = await requestCode(phone.local);
    const token = (await verify(phone.local, code)).json<{ token: string }>().token;
    const list = await t.request({ method: 'GET', url: '/api/v1/cases', headers: bearer(token) });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toEqual([receipt.caseId]);
  });

  it('refuses a wrong code with 401 ERR_OTP_INVALID, and still accepts the right one after it', async () => {
    const phone = nextPhone();
    const { code } = await requestCode(phone.e164);
    const wrong = code === '000000' ? '000001' : '000000';
    expectError(await verify(phone.e164, wrong), 401, 'ERR_OTP_INVALID');
    expectError(await verify(phone.e164, `${code}0`), 401, 'ERR_OTP_INVALID');
    expect((await verify(phone.e164, code)).statusCode).toBe(200);
  });

  it('accepts a code once only', async () => {
    const phone = nextPhone();
    const { code } = await requestCode(phone.e164);
    expect((await verify(phone.e164, code)).statusCode).toBe(200);
    expectError(await verify(phone.e164, code), 401, 'ERR_OTP_INVALID');
  });

  it('refuses a code for a number that never asked for one, and a code sent to another number', async () => {
    const asked = nextPhone();
    const other = nextPhone();
    const { code } = await requestCode(asked.e164);
    expectError(await verify(other.e164, code), 401, 'ERR_OTP_INVALID');
    expect((await verify(asked.e164, code)).statusCode).toBe(200);
  });

  it('forgets the earlier code when a new one is requested', async () => {
    const phone = nextPhone();
    const first = await requestCode(phone.e164);
    const second = await requestCode(phone.e164);
    if (first.code !== second.code) expectError(await verify(phone.e164, first.code), 401, 'ERR_OTP_INVALID');
    expect((await verify(phone.e164, second.code)).statusCode).toBe(200);
  });

  it('refuses an expired code with 401 ERR_OTP_INVALID', async () => {
    const ttl = t.platform.config.OTP_TTL_SECONDS * 1000;
    const early = nextPhone();
    const late = nextPhone();
    const a = await requestCode(early.e164);
    const b = await requestCode(late.e164);
    t.clock.advance(ttl - 1000);
    expect((await verify(early.e164, a.code)).statusCode).toBe(200);
    t.clock.advance(1000);
    expectError(await verify(late.e164, b.code), 401, 'ERR_OTP_INVALID');
    // A new code works again.
    const c = await requestCode(late.e164);
    expect((await verify(late.e164, c.code)).statusCode).toBe(200);
  });

  it('locks the code after OTP_MAX_ATTEMPTS wrong guesses: 429, then even the right code fails', async () => {
    const max = t.platform.config.OTP_MAX_ATTEMPTS;
    const phone = nextPhone();
    const { code } = await requestCode(phone.e164);
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < max; i++) expectError(await verify(phone.e164, wrong), 401, 'ERR_OTP_INVALID');
    expectError(await verify(phone.e164, code), 429, 'ERR_OTP_TOO_MANY_ATTEMPTS');
    expectError(await verify(phone.e164, code), 401, 'ERR_OTP_INVALID');
    // Only a new code opens the door again.
    const fresh = await requestCode(phone.e164);
    expect((await verify(phone.e164, fresh.code)).statusCode).toBe(200);
  });

  it('lets no burst of parallel guesses get past the attempt limit', async () => {
    const phone = nextPhone();
    const { code } = await requestCode(phone.e164);
    const guesses = Array.from({ length: 30 }, (_, i) => String(i).padStart(6, '0')).filter((g) => g !== code);
    const results = await Promise.all(guesses.map((g) => verify(phone.e164, g)));
    expect(results.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    expect(results.some((r) => r.statusCode === 429)).toBe(true);
    expectError(await verify(phone.e164, code), 401, 'ERR_OTP_INVALID');
  });
});

describe('staff: username and password', () => {
  it('signs staff in with the right password, ignoring the case and spaces around the username', async () => {
    const res = await login(`  ${head.username.toUpperCase()} `, STAFF_PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const { token, expiresAt } = res.json<{ token: string; expiresAt: string }>();
    expect(token).toMatch(/^tyt_/);
    expect(new Date(expiresAt).getTime()).toBe(t.clock.now().getTime() + t.platform.config.TOKEN_TTL_HOURS * 3_600_000);
    expect((await me(bearer(token))).json()).toMatchObject({ type: 'staff', userId: head.id });
  });

  it('answers a wrong password, an unknown user and a disabled account with the same 401 ERR_INVALID_CREDENTIALS', async () => {
    const disabled = await staff('executor', 'kz.processing_centre');
    expect((await me(bearer(disabled.token))).statusCode).toBe(200);
    await t.platform.db.query('UPDATE users SET disabled = true WHERE id = $1', [disabled.id]);
    // A disabled account's tokens stop working at once, not when they expire.
    expectError(await me(bearer(disabled.token)), 401, 'ERR_INVALID_TOKEN');
    const answers = [
      await login(head.username, 'wrong password'),
      await login(head.username, `${STAFF_PASSWORD} `),
      await login(head.username, STAFF_PASSWORD.toUpperCase()),
      await login('nobody.at.all', STAFF_PASSWORD),
      await login(disabled.username, STAFF_PASSWORD),
    ];
    const bodies = answers.map((res) => expectError(res, 401, 'ERR_INVALID_CREDENTIALS'));
    // Nothing in the answer tells which of the three it was.
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });

  it('compares passwords in one Unicode normal form', async () => {
    const username = 'unicode.password.user';
    const password = 'Пароль-café-Қазақстан';
    await createStaffAccount(t.platform.identity, { username, password, displayName: 'U', role: 'executor', organisationId: 'kz.processing_centre' });
    expect((await login(username, password.normalize('NFD'))).statusCode).toBe(200);
    expect((await login(username, password.normalize('NFC'))).statusCode).toBe(200);
  });
});

describe('tokens', () => {
  it('expires a token after TOKEN_TTL_HOURS with 401 ERR_INVALID_TOKEN', async () => {
    const ttl = t.platform.config.TOKEN_TTL_HOURS * 3_600_000;
    const start = t.clock.now();
    const staffToken = (await login(head.username, STAFF_PASSWORD)).json<{ token: string }>().token;
    const phone = nextPhone();
    const citizen = (await verify(phone.e164, (await requestCode(phone.e164)).code)).json<{ token: string }>().token;
    try {
      t.clock.advance(ttl - 1000);
      expect((await me(bearer(staffToken))).statusCode).toBe(200);
      expect((await me(bearer(citizen))).statusCode).toBe(200);
      t.clock.advance(1000);
      expectError(await me(bearer(staffToken)), 401, 'ERR_INVALID_TOKEN');
      expectError(await me(bearer(citizen)), 401, 'ERR_INVALID_TOKEN');
      // Signing in again gives a working token.
      const again = await login(head.username, STAFF_PASSWORD);
      expect((await me(bearer(again.json<{ token: string }>().token))).statusCode).toBe(200);
    } finally {
      // Back to the start, so the shared accounts' tokens stay valid for the tests after this one.
      t.clock.set(start);
    }
  });

  it('revokes the token on logout, and only that token', async () => {
    const first = (await login(head.username, STAFF_PASSWORD)).json<{ token: string }>().token;
    const second = (await login(head.username, STAFF_PASSWORD)).json<{ token: string }>().token;
    const out = await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(first) });
    expect(out.statusCode, out.body).toBe(204);
    expectError(await me(bearer(first)), 401, 'ERR_INVALID_TOKEN');
    expectError(await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(first) }), 401, 'ERR_INVALID_TOKEN');
    expect((await me(bearer(second))).statusCode).toBe(200);
    expect((await me(bearer(head.token))).statusCode).toBe(200);
  });

  it('revokes a citizen token on logout', async () => {
    const phone = nextPhone();
    const token = (await verify(phone.e164, (await requestCode(phone.e164)).code)).json<{ token: string }>().token;
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
    expectError(await me(bearer(token)), 401, 'ERR_INVALID_TOKEN');
  });

  it('refuses logout without a token with 401 ERR_UNAUTHENTICATED', async () => {
    expectError(await t.request({ method: 'POST', url: '/api/v1/auth/logout' }), 401, 'ERR_UNAUTHENTICATED');
  });
});

describe('/me for each kind of principal', () => {
  it('describes a citizen', async () => {
    const phone = nextPhone();
    const token = (await verify(phone.e164, (await requestCode(phone.e164)).code)).json<{ token: string }>().token;
    const res = await me(bearer(token));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ type: 'citizen', userId: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'applicant', organisationId: null, email: null, language: 'kk' });
  });

  it('describes staff', async () => {
    expect((await me(bearer(head.token))).json()).toEqual({ type: 'staff', userId: head.id, role: 'head', organisationId: 'kz.processing_centre', email: null, language: 'kk' });
    expect((await me(bearer(registrar.token))).json()).toEqual({ type: 'staff', userId: registrar.id, role: 'registrar', organisationId: 'kz.processing_centre', email: null, language: 'kk' });
  });

  it('describes the holder of a tracking code', async () => {
    const receipt = await submitCase(t);
    secrets.add(receipt.trackingCode!);
    const res = await me({ 'x-tracking-code': receipt.trackingCode! });
    expect(res.json()).toEqual({ type: 'tracking', userId: null, role: 'applicant', organisationId: null, email: null, language: null });
  });

  it('describes a machine client', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/admin/api-keys',
      headers: bearer(admin.token),
      payload: { name: 'me-test', role: 'analyst', organisationId: 'kz.processing_centre' },
    });
    const { id, key } = created.json<{ id: string; key: string }>();
    secrets.add(key);
    expect((await me(bearer(key))).json()).toEqual({ type: 'machine', userId: id, role: 'analyst', organisationId: 'kz.processing_centre', email: null, language: null });
  });

  it('refuses the public with 401 ERR_UNAUTHENTICATED', async () => {
    expectError(await me({}), 401, 'ERR_UNAUTHENTICATED');
  });
});

describe('API keys', () => {
  const input = { name: 'ЦОН importer', role: 'registrar', organisationId: 'kz.processing_centre' };
  const create = (headers: Record<string, string>, payload: Record<string, unknown> = input) =>
    t.request({ method: 'POST', url: '/api/v1/admin/api-keys', headers, payload });

  it('lets an admin create a key, shown once, that signs a machine client in, until it is revoked', async () => {
    const created = await create(bearer(admin.token));
    expect(created.statusCode, created.body).toBe(201);
    const { id, key, ...rest } = created.json<{ id: string; key: string; name: string; role: string; organisationId: string }>();
    secrets.add(key);
    expect(key).toMatch(/^tyk_[\w-]{40,}$/);
    expect(rest).toEqual(input);

    const who = await me(bearer(key));
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({ type: 'machine', userId: id, role: 'registrar', organisationId: 'kz.processing_centre', email: null, language: null });
    const list = await t.request({ method: 'GET', url: '/api/v1/cases', headers: bearer(key) });
    expect(list.statusCode, list.body).toBe(200);

    const revoked = await t.request({ method: 'DELETE', url: `/api/v1/admin/api-keys/${id}`, headers: bearer(admin.token) });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expectError(await me(bearer(key)), 401, 'ERR_INVALID_TOKEN');
    expectError(await t.request({ method: 'GET', url: '/api/v1/cases', headers: bearer(key) }), 401, 'ERR_INVALID_TOKEN');
    // Revoking twice is refused; the key stays revoked.
    expectError(await t.request({ method: 'DELETE', url: `/api/v1/admin/api-keys/${id}`, headers: bearer(admin.token) }), 404, 'ERR_API_KEY_NOT_FOUND');
    // Signing out is for sessions: a key is not signed out, it is revoked by an admin.
    const fresh = (await create(bearer(admin.token))).json<{ key: string }>();
    secrets.add(fresh.key);
    expectError(await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(fresh.key) }), 400, 'ERR_NOT_A_SESSION');
    expect((await me(bearer(fresh.key))).statusCode).toBe(200);
    expectError(await me(bearer(key)), 401, 'ERR_INVALID_TOKEN');
  });

  it('gives a different key each time', async () => {
    const a = (await create(bearer(admin.token))).json<{ key: string; id: string }>();
    const b = (await create(bearer(admin.token))).json<{ key: string; id: string }>();
    secrets.add(a.key).add(b.key);
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
  });

  it('refuses non-admins with 403 ERR_FORBIDDEN, machines included, and the public with 401', async () => {
    const machine = (await create(bearer(admin.token))).json<{ key: string; id: string }>();
    secrets.add(machine.key);
    for (const other of [head, registrar]) {
      expectError(await create(bearer(other.token)), 403, 'ERR_FORBIDDEN');
      expectError(await t.request({ method: 'DELETE', url: `/api/v1/admin/api-keys/${machine.id}`, headers: bearer(other.token) }), 403, 'ERR_FORBIDDEN');
    }
    const phone = nextPhone();
    const citizen = (await verify(phone.e164, (await requestCode(phone.e164)).code)).json<{ token: string }>().token;
    expectError(await create(bearer(citizen)), 403, 'ERR_FORBIDDEN');
    expectError(await create(bearer(machine.key)), 403, 'ERR_FORBIDDEN');
    expectError(await create({}), 401, 'ERR_UNAUTHENTICATED');
    // The key refused to revoke is still valid.
    expect((await me(bearer(machine.key))).statusCode).toBe(200);
  });

  it('refuses an admin role, an unknown role or organisation, and a bad id', async () => {
    expectError(await create(bearer(admin.token), { ...input, role: 'admin' }), 400, 'ERR_VALIDATION');
    expectError(await create(bearer(admin.token), { ...input, role: 'superuser' }), 400, 'ERR_VALIDATION');
    expectError(await create(bearer(admin.token), { ...input, organisationId: 'kz.nowhere' }), 400, 'ERR_UNKNOWN_ORGANISATION');
    // A key never sees more than its maker: an admin of the processing centre cannot make one for an akimat.
    expectError(await create(bearer(admin.token), { ...input, organisationId: 'astana.akimat' }), 403, 'ERR_FORBIDDEN');
    expectError(await create(bearer(admin.token), { ...input, name: '' }), 400, 'ERR_VALIDATION');
    expectError(await t.request({ method: 'DELETE', url: '/api/v1/admin/api-keys/not-a-uuid', headers: bearer(admin.token) }), 400, 'ERR_VALIDATION');
  });
});

describe('PATCH /me: contact details', () => {
  const patch = (headers: Record<string, string>, payload: Record<string, unknown>) => t.request({ method: 'PATCH', url: '/api/v1/me', headers, payload });

  it('lets a citizen set an e-mail address and a language, shown by GET /me, and clear the address', async () => {
    const phone = nextPhone();
    const token = (await verify(phone.e164, (await requestCode(phone.e164)).code)).json<{ token: string }>().token;
    const email = 'aigerim.patch-test@example.kz';
    secrets.add(email);
    const set = await patch(bearer(token), { email, language: 'ru' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ type: 'citizen', role: 'applicant', email, language: 'ru' });
    expect((await me(bearer(token))).json()).toMatchObject({ email, language: 'ru' });
    // Only what is given changes.
    expect((await patch(bearer(token), { language: 'en' })).json()).toMatchObject({ email, language: 'en' });
    expect((await patch(bearer(token), { email: null })).json()).toMatchObject({ email: null, language: 'en' });
    expect((await me(bearer(token))).json()).toMatchObject({ email: null, language: 'en' });
  });

  it('lets staff set theirs', async () => {
    const executor = await staff('executor', 'kz.processing_centre');
    const email = 'executor.patch-test@gov.example.kz';
    secrets.add(email);
    expect((await patch(bearer(executor.token), { email })).json()).toMatchObject({ type: 'staff', userId: executor.id, email, language: 'kk' });
  });

  it('refuses a bad address, an unknown language, unknown fields and an empty body with 400 ERR_VALIDATION', async () => {
    const phone = nextPhone();
    const token = (await verify(phone.e164, (await requestCode(phone.e164)).code)).json<{ token: string }>().token;
    for (const body of [{ email: 'not-an-address' }, { email: '' }, { language: 'de' }, { phone: '+77010000000' }, {}]) {
      expectError(await patch(bearer(token), body), 400, 'ERR_VALIDATION');
    }
    expect((await me(bearer(token))).json()).toMatchObject({ email: null, language: 'kk' });
  });

  it('refuses the public (401), a tracking-code holder and a machine client (403)', async () => {
    expectError(await patch({}, { language: 'ru' }), 401, 'ERR_UNAUTHENTICATED');
    const receipt = await submitCase(t);
    secrets.add(receipt.trackingCode!);
    expectError(await patch({ 'x-tracking-code': receipt.trackingCode! }, { language: 'ru' }), 403, 'ERR_FORBIDDEN');
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/admin/api-keys',
      headers: bearer(admin.token),
      payload: { name: 'patch-me-test', role: 'analyst', organisationId: 'kz.processing_centre' },
    });
    const { key } = created.json<{ key: string }>();
    secrets.add(key);
    expectError(await patch(bearer(key), { language: 'ru' }), 403, 'ERR_FORBIDDEN');
  });
});

describe('secrets at rest', () => {
  it('stores only the SHA-256 of session tokens', async () => {
    const { rows } = await t.platform.db.query<{ token_hash: string }>('SELECT token_hash FROM access_tokens');
    expect(rows.length).toBeGreaterThan(0);
    const hashes = rows.map((r) => r.token_hash);
    expect(hashes).toContain(sha256(head.token));
    for (const hash of hashes) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash.startsWith('tyt_')).toBe(false);
    }
    const tokens = [...secrets].filter((s) => s.startsWith('tyt_'));
    expect(tokens.length).toBeGreaterThan(5);
    for (const token of tokens) expect(hashes).not.toContain(token);
  });

  it('stores only the SHA-256 of API keys', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/admin/api-keys',
      headers: bearer(admin.token),
      payload: { name: 'hash-test', role: 'analyst', organisationId: 'kz.processing_centre' },
    });
    const { id, key } = created.json<{ id: string; key: string }>();
    secrets.add(key);
    const { rows } = await t.platform.db.query<{ key_hash: string; row: string }>('SELECT key_hash, row_to_json(k)::text AS row FROM api_keys k WHERE id = $1', [id]);
    expect(rows[0]!.key_hash).not.toBe(key);
    expect(rows[0]!.key_hash).toBe(sha256(key));
    expect(rows[0]!.row).not.toContain(key);
    expect(rows[0]!.row).not.toContain(key.slice(4));
  });

  it('stores passwords as salted scrypt hashes', async () => {
    // Through the real account command (the test helper shares one hash to save time).
    const make = (username: string) => createStaffAccount(t.platform.identity, { username, password: STAFF_PASSWORD, displayName: username, role: 'executor', organisationId: 'kz.processing_centre' });
    const [a, b] = [{ id: await make('salt.a') }, { id: await make('salt.b') }];
    const { rows } = await t.platform.db.query<{ id: string; password_hash: string }>('SELECT id, password_hash FROM users WHERE id = ANY($1::uuid[])', [[a.id, b.id]]);
    expect(rows).toHaveLength(2);
    for (const { password_hash } of rows) {
      expect(password_hash.startsWith('scrypt$')).toBe(true);
      expect(password_hash).not.toContain(STAFF_PASSWORD);
    }
    // Same password, different salt: different hashes.
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  it('stores one-time codes only as hashes', async () => {
    const phone = nextPhone();
    const { code } = await requestCode(phone.e164);
    const { rows } = await t.platform.db.query<{ code_hash: string }>('SELECT code_hash FROM one_time_codes WHERE phone = $1', [phone.e164]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hash).not.toBe(code);
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    // Bound to the phone: the bare hash of a six-digit code would be a lookup table away.
    expect(rows[0]!.code_hash).not.toBe(sha256(code));
  });

  it('stores tracking codes only as hashes', async () => {
    const receipt = await submitCase(t);
    secrets.add(receipt.trackingCode!);
    const { rows } = await t.platform.db.query<{ row: string }>('SELECT row_to_json(c)::text AS row FROM cases c WHERE id = $1', [receipt.caseId]);
    expect(rows[0]!.row).not.toContain(receipt.trackingCode!);
    expect(rows[0]!.row).not.toContain(receipt.trackingCode!.replace(/-/g, ''));
  });
});

describe('logs', () => {
  it('censors phone, text, password, token and tracking code wherever they sit in a log entry', () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger({ LOG_LEVEL: 'info' }, stream);
    const personal = {
      phone: '+77015559911',
      text: 'Мой сосед бьёт жену',
      password: 'hunter2-secret',
      token: 'tyt_secretsecretsecret',
      trackingCode: 'ABCD-EFGH-JKLM-NPQR-STUV',
      applicantPhone: '+77015559922',
    };
    logger.info(personal, 'top level');
    logger.info({ body: personal }, 'one level down');
    logger.info({ req: { body: personal } }, 'two levels down');
    logger.info({ req: { headers: { authorization: `Bearer ${personal.token}`, 'x-tracking-code': personal.trackingCode, cookie: 'session=secret-cookie' } } }, 'headers');
    logger.child({ phone: personal.phone }).info('child bindings');
    expect(lines).toHaveLength(5);
    const output = lines.join('');
    for (const value of [...Object.values(personal), 'secret-cookie']) expect(output).not.toContain(value);
    expect(output).toContain('[redacted]');
    // The shape survives: only the values are censored.
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'top level', phone: '[redacted]', text: '[redacted]' });
  });

  it('never wrote a phone number, code, password, token, tracking code or case text while serving this file', () => {
    expect(logged.length).toBeGreaterThan(1000);
    expect(logged).toContain('"url":"/api/v1/auth/code/verify"');
    expect(secrets.size).toBeGreaterThan(40);
    for (const secret of secrets) {
      // Six-digit codes are searched as JSON values, since six digits can occur inside timestamps.
      const needle = /^\d{6}$/.test(secret) ? `"${secret}"` : secret;
      expect(logged.includes(needle), `the log contains ${secret.slice(0, 8)}…`).toBe(false);
    }
  });
});
