import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue, type ErrorCode } from '../../src/core/errors.ts';
import { statusOf } from '../../src/http/plugins/errors.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase, type SubmittedCase } from '../support/factories.ts';

/**
 * Every bad input gets a 4xx with a stable code and the error envelope, never a 500; hostile strings
 * are stored and returned safely; and nothing accepted before the bad requests is lost.
 */

const TEXT_MAX_CHARS = 200;
const CASES = '/api/v1/cases';
const GOOD = { channel: 'city', text: 'Во дворе дома 12 по улице Кенесары не горят фонари уже неделю', category: 'roads.lighting', districtId: 'astana.esil' };

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

interface CaseBody {
  id: string;
  registrationNumber: string;
  text: string | null;
  address: string | null;
  city: string | null;
}

let t: TestApp;
/** Every case id a 201 from POST /cases answered with, in this file. */
const accepted = new Set<string>();
/** The good cases submitted before any bad request. */
let good: { receipt: SubmittedCase; text: string; headers: Record<string, string> }[] = [];
let citizenToken: string;

/** Every answer in this file: its status and, for errors, its code. */
const answers: { url: string; status: number; code: string | null }[] = [];

async function send(o: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await t.request(o);
  const code = res.statusCode >= 400 ? (res.json<Partial<ErrorBody>>().error?.code ?? null) : null;
  answers.push({ url: String(o.url), status: res.statusCode, code });
  if (res.statusCode === 201 && o.method === 'POST' && o.url === CASES) accepted.add(res.json<{ caseId: string }>().caseId);
  return res;
}

const post = (payload: unknown, headers: Record<string, string> = {}) => send({ method: 'POST', url: CASES, headers, payload: payload as InjectOptions['payload'] });
/** Sends a body exactly as given, as application/json unless told otherwise. */
const postRaw = (body: string, contentType = 'application/json', url = CASES) => send({ method: 'POST', url, headers: { 'content-type': contentType }, payload: body });

function expectError(res: LightMyRequestResponse, status: number, code: ErrorCode): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(statusOf(code)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json<ErrorBody>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.details === null || typeof body.error.details === 'object').toBe(true);
  // No stack traces or internals leak into an error.
  expect(res.body).not.toMatch(/\bat .+\.ts:\d+|node_modules/);
  return body;
}

const expectValidation = (res: LightMyRequestResponse) => expectError(res, 400, 'ERR_VALIDATION');

beforeAll(async () => {
  t = await buildTestApp({ config: { TEXT_MAX_CHARS } });
  citizenToken = (await t.citizen('+77017770001')).token;
  const citizen = bearer(citizenToken);
  const submissions: [Record<string, unknown>, Record<string, string>][] = [
    [{}, {}],
    [{ category: 'utilities.heating', location: POINTS.astanaEsil, districtId: undefined, text: 'Холодные батареи в квартире 5' }, {}],
    [{ channel: 'appeal', category: 'social.benefits', districtId: undefined, text: 'Прошу пересчитать пособие на ребёнка' }, citizen],
  ];
  good = [];
  for (const [body, headers] of submissions) {
    const receipt = await submitCase(t, body, headers);
    accepted.add(receipt.caseId);
    const access = receipt.trackingCode ? { 'x-tracking-code': receipt.trackingCode } : citizen;
    good.push({ receipt, text: (body['text'] as string | undefined) ?? GOOD.text, headers: access });
  }
});
afterAll(async () => t.close());

