import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase } from '../support/factories.ts';
import { png, uploaded } from '../support/files.ts';
import { LIGHTING } from '../support/legal-clock.ts';
import {
  clientKey,
  countCases,
  expectJson,
  expectOpen311Error,
  expectValid,
  form,
  formHeaders,
  loadValidators,
  parseXml,
  type Validators,
} from './support.ts';

/**
 * Open311 GeoReport v2 as a client meets it: every JSON answer is checked against the published schemas
 * (../shared/data/open311), every XML answer parsed; a client files a request, follows it while staff work
 * it to closure through the normal API, and reads the status, the notes and FixMyStreet's updates.
 */

let t: TestApp;
let v: Validators;
let key: string;
const V2 = '/open311/v2';

interface Created {
  service_request_id: string;
  token: string;
  service_notice: string;
}

interface Request311 {
  service_request_id: string;
  status: string;
  status_notes: string | null;
  service_code: string;
  service_name: string | null;
  description: string | null;
  agency_responsible: string | null;
  address: string | null;
  address_id: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
}

interface Update311 {
  update_id: string;
  service_request_id: string;
  status: string;
  description: string;
  updated_datetime: string;
  media_url: string;
}

const get = (url: string) => t.request({ method: 'GET', url: `${V2}${url}` });
const post = (url: string, fields: Record<string, string>) => t.request({ method: 'POST', url: `${V2}${url}`, headers: formHeaders, payload: form(fields) });

/** GET a list as JSON (checked against `validate`) and as XML (parsed; the same ids in the same order). */
async function getBoth<T>(url: string, validate: keyof Validators | null, root: string, item: string, idField: string): Promise<T[]> {
  const [path, query] = url.split('?');
  const json = await get(`${path}.json${query ? `?${query}` : ''}`);
  expect(json.statusCode, json.body).toBe(200);
  const body = expectJson(json) as T[];
  if (validate) expectValid(v[validate], body);
  const xml = await get(`${path}.xml${query ? `?${query}` : ''}`);
  expect(xml.statusCode, xml.body).toBe(200);
  const doc = parseXml(xml)[root];
  const items = doc === '' ? [] : ((doc as Record<string, unknown>)[item] as Record<string, string>[]);
  expect(items.map((x) => String(x[idField]))).toEqual(body.map((x) => String((x as Record<string, unknown>)[idField])));
  return body;
}
const requestId = (r: { service_request_id: string }) => r.service_request_id;

async function file(fields: Record<string, string>): Promise<Created> {
  const res = await post('/requests.json', { api_key: key, ...fields });
  expect(res.statusCode, res.body).toBe(200);
  const body = expectJson(res) as Created[];
  expectValid(v.created, body);
  return body[0]!;
}

const lighting = {
  service_code: 'roads.lighting',
  lat: String(POINTS.astanaEsil.lat),
  long: String(POINTS.astanaEsil.lon),
  description: 'Во дворе дома 12 по Кенесары не горят фонари, звоните +7 701 234 56 78',
};

const upload = async (token: string, caseId: string): Promise<string> => (await uploaded(t, caseId, 'fixed.png', png(0x30), token)).id;

async function act(token: string, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  const res = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: bearer(token), payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

async function caseIdOf(registrationNumber: string): Promise<string> {
  const found = await t.platform.read.store.getByRegistrationNumber(registrationNumber);
  return found!.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  v = loadValidators();
  key = await clientKey(t);
});

afterAll(async () => {
  await t?.close();
});

