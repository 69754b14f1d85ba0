import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

/**
 * THE ACCESS MATRIX, through HTTP: who × endpoint × which case → status.
 *
 * The organisations (parentId links in data/organisations.json):
 *
 *   astana.akimat (A: home of the staff rows)
 *   ├── astana.dept.roads              ← CHILD case (city, roads.repair, anonymous: the tracking code opens it)
 *   └── astana.dept.education
 *       └── astana.psychologists (C)   ← CONFIDENTIAL case (child channel, child.bullying), assigned to psychologist P
 *   almaty.dept.roads                  ← OTHER case (city, roads.repair in Almaty, anonymous)
 *   astana.akimat itself               ← OWN case (appeal, governance.officials)
 *
 * The citizen applied for OWN and CONFIDENTIAL; the tracking-code holder holds CHILD's code.
 * The confidential case lies inside A's subtree, so a supervising role of A would see it if the
 * confidentiality rule were missing: only P and the head of C may.
 */

type Who =
  | 'public'
  | 'citizen'
  | 'tracking'
  | 'registrar@A'
  | 'head@A'
  | 'executor@A'
  | 'controller@A'
  | 'dispatcher@A'
  | 'psychologist@A'
  | 'analyst@A'
  | 'admin@A'
  | 'api-key dispatcher@A'
  | 'psychologist P@C (assignee)'
  | 'psychologist@C (not assigned)'
  | 'head@C'
  | 'api-key head@C';

type Endpoint =
  | 'GET /cases/:id'
  | 'GET /cases (listed?)'
  | 'GET /cases/:id/events'
  | 'GET /cases/:id/messages'
  | 'POST /cases/:id/messages dialog'
  | 'POST /cases/:id/messages internal'
  | 'POST /cases/:id/actions/:action'
  | 'POST /cases/:id/assign'
  | 'GET /cases/:id/attachments'
  | 'POST /admin/api-keys';

type Situation = 'own' | 'child' | 'other' | 'confidential';
const SITUATIONS: readonly Situation[] = ['own', 'child', 'other', 'confidential'];

/** A status, or for the list whether the case is in it, or for messages whether internal notes show. */
type Expected = 200 | 201 | 401 | 403 | 404 | 'listed' | 'unlisted' | 'with notes' | 'dialog only';
const L = 'listed';
const U = 'unlisted';
const NOTES = 'with notes';
const DIALOG = 'dialog only';

/**
 * The action taken is the natural first step of each case's workflow: take_into_work (appeal and city:
 * head, executor and registrar for an appeal; dispatcher, executor and head for a city request) and,
 * on the child channel, first_contact (psychologist, head). A role the workflow does not name gets 403
 * on a case it can reach. Each action row runs on a fresh case of its situation.
 */
const ACTION: Record<Situation, { action: string; body: Record<string, string> }> = {
  own: { action: 'take_into_work', body: {} },
  child: { action: 'take_into_work', body: {} },
  other: { action: 'take_into_work', body: {} },
  confidential: { action: 'first_contact', body: { message: 'Сәлем! Мен психологпын, сөйлесейік.' } },
};