describe('bodies that are not a JSON object', () => {
  it.each([
    ['truncated', '{"channel": "city", "text": '],
    ['unquoted keys', '{channel: "city", text: "x"}'],
    ['single quotes', "{'channel': 'city'}"],
    ['trailing garbage', '{"channel": "city"}}'],
    ['trailing comma', '{"channel": "city",}'],
    ['NaN literal', '{"channel": "city", "text": "x", "location": {"lat": NaN, "lon": 0}}'],
    ['a bare word', 'hello'],
    ['prototype poisoning', '{"channel": "city", "text": "Сломана скамейка", "__proto__": {"admin": true}}'],
    ['constructor poisoning', '{"channel": "city", "text": "Сломана скамейка", "constructor": {"prototype": {"admin": true}}}'],
  ])('refuses malformed JSON (%s) with ERR_MALFORMED_JSON', async (_name, body) => {
    expectError(await postRaw(body), 400, 'ERR_MALFORMED_JSON');
  });

  it('refuses an empty body declared as JSON with ERR_MALFORMED_JSON', async () => {
    expectError(await postRaw(''), 400, 'ERR_MALFORMED_JSON');
  });

  it('refuses a request with no body at all with ERR_VALIDATION', async () => {
    expectValidation(await send({ method: 'POST', url: CASES }));
  });

  it.each([
    ['an empty object', '{}'],
    ['an array', '[]'],
    ['an array of a submission', JSON.stringify([GOOD])],
    ['a number', '42'],
    ['a string', '"Во дворе не горят фонари"'],
    ['null', 'null'],
    ['a boolean', 'true'],
  ])('refuses %s as the body with ERR_VALIDATION', async (_name, body) => {
    expectValidation(await postRaw(body));
  });

  it.each([
    ['text/plain', JSON.stringify(GOOD)],
    ['text/plain; charset=utf-8', 'Во дворе не горят фонари'],
    ['application/xml', '<case><channel>city</channel><text>x</text></case>'],
    ['text/xml', '<case/>'],
    ['application/x-www-form-urlencoded', 'channel=city&text=hello'],
    ['text/html', '<script>alert(1)</script>'],
  ])('refuses Content-Type %s with 415 ERR_UNSUPPORTED_MEDIA_TYPE', async (contentType, body) => {
    expectError(await postRaw(body, contentType), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await postRaw(JSON.stringify(GOOD), 'application/json; charset=utf-8');
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses a 10 MB text with 413 ERR_BODY_TOO_LARGE', async () => {
    expectError(await post({ ...GOOD, text: 'я'.repeat(10 * 1024 * 1024) }), 413, 'ERR_BODY_TOO_LARGE');
  });
});

describe('fields of the wrong type are refused, never coerced', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['text as a number', { text: 12345 }, '/text'],
    ['text as null', { text: null }, '/text'],
    ['text as an array', { text: ['Во дворе', 'не горят фонари'] }, '/text'],
    ['text as an object', { text: { ru: 'фонари' } }, '/text'],
    ['channel as a number', { channel: 1 }, '/channel'],
    ['location.lat as a numeric string', { location: { lat: '43.2', lon: 76.9 } }, '/location/lat'],
    ['location.lon as a numeric string', { location: { lat: 43.2, lon: '76.9' } }, '/location/lon'],
    ['location as an array', { location: [43.2, 76.9] }, '/location'],
    ['location as a string', { location: '43.2,76.9' }, '/location'],
    ['location without lon', { location: { lat: 43.2 } }, '/location'],
    ['confidential as a string', { confidential: 'true' }, '/confidential'],
    ['confidential as a number', { confidential: 1 }, '/confidential'],
    ['category as a number', { category: 42 }, '/category'],
    ['districtId as a boolean', { districtId: true }, '/districtId'],
    ['urgency in the wrong case', { urgency: 'URGENT' }, '/urgency'],
    ['kind not in the list', { kind: 'demand' }, '/kind'],
    ['language not in the list', { language: 'de' }, '/language'],
  ])('refuses %s with ERR_VALIDATION', async (_name, override, path) => {
    const body = expectValidation(await post({ ...GOOD, ...override }));
    expect(JSON.stringify(body.error.details)).toContain(path);
  });

  it('refuses a missing required field', async () => {
    expectValidation(await post({ channel: 'city' }));
    expectValidation(await post({ text: GOOD.text }));
  });

  it('refuses an unknown channel with ERR_VALIDATION naming the field', async () => {
    for (const channel of ['email', 'CITY', '', 'city ']) {
      const body = expectValidation(await post({ ...GOOD, channel }));
      expect(JSON.stringify(body.error.details)).toContain('/channel');
    }
  });

  it('refuses unknown fields (top level and nested) instead of dropping them', async () => {
    expectValidation(await post({ ...GOOD, priority: 'high' }));
    expectValidation(await post({ ...GOOD, anonymous: false }));
    expectValidation(await post({ ...GOOD, location: { ...POINTS.astanaEsil, alt: 350 } }));
    expectValidation(await send({ method: 'POST', url: '/api/v1/auth/code', payload: { phone: '+77011234567', code: '000000' } }));
  });
});