describe('discovery and services', () => {
  it('describes the endpoint in JSON and XML', async () => {
    const json = expectJson(await get('/discovery.json')) as { endpoints: { specification: string; url: string; formats: string[] }[]; changeset: string };
    expect(json.endpoints[0]!.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(json.endpoints[0]!.url).toMatch(/\/open311\/v2$/);
    expect(json.endpoints[0]!.formats).toEqual(['application/json', 'text/xml']);
    const xml = parseXml(await get('/discovery.xml')) as { discovery: { endpoints: { endpoint: { formats: { format: string[] } } } } };
    expect(xml.discovery.endpoints.endpoint.formats.format).toEqual(['application/json', 'text/xml']);
  });

  it('lists the city and police categories of the taxonomy as services, in the asked language', async () => {
    const services = await getBoth<{ service_code: string; service_name: string; group: string; metadata: boolean; type: string }>(
      '/services', 'services', 'services', 'service', 'service_code',
    );
    const codes = services.map((s) => s.service_code);
    expect(codes).toContain('roads.lighting');
    expect(codes).toContain('utilities.heating');
    expect(codes).toContain('safety.theft');
    // Confidential and person-centred categories, and other channels' topics, are not offered.
    for (const absent of ['safety.domestic', 'safety.missing_person', 'child.bullying', 'governance.corruption', 'other']) expect(codes).not.toContain(absent);
    expect(services.find((s) => s.service_code === 'roads.lighting')).toMatchObject({ service_name: 'Street lighting', group: 'roads', metadata: false, type: 'realtime' });
    const ru = expectJson(await get('/services.json?locale=ru')) as { service_code: string; service_name: string }[];
    expect(ru.find((s) => s.service_code === 'roads.lighting')!.service_name).toBe('Уличное освещение');
    expectOpen311Error(await get('/services.json?locale=de'), 400, 'ERR_GEOREPORT_FIELD_INVALID');
  });

  it('defines each service (no attributes) and answers 404 for an unknown one', async () => {
    const json = expectJson(await get('/services/roads.lighting.json'));
    expectValid(v.serviceDefinition, json);
    expect(json).toEqual({ service_code: 'roads.lighting', attributes: [] });
    const xml = parseXml(await get('/services/roads.lighting.xml')) as { service_definition: { service_code: string } };
    expect(xml.service_definition.service_code).toBe('roads.lighting');
    expectOpen311Error(await get('/services/roads.potholes.json'), 404, 'ERR_GEOREPORT_SERVICE_NOT_FOUND');
    expectOpen311Error(await get('/services/safety.domestic.xml'), 404, 'ERR_GEOREPORT_SERVICE_NOT_FOUND', 'xml');
  });
});

describe('a client files a request and follows it to closure', () => {
  it('files, resolves the token, follows the request while staff work it, and reopens it "not fixed"', async () => {
    const created = await file({ ...lighting, email: 'aigerim@example.kz', first_name: 'Айгерим', phone: '+7 701 111 22 33', media_url: 'https://photos.example.org/lamp-12.jpg' });
    expect(created.service_request_id).toMatch(/^109-2026-\d{8}$/);
    expect(created.token).toMatch(/^o311_[0-9a-f]{32}$/);
    expect(created.service_notice).toContain(created.service_request_id);

    // The token resolves to the id, in both formats.
    const byToken = expectJson(await get(`/tokens/${created.token}.json`));
    expectValid(v.token, byToken);
    expect(byToken).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
    const tokenXml = parseXml(await get(`/tokens/${created.token}.xml`)) as { service_requests: { request: { service_request_id: string }[] } };
    expect(tokenXml.service_requests.request[0]!.service_request_id).toBe(created.service_request_id);

    // Open, as the public sees it: no contact of the person, the phone in the text masked.
    const [open] = await getBoth<Request311>(`/requests/${created.service_request_id}`, 'requests', 'service_requests', 'request', 'service_request_id');
    expect(open).toMatchObject({ status: 'open', status_notes: null, service_code: 'roads.lighting', service_name: 'Street lighting', address_id: 'astana.esil' });
    expect(open!.lat).toBeCloseTo(POINTS.astanaEsil.lat, 6);
    expect(open!.media_url).toBe('https://photos.example.org/lamp-12.jpg');
    expect(open!.description).not.toContain('234 56 78');
    expect(open!.description).not.toContain('media_url');
    expect(open!.agency_responsible).toBeTruthy();
    expect(open!.expected_datetime).not.toBeNull();
    const raw = (await get(`/requests/${created.service_request_id}.json`)).body;
    for (const secret of ['aigerim@example.kz', 'Айгерим', '111 22 33', '234 56 78']) expect(raw).not.toContain(secret);

    // Staff work it through the normal API: into work, resolved with proof, closed by the head.
    const caseId = await caseIdOf(created.service_request_id);
    const executor = await t.staff('executor', LIGHTING);
    const head = await t.staff('head', LIGHTING);
    await act(executor.token, caseId, 'take_into_work');
    const proof = await upload(executor.token, caseId);
    await act(executor.token, caseId, 'resolve', { outcome: 'satisfied', answer: 'Фонари заменены 25 ноября, бригада №4.', proofAttachmentIds: [proof] });
    await act(head.token, caseId, 'close');

    const [closed] = await getBoth<Request311>(`/requests/${created.service_request_id}`, 'requests', 'service_requests', 'request', 'service_request_id');
    expect(closed).toMatchObject({ status: 'closed', status_notes: 'Фонари заменены 25 ноября, бригада №4.' });
    const listedClosed = expectJson(await get(`/requests.json?status=closed&service_code=roads.lighting`)) as Request311[];
    expect(listedClosed.map(requestId)).toContain(created.service_request_id);
    const listedOpen = expectJson(await get(`/requests.json?status=open`)) as Request311[];
    expect(listedOpen.map(requestId)).not.toContain(created.service_request_id);

    // FixMyStreet's updates: each step, in order, with its extended status and the answer.
    const updates = (await getBoth<Update311>('/servicerequestupdates', null, 'service_request_updates', 'request_update', 'update_id')).filter(
      (u) => u.service_request_id === created.service_request_id,
    );
    expect(updates.map((u) => u.status)).toEqual(['in_progress', 'fixed', 'closed']);
    expect(updates[1]!.description).toBe('Фонари заменены 25 ноября, бригада №4.');
    expect(updates[2]!.description).toBe('Closed');
    for (const u of updates) expect(Number.isNaN(Date.parse(u.updated_datetime))).toBe(false);

    // The client's user says it is still dark: "not fixed" reopens the case, as the applicant.
    const posted = await post('/servicerequestupdates.json', {
      api_key: key,
      service_request_id: created.service_request_id,
      update_id: 'fms-77',
      status: 'OPEN',
      updated_datetime: '2026-11-25T12:00:00+05:00',
      description: 'Фонари снова не горят с вечера',
    });
    expect(posted.statusCode, posted.body).toBe(200);
    const [{ update_id }] = expectJson(posted) as [{ update_id: string }];
    const [reopened] = expectJson(await get(`/requests/${created.service_request_id}.json`)) as Request311[];
    expect(reopened!.status).toBe('open');
    const after = expectJson(await get('/servicerequestupdates.json')) as Update311[];
    expect(after.find((u) => u.update_id === update_id)).toMatchObject({ status: 'reopen', service_request_id: created.service_request_id });

    // A comment on the open case goes into the dialog as the applicant's message.
    const comment = await post('/servicerequestupdates.xml', {
      api_key: key,
      service_request_id: created.service_request_id,
      update_id: 'fms-78',
      status: 'OPEN',
      updated_datetime: '2026-11-25T12:05:00Z',
      description: 'Особенно темно у второго подъезда',
    });
    expect(comment.statusCode, comment.body).toBe(200);
    const commentXml = parseXml(comment) as { service_request_updates: { request_update: { update_id: string }[] } };
    expect(commentXml.service_request_updates.request_update[0]!.update_id).toMatch(/^\d+$/);
    const messages = await t.platform.read.store.messages(caseId, false);
    expect(messages.find((m) => m.body === 'Особенно темно у второго подъезда')).toMatchObject({ authorRole: 'applicant', visibility: 'dialog' });
  });

  it('accepts a request located by address_id (a district) or address_string alone', async () => {
    const byDistrict = await file({ service_code: 'roads.snow', address_id: 'astana.esil', description: 'Не убран снег на тротуаре у школы' });
    const byText = await file({ service_code: 'sanitation.waste', address_string: 'Самал-2, дом 33', jurisdiction_id: 'almaty', description: 'Переполнены мусорные баки' });
    const [a, b] = await Promise.all([byDistrict, byText].map(async (c) => (expectJson(await get(`/requests/${c.service_request_id}.json`)) as Request311[])[0]!));
    expect(a).toMatchObject({ address_id: 'astana.esil', lat: null, long: null });
    expect(b).toMatchObject({ address: 'Самал-2, дом 33' });
  });

  it('files a police report on the 102 channel', async () => {
    const created = await file({ service_code: 'safety.public_order', lat: String(POINTS.almatyBostandyk.lat), long: String(POINTS.almatyBostandyk.lon), description: 'Шумная компания во дворе после полуночи' });
    expect(created.service_request_id).toMatch(/^102-2026-\d{8}$/);
  });
});

describe('the public view', () => {
  it('never shows confidential cases, other channels or an unknown id', async () => {
    const confidential = await submitCase(t, { channel: 'police', category: 'safety.domestic', text: 'Сосед избивает жену, слышны крики', districtId: 'astana.esil' });
    const citizen = await t.citizen('+77015550011');
    const appeal = await submitCase(t, { channel: 'appeal', category: 'roads.lighting', text: 'Прошу установить освещение на улице Кенесары', districtId: 'astana.esil' }, bearer(citizen.token));
    const listed = (expectJson(await get('/requests.json')) as Request311[]).map(requestId);
    expect(listed).not.toContain(confidential.registrationNumber);
    expect(listed).not.toContain(appeal.registrationNumber);
    expectOpen311Error(await get(`/requests/${confidential.registrationNumber}.json`), 404, 'ERR_CASE_NOT_FOUND');
    expectOpen311Error(await get(`/requests/${confidential.registrationNumber}.xml`), 404, 'ERR_CASE_NOT_FOUND', 'xml');
    const byIds = expectJson(await get(`/requests.json?service_request_id=${confidential.registrationNumber},109-2099-00000001`)) as unknown[];
    expect(byIds).toEqual([]);
    expectOpen311Error(await get('/tokens/o311_00000000000000000000000000000000.json'), 404, 'ERR_GEOREPORT_TOKEN_NOT_FOUND');
  });

  it('pages with page and page_size, and takes a comma list of ids', async () => {
    const mine = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000); // newest first: each a second after the one before
      mine.push((await file({ ...lighting, description: `Не горит фонарь у дома ${i + 1}` })).service_request_id);
    }
    const all = (expectJson(await get('/requests.json?service_code=roads.lighting')) as Request311[]).map(requestId);
    const page1 = (await getBoth<Request311>('/requests?service_code=roads.lighting&page_size=2', 'requests', 'service_requests', 'request', 'service_request_id')).map(requestId);
    const page2 = (expectJson(await get('/requests.json?service_code=roads.lighting&page_size=2&page=2')) as Request311[]).map(requestId);
    expect([...page1, ...page2]).toEqual(all.slice(0, 4));
    expect(page1).toEqual([mine[2], mine[1]]);
    const byIds = (expectJson(await get(`/requests.json?service_request_id=${mine[0]},${mine[2]}`)) as Request311[]).map(requestId);
    expect(byIds.sort()).toEqual([mine[0], mine[2]].sort());
  });

  it('keeps to the window: by default the last 90 days', async () => {
    const created = await file({ ...lighting, description: 'Мигает фонарь на остановке' });
    const old = (expectJson(await get('/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-03-01T00:00:00Z')) as Request311[]).map(requestId);
    expect(old).not.toContain(created.service_request_id);
    const today = (expectJson(await get('/requests.json?start_date=2026-11-25&end_date=2026-11-26')) as Request311[]).map(requestId);
    expect(today).toContain(created.service_request_id);
    t.clock.advance(91 * 86_400_000);
    try {
      expect((expectJson(await get('/requests.json')) as Request311[]).map(requestId)).not.toContain(created.service_request_id);
    } finally {
      t.clock.advance(-91 * 86_400_000);
    }
  });
});