// prettier-ignore
const CASE_MATRIX: readonly [Who, Endpoint, own: Expected, child: Expected, other: Expected, confidential: Expected][] = [
  //                                                              own     child   other   confidential
  ['public',                        'GET /cases/:id',                    401,    401,    401,    401],
  ['public',                        'GET /cases (listed?)',              401,    401,    401,    401],
  ['public',                        'GET /cases/:id/events',             401,    401,    401,    401],
  ['public',                        'GET /cases/:id/messages',           401,    401,    401,    401],
  ['public',                        'POST /cases/:id/messages dialog',   401,    401,    401,    401],
  ['public',                        'POST /cases/:id/messages internal', 401,    401,    401,    401],
  ['public',                        'POST /cases/:id/actions/:action',   401,    401,    401,    401],
  ['public',                        'POST /cases/:id/assign',            401,    401,    401,    401],
  ['public',                        'GET /cases/:id/attachments',        401,    401,    401,    401],

  ['citizen',                       'GET /cases/:id',                    200,    404,    404,    200],
  ['citizen',                       'GET /cases (listed?)',              L,      U,      U,      L],
  ['citizen',                       'GET /cases/:id/events',             200,    404,    404,    200],
  ['citizen',                       'GET /cases/:id/messages',           DIALOG, 404,    404,    DIALOG],
  ['citizen',                       'POST /cases/:id/messages dialog',   201,    404,    404,    201],
  ['citizen',                       'POST /cases/:id/messages internal', 403,    404,    404,    403],
  ['citizen',                       'POST /cases/:id/actions/:action',   403,    404,    404,    403],
  ['citizen',                       'POST /cases/:id/assign',            403,    404,    404,    403],
  ['citizen',                       'GET /cases/:id/attachments',        200,    404,    404,    200],

  ['tracking',                      'GET /cases/:id',                    404,    200,    404,    404],
  ['tracking',                      'GET /cases (listed?)',              U,      L,      U,      U],
  ['tracking',                      'GET /cases/:id/events',             404,    200,    404,    404],
  ['tracking',                      'GET /cases/:id/messages',           404,    DIALOG, 404,    404],
  ['tracking',                      'POST /cases/:id/messages dialog',   404,    201,    404,    404],
  ['tracking',                      'POST /cases/:id/messages internal', 404,    403,    404,    404],
  ['tracking',                      'POST /cases/:id/actions/:action',   404,    403,    404,    404],
  ['tracking',                      'POST /cases/:id/assign',            404,    403,    404,    404],
  ['tracking',                      'GET /cases/:id/attachments',        404,    200,    404,    404],

  ['registrar@A',                   'GET /cases/:id',                    200,    404,    404,    404],
  ['registrar@A',                   'GET /cases (listed?)',              L,      U,      U,      U],
  ['registrar@A',                   'GET /cases/:id/events',             200,    404,    404,    404],
  ['registrar@A',                   'GET /cases/:id/messages',           NOTES,  404,    404,    404],
  ['registrar@A',                   'POST /cases/:id/messages dialog',   201,    404,    404,    404],
  ['registrar@A',                   'POST /cases/:id/messages internal', 201,    404,    404,    404],
  ['registrar@A',                   'POST /cases/:id/actions/:action',   200,    404,    404,    404],
  ['registrar@A',                   'POST /cases/:id/assign',            200,    404,    404,    404],
  ['registrar@A',                   'GET /cases/:id/attachments',        200,    404,    404,    404],

  ['head@A',                        'GET /cases/:id',                    200,    200,    404,    404],
  ['head@A',                        'GET /cases (listed?)',              L,      L,      U,      U],
  ['head@A',                        'GET /cases/:id/events',             200,    200,    404,    404],
  ['head@A',                        'GET /cases/:id/messages',           NOTES,  NOTES,  404,    404],
  ['head@A',                        'POST /cases/:id/messages dialog',   201,    201,    404,    404],
  ['head@A',                        'POST /cases/:id/messages internal', 201,    201,    404,    404],
  ['head@A',                        'POST /cases/:id/actions/:action',   200,    200,    404,    404],
  ['head@A',                        'POST /cases/:id/assign',            200,    200,    404,    404],
  ['head@A',                        'GET /cases/:id/attachments',        200,    200,    404,    404],

  ['executor@A',                    'GET /cases/:id',                    200,    404,    404,    404],
  ['executor@A',                    'GET /cases (listed?)',              L,      U,      U,      U],
  ['executor@A',                    'GET /cases/:id/events',             200,    404,    404,    404],
  ['executor@A',                    'GET /cases/:id/messages',           NOTES,  404,    404,    404],
  ['executor@A',                    'POST /cases/:id/messages dialog',   201,    404,    404,    404],
  ['executor@A',                    'POST /cases/:id/messages internal', 201,    404,    404,    404],
  ['executor@A',                    'POST /cases/:id/actions/:action',   200,    404,    404,    404],
  ['executor@A',                    'POST /cases/:id/assign',            403,    404,    404,    404],
  ['executor@A',                    'GET /cases/:id/attachments',        200,    404,    404,    404],

  ['controller@A',                  'GET /cases/:id',                    200,    200,    404,    404],
  ['controller@A',                  'GET /cases (listed?)',              L,      L,      U,      U],
  ['controller@A',                  'GET /cases/:id/events',             200,    200,    404,    404],
  ['controller@A',                  'GET /cases/:id/messages',           NOTES,  NOTES,  404,    404],
  ['controller@A',                  'POST /cases/:id/messages dialog',   201,    201,    404,    404],
  ['controller@A',                  'POST /cases/:id/messages internal', 201,    201,    404,    404],
  ['controller@A',                  'POST /cases/:id/actions/:action',   403,    403,    404,    404],
  ['controller@A',                  'POST /cases/:id/assign',            403,    403,    404,    404],
  ['controller@A',                  'GET /cases/:id/attachments',        200,    200,    404,    404],

  ['dispatcher@A',                  'GET /cases/:id',                    200,    404,    404,    404],
  ['dispatcher@A',                  'GET /cases (listed?)',              L,      U,      U,      U],
  ['dispatcher@A',                  'GET /cases/:id/events',             200,    404,    404,    404],
  ['dispatcher@A',                  'GET /cases/:id/messages',           NOTES,  404,    404,    404],
  ['dispatcher@A',                  'POST /cases/:id/messages dialog',   201,    404,    404,    404],
  ['dispatcher@A',                  'POST /cases/:id/messages internal', 201,    404,    404,    404],
  ['dispatcher@A',                  'POST /cases/:id/actions/:action',   403,    404,    404,    404],
  ['dispatcher@A',                  'POST /cases/:id/assign',            200,    404,    404,    404],
  ['dispatcher@A',                  'GET /cases/:id/attachments',        200,    404,    404,    404],

  ['psychologist@A',                'GET /cases/:id',                    200,    404,    404,    404],
  ['psychologist@A',                'GET /cases (listed?)',              L,      U,      U,      U],
  ['psychologist@A',                'GET /cases/:id/events',             200,    404,    404,    404],
  ['psychologist@A',                'GET /cases/:id/messages',           NOTES,  404,    404,    404],
  ['psychologist@A',                'POST /cases/:id/messages dialog',   201,    404,    404,    404],
  ['psychologist@A',                'POST /cases/:id/messages internal', 201,    404,    404,    404],
  ['psychologist@A',                'POST /cases/:id/actions/:action',   403,    404,    404,    404],
  ['psychologist@A',                'POST /cases/:id/assign',            403,    404,    404,    404],
  ['psychologist@A',                'GET /cases/:id/attachments',        200,    404,    404,    404],

  ['analyst@A',                     'GET /cases/:id',                    200,    200,    404,    404],
  ['analyst@A',                     'GET /cases (listed?)',              L,      L,      U,      U],
  ['analyst@A',                     'GET /cases/:id/events',             200,    200,    404,    404],
  ['analyst@A',                     'GET /cases/:id/messages',           NOTES,  NOTES,  404,    404],
  ['analyst@A',                     'POST /cases/:id/messages dialog',   403,    403,    404,    404],
  ['analyst@A',                     'POST /cases/:id/messages internal', 403,    403,    404,    404],
  ['analyst@A',                     'POST /cases/:id/actions/:action',   403,    403,    404,    404],
  ['analyst@A',                     'POST /cases/:id/assign',            403,    403,    404,    404],
  ['analyst@A',                     'GET /cases/:id/attachments',        200,    200,    404,    404],

  ['admin@A',                       'GET /cases/:id',                    200,    200,    404,    404],
  ['admin@A',                       'GET /cases (listed?)',              L,      L,      U,      U],
  ['admin@A',                       'GET /cases/:id/events',             200,    200,    404,    404],
  ['admin@A',                       'GET /cases/:id/messages',           NOTES,  NOTES,  404,    404],
  ['admin@A',                       'POST /cases/:id/messages dialog',   201,    201,    404,    404],
  ['admin@A',                       'POST /cases/:id/messages internal', 201,    201,    404,    404],
  ['admin@A',                       'POST /cases/:id/actions/:action',   403,    403,    404,    404],
  ['admin@A',                       'POST /cases/:id/assign',            403,    403,    404,    404],
  ['admin@A',                       'GET /cases/:id/attachments',        200,    200,    404,    404],

  ['api-key dispatcher@A',          'GET /cases/:id',                    200,    404,    404,    404],
  ['api-key dispatcher@A',          'GET /cases (listed?)',              L,      U,      U,      U],
  ['api-key dispatcher@A',          'GET /cases/:id/events',             200,    404,    404,    404],
  ['api-key dispatcher@A',          'GET /cases/:id/messages',           NOTES,  404,    404,    404],
  ['api-key dispatcher@A',          'POST /cases/:id/messages dialog',   201,    404,    404,    404],
  ['api-key dispatcher@A',          'POST /cases/:id/messages internal', 201,    404,    404,    404],
  ['api-key dispatcher@A',          'POST /cases/:id/actions/:action',   403,    404,    404,    404],
  ['api-key dispatcher@A',          'POST /cases/:id/assign',            200,    404,    404,    404],
  ['api-key dispatcher@A',          'GET /cases/:id/attachments',        200,    404,    404,    404],

  ['psychologist P@C (assignee)',   'GET /cases/:id',                    404,    404,    404,    200],
  ['psychologist P@C (assignee)',   'GET /cases (listed?)',              U,      U,      U,      L],
  ['psychologist P@C (assignee)',   'GET /cases/:id/events',             404,    404,    404,    200],
  ['psychologist P@C (assignee)',   'GET /cases/:id/messages',           404,    404,    404,    NOTES],
  ['psychologist P@C (assignee)',   'POST /cases/:id/messages dialog',   404,    404,    404,    201],
  ['psychologist P@C (assignee)',   'POST /cases/:id/messages internal', 404,    404,    404,    201],
  ['psychologist P@C (assignee)',   'POST /cases/:id/actions/:action',   404,    404,    404,    200],
  ['psychologist P@C (assignee)',   'POST /cases/:id/assign',            404,    404,    404,    403],
  ['psychologist P@C (assignee)',   'GET /cases/:id/attachments',        404,    404,    404,    200],

  ['psychologist@C (not assigned)', 'GET /cases/:id',                    404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'GET /cases (listed?)',              U,      U,      U,      U],
  ['psychologist@C (not assigned)', 'GET /cases/:id/events',             404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'GET /cases/:id/messages',           404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'POST /cases/:id/messages dialog',   404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'POST /cases/:id/messages internal', 404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'POST /cases/:id/actions/:action',   404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'POST /cases/:id/assign',            404,    404,    404,    404],
  ['psychologist@C (not assigned)', 'GET /cases/:id/attachments',        404,    404,    404,    404],

  ['head@C',                        'GET /cases/:id',                    404,    404,    404,    200],
  ['head@C',                        'GET /cases (listed?)',              U,      U,      U,      L],
  ['head@C',                        'GET /cases/:id/events',             404,    404,    404,    200],
  ['head@C',                        'GET /cases/:id/messages',           404,    404,    404,    NOTES],
  ['head@C',                        'POST /cases/:id/messages dialog',   404,    404,    404,    201],
  ['head@C',                        'POST /cases/:id/messages internal', 404,    404,    404,    201],
  ['head@C',                        'POST /cases/:id/actions/:action',   404,    404,    404,    200],
  ['head@C',                        'POST /cases/:id/assign',            404,    404,    404,    200],
  ['head@C',                        'GET /cases/:id/attachments',        404,    404,    404,    200],

  ['api-key head@C',                'GET /cases/:id',                    404,    404,    404,    404],
  ['api-key head@C',                'GET /cases (listed?)',              U,      U,      U,      U],
  ['api-key head@C',                'GET /cases/:id/events',             404,    404,    404,    404],
  ['api-key head@C',                'GET /cases/:id/messages',           404,    404,    404,    404],
  ['api-key head@C',                'POST /cases/:id/messages dialog',   404,    404,    404,    404],
  ['api-key head@C',                'POST /cases/:id/messages internal', 404,    404,    404,    404],
  ['api-key head@C',                'POST /cases/:id/actions/:action',   404,    404,    404,    404],
  ['api-key head@C',                'POST /cases/:id/assign',            404,    404,    404,    404],
  ['api-key head@C',                'GET /cases/:id/attachments',        404,    404,    404,    404],
];

