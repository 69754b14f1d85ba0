import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCategoryCodes, loadCorpus, loadLexicon, loadSubcategories } from '../../src/app/nlp-data.ts';
import { encodeBundle } from '../../src/nlp/model-file.ts';
import { trainBundle } from '../../src/nlp/training.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase } from '../support/factories.ts';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ withModel: true });
});
afterAll(async () => t.close());

const classify = (text: string) => t.request({ method: 'POST', url: '/api/v1/classify', payload: { id: 'x1', text } });

describe('POST /api/v1/classify', () => {
  it('reads a heating complaint without the word "heating", in Russian, Cyrillic and Latin Kazakh', async () => {
    const ru = (await classify('батареи ледяные, дети спят в куртках')).json();
    expect(ru).toMatchObject({ id: 'x1', language: 'ru', script: 'cyrl', category: 'utilities.heating', relevant: true });
    expect(ru.top).toHaveLength(3);
    expect(ru.why.length).toBeGreaterThan(0);
    const kk = (await classify('Үйде жылу жоқ, балалар тоңып жатыр')).json();
    const latin = (await classify('Üide jylu joq, balalar toñyp jatyr')).json();
    expect(kk).toMatchObject({ language: 'kk', category: 'utilities.heating' });
    expect(latin).toMatchObject({ language: 'kk', script: 'latn', category: kk.category });
  });

  it('raises urgency for a gas smell and a child at risk, whatever the spelling', async () => {
    for (const text of ['В подъезде сильно пахнет газом', 'Подъезде газдың иісі шығып тұр', 'Podezde gazdyñ iısı şyğyp tūr', 'мен енді өмір сүргім келмейді, бәрі бітсін']) {
      expect((await classify(text)).json(), text).toMatchObject({ urgency: 'emergency' });
    }
  });

  it('answers cleanly for empty, junk, emoji-only, URL-only and mixed-script input, with no confidence', async () => {
    const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)).toString('latin1');
    for (const text of ['', '   ', junk, '🙂🙂🙂🔥', 'https://example.kz/a?b=c', 'мекtep жолы']) {
      const res = await classify(text);
      expect(res.statusCode, JSON.stringify(text.slice(0, 20))).toBe(200);
      const u = res.json<{ confidence: number; category: string; relevant: boolean }>();
      expect(u.confidence).toBeGreaterThanOrEqual(0);
      expect(u.confidence).toBeLessThanOrEqual(1);
    }
    expect((await classify('')).json()).toMatchObject({ category: 'other', relevant: false, confidence: 0, top: [] });
    expect((await classify('🙂🙂🙂')).json()).toMatchObject({ category: 'other', relevant: false, confidence: 0 });
  });

  it('reads half a megabyte without failing, and refuses a body over the limit with a stable code', async () => {
    const long = 'Во дворе не вывозят мусор. '.repeat(20_000);
    expect((await classify(long)).json()).toMatchObject({ category: 'sanitation.waste' });
    const huge = await t.request({ method: 'POST', url: '/api/v1/classify', payload: { text: 'а'.repeat(1_100_000) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'ERR_BODY_TOO_LARGE' } });
    expect((await t.request({ method: 'POST', url: '/api/v1/classify', payload: { text: 5 } })).json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
  });
});

describe('intake with the classifier', () => {
  it('files a case without a category under the model\'s guess, and records the guess beside a submitter\'s own choice', async () => {
    const guessed = await submitCase(t, { channel: 'city', category: undefined, text: 'Третий день нет горячей воды во всём доме, из крана течёт ржавая вода', districtId: 'astana.esil' });
    const own = await submitCase(t, { channel: 'city', category: 'roads.repair', text: 'Третий день нет горячей воды во всём доме', districtId: 'astana.esil' });
    const staff = await t.staff('admin', 'kz.government');
    const event = async (caseId: string) =>
      (await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/events`, headers: bearer(staff.token) })).json<{ type: string; payload: Record<string, unknown> }[]>()[0]!;
    expect((await event(guessed.caseId)).payload).toMatchObject({ category: 'utilities.water', classifier: { category: 'utilities.water' } });
    const ownEvent = await event(own.caseId);
    expect(ownEvent.payload).toMatchObject({ category: 'roads.repair', classifier: { category: 'utilities.water' } });
    expect((ownEvent.payload['classifier'] as { top: unknown[] }).top).toHaveLength(3);
  });

  it('sends an unclear message to triage with the three suggestions', async () => {
    const receipt = await submitCase(t, { channel: 'city', category: undefined, text: 'хочу узнать, к кому обратиться по моему вопросу', districtId: 'astana.esil' });
    expect(receipt).toMatchObject({ triage: true, category: 'other' });
  });
});

describe('similar open cases nearby', () => {
  it('offers an open case at the same place with a similar text, and never a confidential one', async () => {
    const first = await submitCase(t, { channel: 'city', category: 'utilities.sewage', text: 'Открытый люк возле школы №45 на улице Кенесары, дети ходят рядом', location: POINTS.astanaEsil, districtId: undefined });
    const similar = await t.request({
      method: 'POST',
      url: '/api/v1/cases/similar',
      payload: { text: 'Возле школы 45 на Кенесары открытый люк, там ходят дети!', category: 'utilities.sewage', location: POINTS.astanaEsil },
    });
    expect(similar.statusCode, similar.body).toBe(200);
    const found = similar.json<{ registrationNumber: string; distanceMeters: number }[]>();
    expect(found[0]).toMatchObject({ registrationNumber: first.registrationNumber, distanceMeters: 0 });
    expect(JSON.stringify(found)).not.toContain('Кенесары');
    const elsewhere = await t.request({
      method: 'POST',
      url: '/api/v1/cases/similar',
      payload: { text: 'Открытый люк возле школы', category: 'utilities.sewage', location: POINTS.almatyBostandyk },
    });
    expect(elsewhere.json()).toEqual([]);
  });

  it('needs a place and a text', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/cases/similar', payload: { text: 'люк' } });
    expect(res.json()).toMatchObject({ error: { code: 'ERR_VALIDATION' } });
    expect((await t.request({ method: 'POST', url: '/api/v1/cases/similar', payload: { text: ' ', districtId: 'astana.esil' } })).json()).toMatchObject({ error: { code: 'ERR_TEXT_EMPTY' } });
  });
});

describe('training', () => {
  it('is deterministic: the same corpus gives the same bytes', () => {
    const entries = loadCorpus('train').filter((_, i) => i % 12 === 0);
    const input = { entries, subcategories: loadSubcategories(), categories: loadCategoryCodes(), lexicon: loadLexicon(), features: { bits: 12, minN: 3, maxN: 4 }, training: { epochs: 2 } };
    const a = encodeBundle(trainBundle(input));
    const b = encodeBundle(trainBundle(input));
    expect(a.equals(b)).toBe(true);
  });
});
