import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue, type ErrorCode } from '../../src/core/errors.ts';
import { caseKinds, channels, languages, stateKinds, urgencies } from '../../src/core/model.ts';
import { statusOf } from '../../src/http/plugins/errors.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase } from '../support/factories.ts';

/**
 * Property tests over the busiest door. Whatever arrives, the answer is never a 5xx; every refusal
 * carries the error envelope with a catalogued code and that code's status; every acceptance carries a
 * registration number; and every accepted case is really there afterwards.
 */

const CASES = '/api/v1/cases';
const SUBMIT_RUNS = 320;
const LIST_RUNS = 150;

let t: TestApp;
/** Bearer tokens and tracking codes a generated request may pick from. */
const credentials: Record<string, Record<string, string>> = {};
let categories: string[] = [];
let districts: string[] = [];
const accepted = new Map<string, string>();

beforeAll(async () => {
  t = await buildTestApp();
  categories = t.platform.reference.categories.map((c) => c.code);
  districts = t.platform.reference.districts.map((d) => d.id);
  const citizen = await t.citizen('+77019990001');
  const registrar = await t.staff('registrar', 'kz.processing_centre');
  const head = await t.staff('head', 'kz.processing_centre');
  const anonymous = await submitCase(t, { location: POINTS.almatyBostandyk, districtId: undefined });
  credentials['citizen'] = bearer(citizen.token);
  credentials['registrar'] = bearer(registrar.token);
  credentials['head'] = bearer(head.token);
  credentials['tracking'] = { 'x-tracking-code': anonymous.trackingCode! };
  accepted.set(anonymous.caseId, anonymous.registrationNumber);
});
afterAll(async () => t.close());

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The contract every answer keeps, whatever the request. */
function checkAnswer(res: LightMyRequestResponse, request: unknown): void {
  const context = `${res.statusCode} ${res.body.slice(0, 500)}\nfor ${JSON.stringify(request)?.slice(0, 2000)}`;
  expect(res.statusCode, context).toBeLessThan(500);
  if (res.statusCode >= 200 && res.statusCode < 300) return;
  expect(res.headers['content-type'], context).toMatch(/^application\/json/);
  const body = res.json<ErrorBody>();
  expect(Object.keys(body), context).toEqual(['error']);
  expect(Object.keys(body.error ?? {}).sort(), context).toEqual(['code', 'details', 'message']);
  const code = body.error?.code;
  expect(typeof code === 'string' && code in errorCatalogue, context).toBe(true);
  expect(statusOf(code as ErrorCode), context).toBe(res.statusCode);
  expect(typeof body.error?.message, context).toBe('string');
}

// --- Building blocks --------------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const HOSTILE = [
  "'; DROP TABLE cases; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '\u202Egnp.exe',
  'a\u0000b',
  '\u0000',
  '🚧🔥😡',
  '\uD800',
  '\uDFFF\uD800',
  '${7*7}{{7*7}}',
  '../../../etc/passwd',
  '%00%27%22',
  '\\u0000',
  'null',
  '__proto__',
  'constructor',
  ' ',
  '',
  '\r\n\r\n',
  'я'.repeat(5000),
];

/** Strings of every kind: ASCII, any code point, control characters, lone surrogates, known-hostile. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), loneSurrogate) }),
  fc.constantFrom(...HOSTILE),
);

const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

/** Any value at all: mostly of the wrong type for whichever field it lands in. */
const anyValue = fc.oneof(
  anyJson,
  anyString,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
);

/** Plausible value most of the time (so that deep paths run), anything some of the time. */
const mostly = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ arbitrary: plausible, weight: 5 }, { arbitrary: anyValue, weight: 1 });

/** Present once in `inverse` runs, absent (undefined) otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, inverse: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: inverse - 1 }, { arbitrary, weight: 1 });

/** Header values a real HTTP request can carry: Latin-1 without control characters. */
const headerString = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)),
  maxLength: 140,
});
const visibleAscii = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 140 });