/** Creating an API key concerns no case: only a (human) admin may. */
// prettier-ignore
const ADMIN_MATRIX: readonly [Who, Expected][] = [
  ['public', 401], ['citizen', 403], ['tracking', 403],
  ['registrar@A', 403], ['head@A', 403], ['executor@A', 403], ['controller@A', 403], ['dispatcher@A', 403],
  ['psychologist@A', 403], ['analyst@A', 403], ['admin@A', 201], ['api-key dispatcher@A', 403],
  ['psychologist P@C (assignee)', 403], ['psychologist@C (not assigned)', 403], ['head@C', 403], ['api-key head@C', 403],
];

interface Row {
  who: Who;
  endpoint: Endpoint;
  situation: Situation | '-';
  expected: Expected;
}

const ROWS: readonly Row[] = [
  ...CASE_MATRIX.flatMap(([who, endpoint, ...bySituation]) =>
    SITUATIONS.map((situation, i): Row => ({ who, endpoint, situation, expected: bySituation[i]! })),
  ),
  ...ADMIN_MATRIX.map(([who, expected]): Row => ({ who, endpoint: 'POST /admin/api-keys', situation: '-', expected })),
];

const A = 'astana.akimat';
const C = 'astana.psychologists';
const ORG: Record<Situation, string> = { own: A, child: 'astana.dept.roads', other: 'almaty.dept.roads', confidential: C };

