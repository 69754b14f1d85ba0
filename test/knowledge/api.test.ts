import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

interface Item {
  id: string;
  audience: string;
  language: string;
  title: string;
  snippet: string;
  score: number;
}

let t: TestApp;
let citizen: { token: string };
let staff: { token: string };

beforeAll(async () => {
  t = await buildTestApp();
  citizen = await t.citizen('+77015550301');
  staff = await t.staff('dispatcher', 'astana.dept.social');
});
afterAll(async () => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.request({ method: 'GET', url, headers });
const search = async (query: Record<string, string>, headers: Record<string, string> = {}) => {
  const res = await get(`/api/v1/knowledge/articles?${new URLSearchParams(query)}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ language: string; items: Item[] }>();
};
function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
}

describe('GET /api/v1/knowledge/articles', () => {
  it('finds the address certificate from Russian, Latin Kazakh and Cyrillic Kazakh, with a snippet in the asked language', async () => {
    for (const q of ['справка с места жительства', 'anyqtama', 'мекенжай анықтамасы']) {
      const body = await search({ q, lang: 'ru' });
      expect(body.items[0], q).toMatchObject({ id: 'address-certificate', language: 'ru', title: 'Как получить адресную справку (справку с места жительства)' });
      expect(body.items[0]!.score).toBeGreaterThan(0);
    }
    const kk = await search({ q: 'справка с места жительства', lang: 'kk' });
    expect(kk.language).toBe('kk');
    expect(kk.items[0]!.snippet).toMatch(/[әғқңөұүі]/);
  });

  it('finds the bullying article for children in the child audience', async () => {
    const body = await search({ q: 'мені мектепте қорлайды', audience: 'child', lang: 'kk' });
    expect(body.items[0]).toMatchObject({ id: 'bullied-at-school', audience: 'child', title: 'Мені мектепте қорлайды, мазақтайды немесе ұрады' });
    expect(body.items.every((i) => i.audience === 'child')).toBe(true);
  });

  it('filters by category (a taxonomy code) and refuses an unknown one', async () => {
    const body = await search({ q: 'жалоба', category: 'transport.public' });
    expect(body.items.map((i) => i.id)).toEqual(['public-transport-complaint']);
    expectError(await get('/api/v1/knowledge/articles?category=roads.potholes'), 400, 'ERR_UNKNOWN_CATEGORY');
  });

  it('shows operator articles to staff only', async () => {
    const q = 'первый контакт оператора';
    expect((await search({ q })).items.map((i) => i.id)).not.toContain('operator-first-contact');
    expect((await search({ q }, bearer(citizen.token))).items.map((i) => i.id)).not.toContain('operator-first-contact');
    expect((await search({ q }, bearer(staff.token))).items[0]!.id).toBe('operator-first-contact');
    expect((await search({ q, audience: 'operator' }, bearer(staff.token))).items.every((i) => i.audience === 'operator')).toBe(true);
    expectError(await get('/api/v1/knowledge/articles?audience=operator'), 401, 'ERR_UNAUTHENTICATED');
    expectError(await get('/api/v1/knowledge/articles?audience=operator', bearer(citizen.token)), 403, 'ERR_FORBIDDEN');
  });

  it('lists the public shelf for an empty or absent query, in the state language by default', async () => {
    for (const query of [{}, { q: '' }, { q: '   ' }] as Record<string, string>[]) {
      const body = await search({ ...query, limit: '50' });
      expect(body.language).toBe('kk');
      expect(body.items.length).toBeGreaterThan(40);
      expect(body.items.every((i) => i.audience !== 'operator' && i.score === 0)).toBe(true);
    }
  });

  it('answers a query of only punctuation or stop words with nothing, not an error', async () => {
    expect((await search({ q: '?!… и в на the' })).items).toEqual([]);
  });

  it('refuses bad input with a stable code: a 10,000-character query, an unknown language, a bad limit or an unknown field', async () => {
    expectError(await get(`/api/v1/knowledge/articles?q=${'а'.repeat(10_000)}`), 400, 'ERR_VALIDATION');
    expectError(await get('/api/v1/knowledge/articles?q=lift&lang=xx'), 400, 'ERR_VALIDATION');
    expectError(await get('/api/v1/knowledge/articles?limit=0'), 400, 'ERR_VALIDATION');
    expectError(await get('/api/v1/knowledge/articles?limit=51'), 400, 'ERR_VALIDATION');
    expectError(await get('/api/v1/knowledge/articles?audience=everyone'), 400, 'ERR_VALIDATION');
    expectError(await get('/api/v1/knowledge/articles?sql=1'), 400, 'ERR_VALIDATION');
  });
});

describe('GET /api/v1/knowledge/articles/:id', () => {
  it('returns one article in the asked language', async () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const res = await get(`/api/v1/knowledge/articles/heating-season?lang=${lang}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: 'heating-season', topic: 'home', audience: 'citizen', categories: ['utilities.heating'], language: lang });
    }
    const en = (await get('/api/v1/knowledge/articles/heating-season?lang=en')).json<{ title: string; body: string }>();
    expect(en.title).toBe('When the heating season starts and ends');
    expect(en.body).toContain('akimat');
  });

  it('is not found for an unknown id, and for an operator article asked by the public', async () => {
    expectError(await get('/api/v1/knowledge/articles/no-such-article'), 404, 'ERR_ARTICLE_NOT_FOUND');
    expectError(await get('/api/v1/knowledge/articles/operator-first-contact'), 404, 'ERR_ARTICLE_NOT_FOUND');
    expectError(await get('/api/v1/knowledge/articles/operator-first-contact', bearer(citizen.token)), 404, 'ERR_ARTICLE_NOT_FOUND');
    expect((await get('/api/v1/knowledge/articles/operator-first-contact', bearer(staff.token))).statusCode).toBe(200);
  });

  it('refuses a malformed id or language before looking anything up', async () => {
    expectError(await get('/api/v1/knowledge/articles/..%2F..%2Fetc%2Fpasswd'), 400, 'ERR_VALIDATION');
    expectError(await get(`/api/v1/knowledge/articles/${'a'.repeat(100)}`), 400, 'ERR_VALIDATION');
    expectError(await get('/api/v1/knowledge/articles/heating-season?lang=xx'), 400, 'ERR_VALIDATION');
  });
});