const texts = fc.oneof(
  { arbitrary: fc.constantFrom('Во дворе не горят фонари', 'Аулада су жоқ', 'Pothole on Abay avenue', 'Яма 🚧 на дороге'), weight: 3 },
  { arbitrary: fc.string({ minLength: 1, maxLength: 300 }), weight: 2 },
  { arbitrary: anyString, weight: 2 },
);

const phones = fc.oneof(
  fc.constantFrom('+77011234567', '8 701 234 56 78', '+7 (701) 234-56-78', '7012345678', '87019990001'),
  anyString,
);

// --- POST /cases ------------------------------------------------------------------------------------

interface SubmitRequest {
  body: { kind: 'object'; value: Record<string, unknown> } | { kind: 'json'; value: unknown } | { kind: 'raw'; value: string };
  contentType: string | undefined;
  who: string;
  idempotencyKey: string | undefined;
  trackingCode: string | undefined;
  requestId: string | undefined;
}

function submitArbitrary(): fc.Arbitrary<SubmitRequest> {
  const location = fc.oneof(
    { arbitrary: fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }), weight: 3 },
    { arbitrary: fc.record({ lat: fc.double(), lon: fc.double() }), weight: 1 },
    { arbitrary: fc.record({ lat: fc.oneof(fc.double().map(String), anyValue), lon: anyValue }), weight: 1 },
    { arbitrary: fc.constantFrom(POINTS.astanaEsil, POINTS.almatyBostandyk), weight: 2 },
  );
  // Each field: a plausible value, or anything at all.
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    channel: mostly(fc.constantFrom(...channels)),
    text: mostly(texts),
    category: mostly(fc.oneof(fc.constantFrom(...categories), anyString)),
    kind: mostly(fc.constantFrom(...caseKinds)),
    urgency: mostly(fc.constantFrom(...urgencies)),
    language: mostly(fc.constantFrom(...languages)),
    location: mostly(location),
    address: mostly(anyString),
    districtId: mostly(fc.oneof(fc.constantFrom(...districts), anyString)),
    city: mostly(anyString),
    confidential: mostly(fc.boolean()),
    applicantPhone: mostly(phones),
  };
  const anything = fc.record(fields, { requiredKeys: [] });
  // A valid anonymous city report with zero to two fields replaced or added, so that most runs go deep.
  const fieldNames = [...Object.keys(fields), 'extra', '__proto__', 'constructor'];
  const mutation = fc.constantFrom(...fieldNames).chain((name) => fc.tuple(fc.constant(name), Object.hasOwn(fields, name) ? fields[name]! : anyValue));
  const nearlyValid = fc
    .tuple(
      fc.record({ channel: fc.constant('city'), text: fc.constantFrom('Во дворе не горят фонари', 'Аулада су жоқ', 'Яма 🚧 на дороге') }),
      fc.record({ category: fc.constantFrom('roads.lighting', 'utilities.heating', 'other'), districtId: fc.constantFrom(...districts), address: fc.string({ maxLength: 40 }) }, { requiredKeys: [] }),
      fc.array(mutation, { maxLength: 2 }),
    )
    .map(([base, optional, mutations]) => {
      const value: Record<string, unknown> = { ...base, ...optional };
      for (const [name, v] of mutations) Object.defineProperty(value, name, { value: v, enumerable: true, configurable: true, writable: true });
      return value;
    });
  const shaped = fc.oneof(
    { arbitrary: nearlyValid, weight: 4 },
    { arbitrary: fc.tuple(anything, sometimes(fc.dictionary(anyString, anyValue, { minKeys: 1, maxKeys: 2 }), 6)).map(([a, extra]) => ({ ...(extra ?? {}), ...a })), weight: 2 },
  );
  const body = fc.oneof(
    { arbitrary: shaped.map((value) => ({ kind: 'object' as const, value })), weight: 10 },
    { arbitrary: anyJson.map((value) => ({ kind: 'json' as const, value })), weight: 1 },
    { arbitrary: anyString.map((value) => ({ kind: 'raw' as const, value })), weight: 1 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 12 },
    {
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        '',
      ),
      weight: 2,
    },
    { arbitrary: headerString, weight: 1 },
  );
  const who = fc.oneof(
    { arbitrary: fc.constant('public'), weight: 6 },
    { arbitrary: fc.constantFrom('citizen', 'registrar', 'head', 'tracking'), weight: 4 },
    { arbitrary: fc.constantFrom('garbage-bearer', 'garbage-header'), weight: 1 },
  );
  const idempotencyKey = sometimes(
    fc.oneof(
      { arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 8, maxLength: 128 }), weight: 3 },
      { arbitrary: fc.constantFrom('fuzz-key-00000001', 'fuzz-key-00000002'), weight: 1 },
      { arbitrary: headerString, weight: 2 },
    ),
    3,
  );
  const trackingCode = sometimes(fc.oneof(headerString, visibleAscii), 10);
  const requestId = sometimes(headerString, 8);
  return fc.record({
    body,
    contentType,
    who,
    idempotencyKey,
    trackingCode,
    requestId,
  });
}