interface CaseRef {
  id: string;
  trackingCode?: string | undefined;
}
type Cases = Record<Situation, CaseRef>;

let t: TestApp;
let tokens: Record<Exclude<Who, 'public' | 'tracking'>, string>;
let psychologistP: string;
/** Staff of each case's organisation, assigned in the assign rows. */
let assignees: Record<Situation, string>;
let shared: Cases;
let keysCreated = 0;

const api = (path: string) => `/api/v1${path}`;

function headersOf(who: Who, cases: Cases): Record<string, string> {
  if (who === 'public') return {};
  if (who === 'tracking') return { 'x-tracking-code': cases.child.trackingCode! };
  return bearer(tokens[who]);
}

/** A new case of the situation, made through the real API: the same way as the shared ones. */
async function createCase(situation: Situation): Promise<CaseRef> {
  const citizen = bearer(tokens.citizen);
  switch (situation) {
    case 'own': {
      const r = await submitCase(t, { channel: 'appeal', category: 'governance.officials', text: 'Аким района не отвечает на обращения жителей', districtId: 'astana.esil' }, citizen);
      expect(r.organisation.id).toBe(A);
      return { id: r.caseId };
    }
    case 'child': {
      const r = await submitCase(t, { channel: 'city', category: 'roads.repair', text: 'Яма на дороге у дома 7 по улице Сыганак', districtId: 'astana.esil' });
      expect(r.organisation.id).toBe(ORG.child);
      return { id: r.caseId, trackingCode: r.trackingCode };
    }
    case 'other': {
      const r = await submitCase(t, { channel: 'city', category: 'roads.repair', text: 'Яма на дороге на проспекте Абая', districtId: 'almaty.bostandyk' });
      expect(r.organisation.id).toBe(ORG.other);
      return { id: r.caseId, trackingCode: r.trackingCode };
    }
    case 'confidential': {
      const r = await submitCase(t, { channel: 'child', category: 'child.bullying', text: 'Мені сыныптастарым мазақтайды', districtId: 'astana.esil' }, citizen);
      expect(r.organisation.id).toBe(C);
      const assigned = await t.request({ method: 'POST', url: api(`/cases/${r.caseId}/assign`), headers: bearer(tokens['head@C']), payload: { assigneeId: psychologistP } });
      expect(assigned.statusCode).toBe(200);
      return { id: r.caseId };
    }
  }
}