describe('text', () => {
  it('accepts a text of exactly TEXT_MAX_CHARS characters, counted after normalisation', async () => {
    const res = await post({ ...GOOD, text: `  ${'я'.repeat(TEXT_MAX_CHARS)}   \n\n ` });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses a text one character over TEXT_MAX_CHARS with ERR_TEXT_TOO_LONG', async () => {
    const body = expectError(await post({ ...GOOD, text: 'я'.repeat(TEXT_MAX_CHARS + 1) }), 400, 'ERR_TEXT_TOO_LONG');
    expect(body.error.details).toMatchObject({ maxChars: TEXT_MAX_CHARS, chars: TEXT_MAX_CHARS + 1 });
  });

  it('refuses an empty string with ERR_VALIDATION', async () => {
    expectValidation(await post({ ...GOOD, text: '' }));
  });

  it.each([
    ['spaces', '     '],
    ['whitespace of every kind', ' \t\n\r\n\u00A0 \n\n\t '],
    ['control characters', '\u0000\u0001\u0007\u001B\u007F\u0085'],
    ['zero-width and bidi characters', '\u200B\u200C\u200D\u202E\u2066\uFEFF'],
    ['a mix', ' \u0000 \t\u202E\n\u200B '],
  ])('refuses a text of only %s with ERR_TEXT_EMPTY', async (_name, text) => {
    expectError(await post({ ...GOOD, text }), 400, 'ERR_TEXT_EMPTY');
  });
});