function toInject(r: SubmitRequest, garbage: string): InjectOptions {
  const headers: Record<string, string> = {};
  if (r.who === 'garbage-bearer') headers['authorization'] = `Bearer ${garbage}`;
  else if (r.who === 'garbage-header') headers['authorization'] = garbage;
  else if (r.who !== 'public') Object.assign(headers, credentials[r.who]);
  if (r.trackingCode !== undefined && !headers['x-tracking-code']) headers['x-tracking-code'] = r.trackingCode;
  if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
  if (r.requestId !== undefined) headers['x-request-id'] = r.requestId;
  headers['content-type'] = r.contentType ?? 'application/json';
  const payload = r.body.kind === 'raw' ? r.body.value : JSON.stringify(r.body.value);
  return { method: 'POST', url: CASES, headers, payload: payload ?? '' };
}

describe('POST /api/v1/cases under arbitrary input', () => {
  it(`never fails with a 5xx, refuses with catalogued codes and registers what it accepts (${SUBMIT_RUNS} runs)`, async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(submitArbitrary(), headerString, async (request, garbage) => {
        const options = toInject(request, garbage);
        const res = await t.request(options);
        checkAnswer(res, options);
        if (res.statusCode >= 200 && res.statusCode < 300) {
          expect(res.statusCode, res.body).toBe(201);
          const receipt = res.json<{ caseId: string; registrationNumber: string; anonymous: boolean; trackingCode?: string }>();
          expect(receipt.registrationNumber, res.body).toMatch(/^\S+-\d{4}-\d{8}$/);
          expect(receipt.caseId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
          if (receipt.anonymous) expect(receipt.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
          const earlier = accepted.get(receipt.caseId);
          // The same case id only ever comes back for an idempotent replay, with the same number.
          if (earlier !== undefined) expect(receipt.registrationNumber).toBe(earlier);
          accepted.set(receipt.caseId, receipt.registrationNumber);
          seen.accepted++;
        } else {
          seen.refused++;
        }
      }),
      { numRuns: SUBMIT_RUNS },
    );
    // The generator is useful only if it reaches both the deep (registration) and the shallow paths.
    expect(seen.accepted).toBeGreaterThan(SUBMIT_RUNS / 20);
    expect(seen.refused).toBeGreaterThan(SUBMIT_RUNS / 4);
  });

  it('has every accepted case in the database, under the number its receipt gave', async () => {
    const { rows } = await t.platform.db.query<{ id: string; registration_number: string }>('SELECT id, registration_number FROM cases');
    const stored = new Map(rows.map((r) => [r.id, r.registration_number]));
    expect(stored.size).toBe(accepted.size);
    for (const [id, number] of accepted) expect(stored.get(id)).toBe(number);
  });
});