async function createApiKey(role: string, organisationId: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: api('/admin/api-keys'),
    headers: bearer(tokens['admin@A']),
    payload: { name: `matrix ${role}@${organisationId} ${++keysCreated}`, role, organisationId },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ key: string }>().key;
}

async function post(url: string, headers: Record<string, string>, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return t.request({ method: 'POST', url: api(url), headers, payload });
}

/** Sends one row's request and reduces the answer to what the matrix states. */
async function run(row: Row): Promise<{ outcome: Expected | number; res: LightMyRequestResponse }> {
  const { who, endpoint, situation } = row;
  if (situation === '-') {
    const headers = headersOf(who, shared);
    const res = await post('/admin/api-keys', headers, { name: `by ${who} ${++keysCreated}`, role: 'analyst', organisationId: A });
    return { outcome: res.statusCode, res };
  }
  // A workflow action changes the case's state, so each action row gets a fresh case of its situation.
  const cases: Cases = endpoint === 'POST /cases/:id/actions/:action' ? { ...shared, [situation]: await createCase(situation) } : shared;
  const headers = headersOf(who, cases);
  const id = cases[situation].id;
  let res: LightMyRequestResponse;
  switch (endpoint) {
    case 'GET /cases (listed?)': {
      res = await t.request({ method: 'GET', url: api(`/cases?organisationId=${ORG[situation]}&limit=200`), headers });
      if (res.statusCode !== 200) return { outcome: res.statusCode, res };
      const items = res.json<{ items: { id: string }[] }>().items;
      return { outcome: items.some((c) => c.id === id) ? L : U, res };
    }
    case 'GET /cases/:id/messages': {
      res = await t.request({ method: 'GET', url: api(`/cases/${id}/messages`), headers });
      if (res.statusCode !== 200) return { outcome: res.statusCode, res };
      const messages = res.json<{ visibility: string }[]>();
      expect(messages.some((m) => m.visibility === 'dialog')).toBe(true);
      return { outcome: messages.some((m) => m.visibility === 'internal') ? NOTES : DIALOG, res };
    }
    case 'GET /cases/:id':
      res = await t.request({ method: 'GET', url: api(`/cases/${id}`), headers });
      break;
    case 'GET /cases/:id/events':
      res = await t.request({ method: 'GET', url: api(`/cases/${id}/events`), headers });
      break;
    case 'GET /cases/:id/attachments':
      res = await t.request({ method: 'GET', url: api(`/cases/${id}/attachments`), headers });
      break;
    case 'POST /cases/:id/messages dialog':
      res = await post(`/cases/${id}/messages`, headers, { body: `Сообщение от ${who}`, visibility: 'dialog' });
      break;
    case 'POST /cases/:id/messages internal':
      res = await post(`/cases/${id}/messages`, headers, { body: `Заметка от ${who}`, visibility: 'internal' });
      break;
    case 'POST /cases/:id/actions/:action':
      res = await post(`/cases/${id}/actions/${ACTION[situation].action}`, headers, ACTION[situation].body);
      break;
    case 'POST /cases/:id/assign':
      res = await post(`/cases/${id}/assign`, headers, { assigneeId: assignees[situation] });
      break;
    case 'POST /admin/api-keys':
      throw new Error('api-key rows have no situation');
  }
  return { outcome: res.statusCode, res };
}