describe('places and reference codes', () => {
  it.each<[string, unknown]>([
    ['lat 91', { lat: 91, lon: 76.9 }],
    ['lat -90.000001', { lat: -90.000001, lon: 76.9 }],
    ['lon -181', { lat: 43.2, lon: -181 }],
    ['lon 180.5', { lat: 43.2, lon: 180.5 }],
    ['lat 1e308', { lat: 1e308, lon: 0 }],
  ])('refuses an invalid location (%s) with ERR_VALIDATION', async (_name, location) => {
    const body = expectValidation(await post({ ...GOOD, districtId: undefined, location }));
    expect(JSON.stringify(body.error.details)).toContain('/location/');
  });

  it.each([
    ['lat 1e400 (Infinity after parsing)', '{"lat": 1e400, "lon": 76.9}'],
    ['lat -1e400 (-Infinity after parsing)', '{"lat": -1e400, "lon": 76.9}'],
    ['lon 1e400', '{"lat": 43.2, "lon": 1e400}'],
  ])('refuses %s with ERR_VALIDATION', async (_name, location) => {
    const raw = `{"channel": "city", "text": "Яма на дороге", "location": ${location}}`;
    expectValidation(await postRaw(raw));
  });

  it('accepts the corners of the map', async () => {
    for (const location of [{ lat: 90, lon: 180 }, { lat: -90, lon: -180 }, { lat: 0, lon: 0 }]) {
      const res = await post({ ...GOOD, districtId: undefined, location });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('refuses an unknown category with ERR_UNKNOWN_CATEGORY', async () => {
    for (const category of ['roads.teleportation', 'ROADS.LIGHTING', 'roads', 'roads.lighting ', "' OR '1'='1"]) {
      const body = expectError(await post({ ...GOOD, category }), 400, 'ERR_UNKNOWN_CATEGORY');
      expect(body.error.details).toEqual({ category });
    }
  });

  it('refuses an unknown district with ERR_UNKNOWN_DISTRICT', async () => {
    for (const districtId of ['astana.atlantis', 'ASTANA.ESIL', 'astana', '../../etc/passwd']) {
      const body = expectError(await post({ ...GOOD, districtId }), 400, 'ERR_UNKNOWN_DISTRICT');
      expect(body.error.details).toEqual({ districtId });
    }
  });
});

describe('phones', () => {
  it.each(['12345', '+1 212 555 0100', '+7 701 234 56 78 9', '8 800 555 35 35', 'abc', '+7 701 234 56 7x', '٠٧٠١٢٣٤٥٦٧٨'])(
    'refuses %j in /auth/code with ERR_INVALID_PHONE, without echoing the number',
    async (phone) => {
      const body = expectError(await send({ method: 'POST', url: '/api/v1/auth/code', payload: { phone } }), 400, 'ERR_INVALID_PHONE');
      const shown = (body.error.details as { phone?: string } | null)?.phone;
      if (phone.length > 4) expect(shown).not.toBe(phone);
    },
  );

  it('refuses a phone of the wrong type or length in /auth/code with ERR_VALIDATION', async () => {
    expectValidation(await send({ method: 'POST', url: '/api/v1/auth/code', payload: { phone: 77011234567 } }));
    expectValidation(await send({ method: 'POST', url: '/api/v1/auth/code', payload: { phone: '' } }));
    expectValidation(await send({ method: 'POST', url: '/api/v1/auth/code', payload: { phone: '7'.repeat(33) } }));
    expectValidation(await send({ method: 'POST', url: '/api/v1/auth/code', payload: {} }));
  });

  it('refuses an invalid phone in /auth/code/verify with ERR_INVALID_PHONE', async () => {
    expectError(await send({ method: 'POST', url: '/api/v1/auth/code/verify', payload: { phone: 'not a phone', code: '123456' } }), 400, 'ERR_INVALID_PHONE');
  });

  it('refuses an invalid applicant phone from a registrar with ERR_INVALID_PHONE, and registers no case', async () => {
    const registrar = await t.staff('registrar', 'kz.processing_centre');
    const before = accepted.size;
    const payload = { channel: 'appeal', text: 'Прошу выплатить пособие', category: 'social.benefits', applicantPhone: 'not a phone' };
    expectError(await post(payload, bearer(registrar.token)), 400, 'ERR_INVALID_PHONE');
    expect(accepted.size).toBe(before);
  });
});

describe('paths, routes and query strings', () => {
  it.each([
    ['not-a-uuid'],
    ['123'],
    ['00000000-0000-0000-0000-00000000000g'],
    ['00000000000000000000000000000000'],
    ['{00000000-0000-0000-0000-000000000000}'],
    ['urn:uuid:00000000-0000-0000-0000-000000000000'],
    ["'%20OR%201=1%20--"],
    ['%00'],
    ['..%2F..%2Fadmin'],
  ])('refuses the case id %j with ERR_VALIDATION', async (id) => {
    expectValidation(await send({ method: 'GET', url: `${CASES}/${id}`, headers: bearer(citizenToken) }));
    expectValidation(await send({ method: 'GET', url: `${CASES}/${id}/events`, headers: bearer(citizenToken) }));
  });

  it('refuses an over-long path parameter with the envelope, not a bare Fastify error', async () => {
    expectValidation(await send({ method: 'GET', url: `${CASES}/${'a'.repeat(300)}`, headers: bearer(citizenToken) }));
  });

  it('refuses a malformed percent-encoding in the path with the envelope', async () => {
    expectValidation(await send({ method: 'GET', url: `${CASES}/%E0%A4%A`, headers: bearer(citizenToken) }));
  });

  it('answers a well-formed id of no case with 404 ERR_CASE_NOT_FOUND', async () => {
    expectError(await send({ method: 'GET', url: `${CASES}/00000000-0000-4000-8000-000000000000`, headers: bearer(citizenToken) }), 404, 'ERR_CASE_NOT_FOUND');
  });

  it.each([
    ['GET', '/api/v1/nope'],
    ['GET', '/api/v2/cases'],
    ['POST', '/api/v1/case'],
    ['DELETE', '/api/v1/cases'],
    ['PUT', '/api/v1/cases'],
    ['GET', '/api/v1/<script>alert(1)</script>'],
    ['GET', '/etc/passwd'],
  ])('answers %s %s with 404 ERR_ROUTE_NOT_FOUND', async (method, url) => {
    expectError(await send({ method: method as InjectOptions['method'], url, payload: method === 'GET' ? undefined : {} }), 404, 'ERR_ROUTE_NOT_FOUND');
  });

  it.each([
    ['garbage'],
    ['%25%25%25'],
    [Buffer.from('{"a":1}').toString('base64url')],
    [Buffer.from('["not a date","00000000-0000-4000-8000-000000000000"]').toString('base64url')],
    [Buffer.from('["2026-11-25T05:00:00.000Z","not-a-uuid"]').toString('base64url')],
    [Buffer.from('["2026-11-25T05:00:00.000Z"]').toString('base64url')],
    [Buffer.from('["0000-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')],
    [Buffer.from('["+275760-09-13T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')],
    ['%00'],
  ])('refuses the cursor %j with ERR_INVALID_CURSOR', async (cursor) => {
    expectError(await send({ method: 'GET', url: `${CASES}?cursor=${cursor}`, headers: bearer(citizenToken) }), 400, 'ERR_INVALID_CURSOR');
  });

  it.each([
    ['limit=0'],
    ['limit=201'],
    ['limit=ten'],
    ['limit=1.5'],
    ['triage=maybe'],
    ['channel=email'],
    ['stateKind=deleted'],
    ['from=yesterday'],
    ['from=2026-02-30T00:00:00Z'],
    ['from=2026-06-30T23:59:60Z'],
    ['from=0000-01-01T00:00:00Z'],
    ['to=9999-12-31T23:59:59-23:59'],
    ['assigneeId=me'],
    ['sort=created_at'],
    [`cursor=${'a'.repeat(201)}`],
    ['limit=10&limit=20'],
  ])('refuses the query %s with ERR_VALIDATION', async (query) => {
    expectValidation(await send({ method: 'GET', url: `${CASES}?${query}`, headers: bearer(citizenToken) }));
  });

  it.each([['category=a%00b'], ['organisationId=%00'], ['districtId=astana%00.esil']])('refuses a NUL byte in the query %s with ERR_VALIDATION', async (query) => {
    expectValidation(await send({ method: 'GET', url: `${CASES}?${query}`, headers: bearer(citizenToken) }));
  });

  it('refuses a NUL byte where it cannot be cleaned away (a username, an API key name) with ERR_VALIDATION', async () => {
    expectValidation(await send({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin\u0000', password: 'x' } }));
    const admin = await t.staff('admin', 'kz.processing_centre');
    const payload = { name: 'importer\u0000', role: 'registrar', organisationId: 'kz.processing_centre' };
    expectValidation(await send({ method: 'POST', url: '/api/v1/admin/api-keys', headers: bearer(admin.token), payload }));
  });

  it('treats SQL and LIKE wildcards in query values as plain values', async () => {
    const list = async (query: Record<string, string>) => {
      const res = await send({ method: 'GET', url: CASES, query, headers: bearer(citizenToken) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string }[] }>().items.map((c) => c.id);
    };
    const own = good[2]!.receipt.caseId;
    expect(await list({ category: 'social.*' })).toEqual([own]);
    expect(await list({ category: 'social.benefits' })).toEqual([own]);
    for (const category of ["' OR '1'='1", "social.benefits' OR '1'='1", '%', '%.*', '_%.*', 'soc_al.*', 'social%', '\\%.*']) {
      expect(await list({ category }), category).toEqual([]);
    }
    expect(await list({ districtId: "x'; DROP TABLE cases; --" })).toEqual([]);
    expect(await list({ organisationId: "kz.processing_centre' OR 1=1 --" })).toEqual([]);
  });
});

describe('headers', () => {
  it.each([
    ['too short', 'short'],
    ['seven characters', '1234567'],
    ['too long', 'k'.repeat(129)],
    ['empty', ''],
    ['with a space', 'retry key 0001'],
    ['non-ASCII (Cyrillic)', 'ключ-идемпотентности'],
    ['non-ASCII (Latin-1)', 'idempotency-clé-0001'],
  ])('refuses an Idempotency-Key that is %s with ERR_IDEMPOTENCY_KEY_INVALID, and registers no case', async (_name, key) => {
    const before = accepted.size;
    expectError(await post(GOOD, { 'idempotency-key': key }), 400, 'ERR_IDEMPOTENCY_KEY_INVALID');
    expect(accepted.size).toBe(before);
  });

  it('accepts Idempotency-Keys of exactly 8 and 128 visible ASCII characters', async () => {
    for (const key of ['12345678', `~${'k'.repeat(126)}!`]) {
      const res = await post(GOOD, { 'idempotency-key': key });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('refuses an Idempotency-Key reused with a different body with ERR_IDEMPOTENCY_KEY_REUSED', async () => {
    const headers = { 'idempotency-key': 'reuse-key-0000001' };
    const first = await post({ ...GOOD, districtId: undefined, location: POINTS.astanaEsil }, headers);
    expect(first.statusCode, first.body).toBe(201);
    expectError(await post({ ...GOOD, districtId: undefined, text: 'Совсем другой текст' }, headers), 422, 'ERR_IDEMPOTENCY_KEY_REUSED');
    // A different place is a different submission, even when everything else is the same.
    expectError(await post({ ...GOOD, districtId: undefined, location: POINTS.almatyBostandyk }, headers), 422, 'ERR_IDEMPOTENCY_KEY_REUSED');
  });

  it.each([
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ['a bare Bearer', 'Bearer'],
    ['Bearer and a space', 'Bearer '],
    ['two words', 'Bearer abc def'],
    ['an unknown session token', 'Bearer tyt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an unknown API key', 'Bearer tyk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a lower-case scheme and garbage', 'bearer garbage'],
    ['an over-long token', `Bearer ${'x'.repeat(600)}`],
    ['SQL', "Bearer '--"],
    ['a token alone', 'tyt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses an Authorization header with %s with 401 ERR_INVALID_TOKEN, never falling back to anonymous', async (_name, authorization) => {
    const before = accepted.size;
    expectError(await post(GOOD, { authorization }), 401, 'ERR_INVALID_TOKEN');
    expectError(await send({ method: 'GET', url: '/api/v1/me', headers: { authorization } }), 401, 'ERR_INVALID_TOKEN');
    expect(accepted.size).toBe(before);
  });

  it.each([
    ['garbage', 'garbage'],
    ['a well-formed code of no case', '0000-0000-0000-0000-0000'],
    ['an over-long code', 'A'.repeat(65)],
    ['SQL', "' OR 1=1 --"],
    ['Latin-1', 'ÿÿÿÿ-ÿÿÿÿ'],
  ])('refuses an X-Tracking-Code that is %s with 401 ERR_INVALID_TRACKING_CODE', async (_name, code) => {
    const headers = { 'x-tracking-code': code };
    expectError(await send({ method: 'GET', url: '/api/v1/track', headers }), 401, 'ERR_INVALID_TRACKING_CODE');
    expectError(await send({ method: 'GET', url: `${CASES}/${good[0]!.receipt.caseId}`, headers }), 401, 'ERR_INVALID_TRACKING_CODE');
  });

  it('refuses /track without a code with ERR_VALIDATION', async () => {
    expectValidation(await send({ method: 'GET', url: '/api/v1/track' }));
    expectValidation(await send({ method: 'GET', url: '/api/v1/track', headers: { 'x-tracking-code': '' } }));
  });

  it("does not open another case with one case's tracking code", async () => {
    const [first, second] = good;
    const res = await send({ method: 'GET', url: `${CASES}/${second!.receipt.caseId}`, headers: { 'x-tracking-code': first!.receipt.trackingCode! } });
    expectError(res, 404, 'ERR_CASE_NOT_FOUND');
  });
});

describe('workflow actions', () => {
  it.each(['teleport', 'delete', 'constructor', '__proto__', 'to_string', 'approve_everything'])('refuses the unknown action %j with ERR_ACTION_UNKNOWN', async (action) => {
    const { receipt, headers } = good[0]!;
    const body = expectError(await send({ method: 'POST', url: `${CASES}/${receipt.caseId}/actions/${action}`, headers, payload: {} }), 400, 'ERR_ACTION_UNKNOWN');
    expect(body.error.details).toMatchObject({ action });
  });

  it.each(['TELEPORT', 'take-into-work', 'a'.repeat(41), 'take%20into%20work', '%00'])('refuses the malformed action name %j with ERR_VALIDATION', async (action) => {
    const { receipt, headers } = good[0]!;
    expectValidation(await send({ method: 'POST', url: `${CASES}/${receipt.caseId}/actions/${action}`, headers, payload: {} }));
  });

  it('refuses an action body of the wrong shape with ERR_VALIDATION', async () => {
    const { receipt, headers } = good[0]!;
    const url = `${CASES}/${receipt.caseId}/actions/withdraw`;
    expectValidation(await send({ method: 'POST', url, headers, payload: { expectedVersion: '1' } }));
    expectValidation(await send({ method: 'POST', url, headers, payload: { expectedVersion: 0 } }));
    expectValidation(await send({ method: 'POST', url, headers, payload: { force: true } }));
    expectValidation(await send({ method: 'POST', url, headers, payload: { outcome: 'granted' } }));
  });
});

describe('hostile strings', () => {
  const SQL = "'; DROP TABLE cases; --";

  async function submitAndRead(body: Record<string, unknown>): Promise<{ id: string; read: CaseBody; stored: { text: string; address: string | null; city: string | null } }> {
    const res = await post({ channel: 'city', ...body });
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json<{ caseId: string; trackingCode: string }>();
    const read = await send({ method: 'GET', url: `${CASES}/${receipt.caseId}`, headers: { 'x-tracking-code': receipt.trackingCode } });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    const { rows } = await t.platform.db.query<{ text: string; address: string | null; city: string | null }>('SELECT text, address, city FROM cases WHERE id = $1', [receipt.caseId]);
    return { id: receipt.caseId, read: read.json<CaseBody>(), stored: rows[0]! };
  }

  it('stores SQL verbatim as text, and the cases table survives it', async () => {
    const before = await t.platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
    const { read, stored } = await submitAndRead({ text: SQL, address: `ул. Абая 1${SQL}`, city: "x'); DELETE FROM cases; --" });
    expect(read.text).toBe(SQL);
    expect(stored.text).toBe(SQL);
    expect(read.address).toBe(`ул. Абая 1${SQL}`);
    expect(stored.city).toBe("x'); DELETE FROM cases; --");
    const after = await t.platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
  });

  it('returns markup as JSON string data, unchanged', async () => {
    const markup = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
    const { read, stored } = await submitAndRead({ text: markup, address: markup });
    expect(read.text).toBe(markup);
    expect(stored.text).toBe(markup);
    expect(read.address).toBe(markup);
  });

  it('removes bidi overrides, zero-width characters and NUL bytes, keeping the rest', async () => {
    const { read, stored } = await submitAndRead({
      text: 'Счёт\u202E00.001\u202C за воду\u0000 пришёл\u200B дважды',
      address: 'ул.\u0000 Абая\u202E 1',
      city: 'Аста\u0000на\u202E',
    });
    expect(read.text).toBe('Счёт00.001 за воду пришёл дважды');
    expect(stored.text).toBe(read.text);
    expect(read.address).toBe('ул. Абая 1');
    expect(stored.city).toBe('Астана');
  });

  it('keeps 4-byte emoji intact', async () => {
    const text = 'Яма 🚧 на дороге 🔥😡 𝔸𝕤𝕥𝕒𝕟𝕒';
    const { read, stored } = await submitAndRead({ text, address: '🏠 12' });
    expect(read.text).toBe(text);
    expect(stored.text).toBe(text);
    expect(read.address).toBe('🏠 12');
  });

  it('stores lone surrogates as well-formed text', async () => {
    const { read, stored } = await submitAndRead({ text: 'a\uD800b\uDFFFc 🚧 \uD83D', city: 'x\uDC00y' });
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    expect(read.text).not.toMatch(loneSurrogate);
    expect(stored.text).not.toMatch(loneSurrogate);
    expect(read.text).toContain('🚧');
    expect(read.text!.startsWith('a')).toBe(true);
    expect(stored.city).not.toMatch(loneSurrogate);
  });

  it('treats hostile strings in a dialog message as text', async () => {
    const { receipt, headers } = good[0]!;
    const url = `${CASES}/${receipt.caseId}/messages`;
    const posted = await send({ method: 'POST', url, headers, payload: { body: `${SQL} <script>x</script>\u0000 🚧` } });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json<{ body: string }>().body).toBe(`${SQL} <script>x</script> 🚧`);
    expectError(await send({ method: 'POST', url, headers, payload: { body: '\u0000\u202E ' } }), 400, 'ERR_TEXT_EMPTY');
  });
});

describe('nothing accepted is lost', () => {
  it('still has every good case submitted before the bad requests, unchanged', async () => {
    for (const { receipt, text, headers } of good) {
      const res = await send({ method: 'GET', url: `${CASES}/${receipt.caseId}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<CaseBody>()).toMatchObject({ id: receipt.caseId, registrationNumber: receipt.registrationNumber, text });
    }
  });

  it('holds exactly the cases that were accepted: none lost, none created by a refused request', async () => {
    const { rows } = await t.platform.db.query<{ id: string }>('SELECT id FROM cases ORDER BY id');
    expect(rows.map((r) => r.id).sort()).toEqual([...accepted].sort());
    const numbers = await t.platform.db.query<{ n: number }>('SELECT count(DISTINCT registration_number)::int AS n FROM cases');
    expect(numbers.rows[0]!.n).toBe(accepted.size);
  });

  it('never answered any request in this file with a 5xx, nor with a code outside the catalogue', () => {
    expect(answers.length).toBeGreaterThan(100);
    const bad = answers.filter((a) => a.status >= 500 || (a.status >= 400 && !(a.code !== null && a.code in errorCatalogue)));
    expect(bad).toEqual([]);
  });
});