// --- GET /cases -------------------------------------------------------------------------------------

const dates = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('Z', '+00:00', '-23:59', '+23:59', '+05:00', '', '+99:99'),
    )
    .map(([y, mo, d, h, mi, s, z]) => {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${z}`;
    }),
  anyString,
);

const queryValue = fc.oneof(anyString, fc.integer().map(String), fc.double().map(String), fc.constantFrom('true', 'false', '', '*', '%', '_', 'safety.*', '.*'));

// As a query string would carry it; JSON for the rest (String() throws on a null-prototype object).
const asQueryText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

const listQuery = fc.record(
  {
    stateKind: mostly(fc.constantFrom(...stateKinds)).map(asQueryText),
    channel: mostly(fc.constantFrom(...channels)).map(asQueryText),
    category: fc.oneof(fc.constantFrom('safety.*', 'roads.lighting', 'social.*', 'other'), queryValue),
    organisationId: fc.oneof(fc.constantFrom('kz.processing_centre', 'astana.utility.heat'), queryValue),
    districtId: fc.oneof(fc.constantFrom(...['astana.esil', 'almaty.bostandyk']), queryValue),
    assigneeId: fc.oneof(fc.uuid(), queryValue),
    triage: fc.oneof(fc.constantFrom('true', 'false'), queryValue),
    from: dates,
    to: dates,
    limit: fc.oneof(fc.integer({ min: -5, max: 300 }).map(String), queryValue),
    cursor: fc.oneof(
      fc.tuple(dates, fc.oneof(fc.uuid(), anyString)).map(([at, id]) => Buffer.from(JSON.stringify([at, id])).toString('base64url')),
      anyJson.map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
      queryValue,
    ),
  },
  { requiredKeys: [] },
);

const listRequest = fc.record({
  query: fc.tuple(listQuery, sometimes(fc.dictionary(anyString, queryValue, { minKeys: 1, maxKeys: 2 }), 6)).map(([q, extra]) => ({ ...(extra ?? {}), ...q })),
  who: fc.constantFrom('public', 'citizen', 'registrar', 'head', 'tracking'),
  repeat: sometimes(fc.constantFrom('limit', 'category', 'from', 'channel'), 8),
});

describe('GET /api/v1/cases under arbitrary query strings', () => {
  it(`never fails with a 5xx, and every page it serves can be followed (${LIST_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(listRequest, async ({ query, who, repeat }) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(query)) params.append(k, String(v));
        if (repeat) params.append(repeat, '1');
        const headers = who === 'public' ? {} : credentials[who]!;
        const url = `${CASES}?${params.toString()}`;
        const res = await t.request({ method: 'GET', url, headers });
        checkAnswer(res, { url, who });
        if (res.statusCode !== 200) return;
        const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
        expect(Array.isArray(page.items)).toBe(true);
        if (page.nextCursor) {
          params.set('cursor', page.nextCursor);
          const next = await t.request({ method: 'GET', url: `${CASES}?${params.toString()}`, headers });
          expect(next.statusCode, next.body).toBe(200);
          const seen = new Set(page.items.map((c) => c.id));
          for (const c of next.json<{ items: { id: string }[] }>().items) expect(seen.has(c.id)).toBe(false);
        }
      }),
      { numRuns: LIST_RUNS },
    );
  });

  it('pages through every case a supervisor sees, once each', async () => {
    const headers = credentials['head']!;
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '7', ...(cursor ? { cursor } : {}) };
      const res = await t.request({ method: 'GET', url: CASES, query, headers });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    const { rows } = await t.platform.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM cases WHERE organisation_id = 'kz.processing_centre' AND NOT confidential",
    );
    expect(ids.length).toBeGreaterThanOrEqual(rows[0]!.n);
  });
});