beforeAll(async () => {
  t = await buildTestApp();
  const staff = async (role: Parameters<TestApp['staff']>[0], org: string) => t.staff(role, org);
  const [registrar, head, executor, controller, dispatcher, psychologist, analyst, admin, p, otherPsychologist, headC, headOther, roadsExecutor, almatyExecutor] =
    await Promise.all([
      staff('registrar', A),
      staff('head', A),
      staff('executor', A),
      staff('controller', A),
      staff('dispatcher', A),
      staff('psychologist', A),
      staff('analyst', A),
      staff('admin', A),
      staff('psychologist', C),
      staff('psychologist', C),
      staff('head', C),
      staff('head', ORG.other),
      staff('executor', ORG.child),
      staff('executor', ORG.other),
    ]);
  psychologistP = p.id;
  tokens = {
    citizen: (await t.citizen('+77011234567')).token,
    'registrar@A': registrar.token,
    'head@A': head.token,
    'executor@A': executor.token,
    'controller@A': controller.token,
    'dispatcher@A': dispatcher.token,
    'psychologist@A': psychologist.token,
    'analyst@A': analyst.token,
    'admin@A': admin.token,
    'api-key dispatcher@A': '',
    'psychologist P@C (assignee)': p.token,
    'psychologist@C (not assigned)': otherPsychologist.token,
    'head@C': headC.token,
    'api-key head@C': '',
  };
  tokens['api-key dispatcher@A'] = await createApiKey('dispatcher', A);
  tokens['api-key head@C'] = await createApiKey('head', C);
  assignees = { own: executor.id, child: roadsExecutor.id, other: almatyExecutor.id, confidential: p.id };

  shared = { own: await createCase('own'), child: await createCase('child'), other: await createCase('other'), confidential: await createCase('confidential') };
  // Every shared case gets a dialog message and an internal note, written by a head who may work on it.
  const writer: Record<Situation, string> = { own: head.token, child: head.token, other: headOther.token, confidential: headC.token };
  for (const situation of SITUATIONS) {
    for (const visibility of ['dialog', 'internal'] as const) {
      const res = await post(`/cases/${shared[situation].id}/messages`, bearer(writer[situation]), { body: `${visibility} message`, visibility });
      expect(res.statusCode).toBe(201);
    }
  }
}, 240_000); // scrypt for fourteen staff accounts on a busy CI machine
afterAll(async () => t.close());

