/**
 * The channel doors of issue 6 (child, knowledge, schools, geo, 102 form, Open311, Telegram) given hostile
 * values in fields that pass their shape: NUL bytes, lone surrogates, bidi tricks, 100,000 characters,
 * numbers that are not, repeated fields. Each answer is an acceptance or a catalogued refusal.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorCatalogue, type ErrorCode } from '../../src/core/errors.ts';
import { statusOf } from '../../src/http/plugins/errors.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';
import { multipart } from '../support/files.ts';
import { clientKey } from '../open311/support.ts';

let t: TestApp;
const H: Record<string, Record<string, string>> = {};
let caseId = '';
let key = '';
const SECRET = 'webhook-secret-0123456789';
beforeAll(async () => {
  t = await buildTestApp({ config: { TELEGRAM_BOT_TOKEN: '123456789:AAtest-token_for-the-fake-bot-api', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_URL: 'http://127.0.0.1:9' } });
  const c = await t.citizen('+77017770101');
  H['citizen'] = bearer(c.token);
  H['head'] = bearer((await t.staff('head', 'kz.processing_centre')).token);
  caseId = (await submitCase(t, {}, H['citizen'])).caseId;
  key = await clientKey(t);
});
afterAll(async () => t.close());

const UGLY = ['', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', '\u202Egnp.exe', '🚧'.repeat(30_000), 'a'.repeat(100_000), "'; DROP TABLE cases; --", '${7*7}', '__proto__', '-1', 'NaN', '1e400', '0x1F', '51.1,71.4', ' 51.1 ', '٥١٫١'];

/** A lone surrogate cannot be URI-encoded: sent as the UTF-8 bytes of one, which is invalid UTF-8. */
const enc = (v: string): string => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
};

it('answers ugly values in every field of the new doors with a catalogued refusal or an acceptance, never a 5xx', async () => {
  const reqs: InjectOptions[] = [];
  for (const v of UGLY) {
    reqs.push({ method: 'POST', url: '/api/v1/child/reports', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text: v }) });
    reqs.push({ method: 'POST', url: '/api/v1/child/reports', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'Меня бьют в школе', schoolCode: v }) });
    reqs.push({ method: 'POST', url: '/api/v1/child/reports', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'Меня бьют в школе', city: v }) });
    reqs.push({ method: 'POST', url: '/api/v1/knowledge/suggest', headers: { ...H['head'], 'content-type': 'application/json' }, payload: JSON.stringify({ text: v }) });
    reqs.push({ method: 'GET', url: `/api/v1/knowledge/articles?q=${enc(v).slice(0, 20000)}` });
    reqs.push({ method: 'GET', url: `/api/v1/schools?q=${enc(v).slice(0, 20000)}` });
    reqs.push({ method: 'GET', url: `/api/v1/geo/district?lat=${enc(v).slice(0, 2000)}&lon=71.4` });
    const police = await multipart({ text: v || 'x', category: 'safety.theft', lat: v, lon: '71.43' });
    reqs.push({ method: 'POST', url: '/api/v1/police/reports', headers: { ...H['citizen'], 'content-type': police.contentType }, payload: police.payload });
    const police2 = await multipart({ text: v, category: v, lat: '51.128', lon: '71.43', occurredAt: v });
    reqs.push({ method: 'POST', url: '/api/v1/police/reports', headers: { ...H['citizen'], 'content-type': police2.contentType }, payload: police2.payload });
    const form = new URLSearchParams({ api_key: key, service_code: 'roads.lighting', lat: '51.128', long: '71.43', description: v, address_string: v, email: v, first_name: v, phone: v, media_url: v, device_id: v, account_id: v });
    reqs.push({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    const form2 = new URLSearchParams({ api_key: key, service_code: v, lat: v, long: v, description: 'x' });
    reqs.push({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form2.toString() });
    reqs.push({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `${form.toString()}&lat=1&lat=2&service_code=a` });
    const upd = new URLSearchParams({ api_key: key, service_request_id: v, description: v, status: v, update_id: v, updated_datetime: v, email: v });
    reqs.push({ method: 'POST', url: '/open311/v2/servicerequestupdates.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: upd.toString() });
    reqs.push({ method: 'GET', url: `/open311/v2/requests.json?start_date=${enc(v).slice(0, 5000)}&service_request_id=${enc(v).slice(0, 5000)}` });
    const chat = { id: 42, type: 'private' };
    const from = { id: 42, is_bot: false, first_name: v, language_code: v };
    let u = 1000 + reqs.length; // a fresh update id each: a repeated one is answered as a duplicate
    const updates = [
      { update_id: u++, message: { message_id: 1, from, chat, date: 1, text: v } },
      { update_id: u++, message: { message_id: 1, from, chat, date: 1, text: `/start ${v}` } },
      { update_id: u++, message: { message_id: 1, from, chat, date: 1, location: { latitude: Number(v) || 1e308, longitude: -1e308 } } },
      { update_id: u++, message: { message_id: 1, from, chat, date: 1, photo: [{ file_id: v, file_unique_id: v, width: -1, height: 1e12, file_size: 1e15 }] } },
      { update_id: u++, callback_query: { id: v, from, data: v, chat_instance: v } },
      { update_id: u++, message: { message_id: 1, from, chat: { id: 1e300, type: v }, date: 1, text: 'x' } },
      { update_id: 1e300, message: { message_id: 1, from, chat, date: 1, text: 'x' } },
      { update_id: u++, message: { message_id: 1, from, chat, date: 1, contact: { phone_number: v, first_name: v, user_id: 42 } } },
      { update_id: u, message: { message_id: 1, from, chat, date: 1, text: v, entities: [{ type: 'bot_command', offset: -5, length: 1e9 }] } },
    ];
    for (const up of updates) reqs.push({ method: 'POST', url: '/api/v1/channels/telegram/webhook', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, payload: JSON.stringify(up) });
    reqs.push({ method: 'POST', url: `/api/v1/cases/${caseId}/knowledge`, headers: { ...H['head'], 'content-type': 'application/json' }, payload: JSON.stringify({ articleId: v }) });
  }
  for (const r of reqs) {
    const res = await t.request(r);
    const context = `${res.statusCode} ${res.body.slice(0, 300)}\nfor ${r.method} ${String(r.url).slice(0, 200)} ${String(r.payload ?? '').slice(0, 300)}`;
    expect(res.statusCode, context).toBeLessThan(500);
    if (res.statusCode < 400) continue;
    // Open311 answers in the spec's own error list; every other door in the catalogue's envelope.
    if (String(r.url).startsWith('/open311')) {
      const [first] = res.json<{ code: number; description: string }[]>();
      expect(first?.code, context).toBe(res.statusCode);
      expect(first?.description.split(':')[0] ?? '', context).toMatch(/^ERR_[A-Z0-9_]+$/);
    } else {
      const code = res.json<{ error?: { code?: string } }>().error?.code;
      expect(code !== undefined && code in errorCatalogue && statusOf(code as ErrorCode) === res.statusCode, context).toBe(true);
    }
  }
}, 300_000);