describe('GET /api/v1/knowledge/topics', () => {
  it('gives the child channel its self-help grouped by topic (audience=child is the default)', async () => {
    const res = await get('/api/v1/knowledge/topics?audience=child&lang=ru');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ audience: string; language: string; topics: { code: string; name: string; articles: { id: string; title: string; summary: string }[] }[] }>();
    expect(body).toMatchObject({ audience: 'child', language: 'ru' });
    expect(body.topics.map((x) => x.name)).toEqual(['Школа и друзья', 'Интернет и телефон', 'Когда тяжело на душе', 'Дома и в семье']);
    const online = body.topics.find((x) => x.code === 'online')!;
    expect(online.articles.map((a) => a.id).sort()).toEqual(['photo-blackmail', 'shamed-online']);
    expect(online.articles.every((a) => a.summary.length > 0 && a.summary.length <= 240)).toBe(true);
    expect((await get('/api/v1/knowledge/topics')).json()).toEqual((await get('/api/v1/knowledge/topics?audience=child&lang=kk')).json());
  });

  it('keeps operator topics for staff', async () => {
    expectError(await get('/api/v1/knowledge/topics?audience=operator'), 401, 'ERR_UNAUTHENTICATED');
    const res = await get('/api/v1/knowledge/topics?audience=operator&lang=en', bearer(staff.token));
    expect(res.json<{ topics: { code: string }[] }>().topics.map((x) => x.code)).toEqual(['operator-work']);
    expectError(await get('/api/v1/knowledge/topics?lang=de'), 400, 'ERR_VALIDATION');
  });
});

describe('POST /api/v1/knowledge/suggest', () => {
  const suggest = (payload: unknown) => t.request({ method: 'POST', url: '/api/v1/knowledge/suggest', payload: payload as Record<string, unknown> });

  it('suggests the article that answers a known question, in the question language', async () => {
    const res = await suggest({ text: 'Здравствуйте! Как получить справку с места жительства для школы?' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ language: string; suggestions: Item[] }>();
    expect(body.language).toBe('ru');
    expect(body.suggestions[0]).toMatchObject({ id: 'address-certificate', language: 'ru' });
    const kk = (await suggest({ text: 'мекенжай анықтамасын қалай аламын', lang: 'kk' })).json<{ suggestions: Item[] }>();
    expect(kk.suggestions[0]).toMatchObject({ id: 'address-certificate', language: 'kk' });
  });

  it('suggests nothing for an unrelated text (the threshold)', async () => {
    for (const text of ['Сегодня хорошая погода, иду гулять в парк с друзьями', 'Бүгін ауа райы жақсы, досыммен кинотеатрға барамын', 'Thanks for the great concert yesterday!']) {
      const res = await suggest({ text });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ suggestions: Item[] }>().suggestions, text).toEqual([]);
    }
  });

  it('refuses an empty text, a wrong type, an unknown language or an unknown field', async () => {
    expectError(await suggest({ text: '' }), 400, 'ERR_TEXT_EMPTY');
    expectError(await suggest({ text: ' \u200b\n ' }), 400, 'ERR_TEXT_EMPTY');
    expectError(await suggest({ text: 42 }), 400, 'ERR_VALIDATION');
    expectError(await suggest({ text: 'лифт', lang: 'xx' }), 400, 'ERR_VALIDATION');
    expectError(await suggest({ text: 'лифт', extra: true }), 400, 'ERR_VALIDATION');
    expectError(await suggest({}), 400, 'ERR_VALIDATION');
  });

  it('answers a long text quickly and without a suggestion drawn from noise', async () => {
    const res = await suggest({ text: 'бла '.repeat(10_000) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ suggestions: Item[] }>().suggestions).toEqual([]);
  });
});