describe('the access matrix', () => {
  it('covers every principal against every endpoint and situation', () => {
    const whos = new Set(CASE_MATRIX.map(([who]) => who));
    const endpoints = new Set(CASE_MATRIX.map(([, endpoint]) => endpoint));
    expect(CASE_MATRIX).toHaveLength(whos.size * endpoints.size);
    expect(new Set(CASE_MATRIX.map(([who, endpoint]) => `${who} ${endpoint}`)).size).toBe(CASE_MATRIX.length);
    expect(new Set(ADMIN_MATRIX.map(([who]) => who))).toEqual(whos);
  });

  it.each(ROWS)('$who · $endpoint · $situation → $expected', async (row) => {
    const { outcome, res } = await run(row);
    expect(outcome, res.body).toBe(row.expected);
    // An invisible case is "not found", exactly as a case that does not exist: ids cannot be probed.
    if (row.expected === 404) expect(res.json().error.code).toBe('ERR_CASE_NOT_FOUND');
    if (row.expected === 401) expect(res.json().error.code).toBe('ERR_UNAUTHENTICATED');
  });
});

describe('around the matrix', () => {
  type Event = { type: string; actorId: string | null; actorRole: string; payload: Record<string, unknown> };
  const timeline = async (caseId: string, headers: Record<string, string>): Promise<Event[]> => {
    const res = await t.request({ method: 'GET', url: api(`/cases/${caseId}/events`), headers });
    expect(res.statusCode).toBe(200);
    return res.json<Event[]>();
  };

  it('answers an invisible case exactly as a case that does not exist', async () => {
    const missing = await t.request({ method: 'GET', url: api('/cases/00000000-0000-4000-8000-000000000000'), headers: bearer(tokens['registrar@A']) });
    const invisible = await t.request({ method: 'GET', url: api(`/cases/${shared.other.id}`), headers: bearer(tokens['registrar@A']) });
    expect(invisible.statusCode).toBe(missing.statusCode);
    expect(invisible.json().error.code).toBe(missing.json().error.code);
    expect(invisible.json().error.message).toBe(missing.json().error.message);
  });

  it('writes a case.confidential_read event for every read of a confidential case by staff, shown to the head', async () => {
    const c = await createCase('confidential');
    const psychologist = bearer(tokens['psychologist P@C (assignee)']);
    for (const path of ['', '/events', '/messages', '/attachments']) {
      expect((await t.request({ method: 'GET', url: api(`/cases/${c.id}${path}`), headers: psychologist })).statusCode).toBe(200);
    }
    // Not recorded: the applicant reading their own case, a list (which shows no text), and refused attempts.
    expect((await t.request({ method: 'GET', url: api(`/cases/${c.id}`), headers: bearer(tokens.citizen) })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: api(`/cases?organisationId=${C}`), headers: psychologist })).statusCode).toBe(200);
    for (const who of ['admin@A', 'head@A', 'psychologist@C (not assigned)', 'api-key head@C'] as const) {
      expect((await t.request({ method: 'GET', url: api(`/cases/${c.id}`), headers: bearer(tokens[who]) })).statusCode).toBe(404);
    }
    const events = await timeline(c.id, bearer(tokens['head@C']));
    const reads = events.filter((e) => e.type === 'case.confidential_read');
    expect(reads.map((e) => [e.actorId, e.actorRole, e.payload['what']])).toEqual([
      [psychologistP, 'psychologist', 'case'],
      [psychologistP, 'psychologist', 'events'],
      [psychologistP, 'psychologist', 'messages'],
      [psychologistP, 'psychologist', 'attachments'],
      // The head's own read of the timeline is recorded before the timeline is read.
      [expect.any(String), 'head', 'events'],
    ]);
  });

  it('keeps internal events out of the applicant\'s timeline of a confidential case', async () => {
    const c = await createCase('confidential'); // assigned by the head: case.assigned
    const note = await post(`/cases/${c.id}/messages`, bearer(tokens['psychologist P@C (assignee)']), { body: 'Ребёнок напуган, нужен звонок родителям', visibility: 'internal' });
    expect(note.statusCode).toBe(201);
    await t.request({ method: 'GET', url: api(`/cases/${c.id}`), headers: bearer(tokens['psychologist P@C (assignee)']) });
    const internal = ['case.note_added', 'case.assigned', 'case.confidential_read'];
    const staffView = (await timeline(c.id, bearer(tokens['head@C']))).map((e) => e.type);
    for (const type of internal) expect(staffView).toContain(type);
    const applicantView = (await timeline(c.id, bearer(tokens.citizen))).map((e) => e.type);
    expect(applicantView).toContain('case.registered');
    for (const type of internal) expect(applicantView).not.toContain(type);
    const messages = await t.request({ method: 'GET', url: api(`/cases/${c.id}/messages`), headers: bearer(tokens.citizen) });
    expect(messages.json<{ visibility: string }[]>().map((m) => m.visibility)).not.toContain('internal');
  });

  it('keeps internal events out of a tracking-code holder\'s timeline', async () => {
    const c = await createCase('child');
    const head = bearer(tokens['head@A']);
    expect((await post(`/cases/${c.id}/assign`, head, { assigneeId: assignees.child })).statusCode).toBe(200);
    expect((await post(`/cases/${c.id}/messages`, head, { body: 'Передать подрядчику', visibility: 'internal' })).statusCode).toBe(201);
    expect((await post(`/cases/${c.id}/messages`, head, { body: 'Спасибо, заявка принята', visibility: 'dialog' })).statusCode).toBe(201);
    const staffView = (await timeline(c.id, head)).map((e) => e.type);
    expect(staffView).toEqual(expect.arrayContaining(['case.registered', 'case.assigned', 'case.note_added', 'case.message_posted']));
    const applicantView = (await timeline(c.id, { 'x-tracking-code': c.trackingCode! })).map((e) => e.type);
    expect(applicantView).toEqual(['case.registered', 'case.message_posted']);
  });
});