describe('bad input: the spec\'s errors, and nothing half-stored', () => {
  it('refuses a POST without an api_key, or with a bad one, with 403', async () => {
    const before = await countCases(t);
    expectOpen311Error(await post('/requests.json', lighting), 403, 'ERR_GEOREPORT_API_KEY_REQUIRED');
    expectOpen311Error(await post('/requests.xml', lighting), 403, 'ERR_GEOREPORT_API_KEY_REQUIRED', 'xml');
    expectOpen311Error(await post('/requests.json', { ...lighting, api_key: 'tyk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 403, 'ERR_GEOREPORT_API_KEY_INVALID');
    const staff = await t.staff('registrar', 'kz.processing_centre');
    expectOpen311Error(await post('/requests.json', { ...lighting, api_key: staff.token }), 403, 'ERR_GEOREPORT_API_KEY_INVALID');
    expectOpen311Error(await post('/servicerequestupdates.json', { service_request_id: '109-2026-00000001', status: 'OPEN' }), 403, 'ERR_GEOREPORT_API_KEY_REQUIRED');
    expect(await countCases(t)).toBe(before);
  });

  it('refuses an unknown or missing service_code with 400', async () => {
    const before = await countCases(t);
    expectOpen311Error(await post('/requests.json', { ...lighting, api_key: key, service_code: 'roads.potholes' }), 400, 'ERR_GEOREPORT_SERVICE_CODE_INVALID');
    expectOpen311Error(await post('/requests.json', { ...lighting, api_key: key, service_code: 'safety.domestic' }), 400, 'ERR_GEOREPORT_SERVICE_CODE_INVALID');
    const { service_code: _omit, ...noCode } = lighting;
    expectOpen311Error(await post('/requests.xml', { ...noCode, api_key: key }), 400, 'ERR_GEOREPORT_SERVICE_CODE_INVALID', 'xml');
    expectOpen311Error(await get('/requests.json?service_code=roads.potholes'), 400, 'ERR_GEOREPORT_SERVICE_CODE_INVALID');
    expect(await countCases(t)).toBe(before);
  });

  it('refuses bad places and fields', async () => {
    const before = await countCases(t);
    const bad = async (fields: Record<string, string>, status: number, code: string) =>
      expectOpen311Error(await post('/requests.json', { ...lighting, api_key: key, ...fields }), status, code);
    await bad({ lat: 'north' }, 400, 'ERR_INVALID_LOCATION');
    await bad({ lat: '91', long: '71.4' }, 400, 'ERR_INVALID_LOCATION');
    await bad({ lat: '71.43', long: '51.128' }, 400, 'ERR_INVALID_LOCATION'); // swapped: outside Kazakhstan
    await bad({ lat: '48.85', long: '2.35' }, 400, 'ERR_INVALID_LOCATION'); // Paris
    const { lat: _lat, long: _long, ...placeless } = lighting;
    expectOpen311Error(await post('/requests.json', { ...placeless, api_key: key }), 400, 'ERR_GEOREPORT_LOCATION_REQUIRED');
    expectOpen311Error(await post('/requests.json', { ...placeless, api_key: key, lat: '51.1' }), 400, 'ERR_INVALID_LOCATION');
    await bad({ address_id: 'astana.nowhere' }, 400, 'ERR_UNKNOWN_DISTRICT');
    await bad({ jurisdiction_id: 'paris' }, 404, 'ERR_GEOREPORT_JURISDICTION_NOT_FOUND');
    await bad({ description: '   ' }, 400, 'ERR_GEOREPORT_FIELD_INVALID');
    await bad({ colour: 'red' }, 400, 'ERR_GEOREPORT_FIELD_INVALID');
    await bad({ 'attribute[size]': 'big' }, 400, 'ERR_GEOREPORT_FIELD_INVALID');
    await bad({ media_url: 'file:///etc/passwd' }, 400, 'ERR_GEOREPORT_FIELD_INVALID');
    await bad({ email: 'not an address' }, 400, 'ERR_GEOREPORT_FIELD_INVALID');
    await bad({ description: 'x'.repeat(200_000) }, 400, 'ERR_TEXT_TOO_LONG');
    const twice = await t.request({ method: 'POST', url: `${V2}/requests.json`, headers: formHeaders, payload: `${form({ ...lighting, api_key: key })}&description=again` });
    expectOpen311Error(twice, 400, 'ERR_GEOREPORT_FIELD_INVALID');
    const multipart = await t.request({ method: 'POST', url: `${V2}/requests.json`, headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--\r\n' });
    expectOpen311Error(multipart, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
    const text = await t.request({ method: 'POST', url: `${V2}/requests.json`, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expectOpen311Error(text, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
    expect(await countCases(t)).toBe(before);
  });

  it('refuses bad dates, statuses and pages', async () => {
    expectOpen311Error(await get('/requests.json?start_date=yesterday'), 400, 'ERR_GEOREPORT_DATE_INVALID');
    expectOpen311Error(await get('/requests.json?start_date=2026-02-30T00:00:00Z'), 400, 'ERR_GEOREPORT_DATE_INVALID');
    expectOpen311Error(await get('/requests.json?start_date=2026-11-25T00:00:00Z&end_date=2026-11-01T00:00:00Z'), 400, 'ERR_GEOREPORT_DATE_INVALID');
    expectOpen311Error(await get('/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z'), 400, 'ERR_GEOREPORT_DATE_INVALID', 'xml');
    expectOpen311Error(await get('/servicerequestupdates.json?end_date=2026-13-01'), 400, 'ERR_GEOREPORT_DATE_INVALID');
    expectOpen311Error(await get('/requests.json?status=pending'), 400, 'ERR_GEOREPORT_STATUS_INVALID');
    expectOpen311Error(await get('/requests.json?page_size=1001'), 400, 'ERR_GEOREPORT_PAGING_INVALID');
    expectOpen311Error(await get('/requests.json?page=0'), 400, 'ERR_GEOREPORT_PAGING_INVALID');
    expectOpen311Error(await get('/requests.json?page_size=ten'), 400, 'ERR_GEOREPORT_PAGING_INVALID');
    expectOpen311Error(await get('/requests.json?radius=5'), 400, 'ERR_GEOREPORT_FIELD_INVALID');
    // A '+' of an offset that arrived unescaped (a space) is still read as the offset.
    expect((await get('/requests.json?start_date=2026-11-25T00:00:00 05:00')).statusCode).toBe(200);
  });

  it('answers 404 for an unknown format extension, resource, request or token', async () => {
    expectOpen311Error(await get('/services.csv'), 404, 'ERR_GEOREPORT_FORMAT_NOT_FOUND');
    expectOpen311Error(await get('/services'), 404, 'ERR_GEOREPORT_FORMAT_NOT_FOUND');
    expectOpen311Error(await get('/requests/109-2026-00000001.html'), 404, 'ERR_GEOREPORT_FORMAT_NOT_FOUND');
    expectOpen311Error(await get('/reports.xml'), 404, 'ERR_ROUTE_NOT_FOUND', 'xml');
    expectOpen311Error(await get('/requests/109-2099-99999999.json'), 404, 'ERR_CASE_NOT_FOUND');
    expectOpen311Error(await get('/tokens/nope.xml'), 404, 'ERR_GEOREPORT_TOKEN_NOT_FOUND', 'xml');
    expectOpen311Error(await get('/a/b/c.json'), 404, 'ERR_ROUTE_NOT_FOUND');
  });

  it('takes updates only on requests the same client filed, with a known status', async () => {
    const created = await file({ ...lighting, description: 'Не горит фонарь у арки' });
    const other = await clientKey(t, 'another client');
    const update = { service_request_id: created.service_request_id, update_id: 'x-1', status: 'OPEN', updated_datetime: '2026-11-25T12:00:00Z', description: 'Ещё не починили' };
    expectOpen311Error(await post('/servicerequestupdates.json', { ...update, api_key: other }), 404, 'ERR_CASE_NOT_FOUND');
    expectOpen311Error(await post('/servicerequestupdates.json', { ...update, api_key: key, service_request_id: '109-2099-00000001' }), 404, 'ERR_CASE_NOT_FOUND');
    expectOpen311Error(await post('/servicerequestupdates.json', { ...update, api_key: key, status: 'MAYBE' }), 400, 'ERR_GEOREPORT_STATUS_INVALID');
    expectOpen311Error(await post('/servicerequestupdates.json', { ...update, api_key: key, updated_datetime: 'now' }), 400, 'ERR_GEOREPORT_DATE_INVALID');
    const { description: _d, ...noDescription } = update;
    expectOpen311Error(await post('/servicerequestupdates.json', { ...noDescription, api_key: key }), 400, 'ERR_GEOREPORT_FIELD_INVALID');
  });
});
