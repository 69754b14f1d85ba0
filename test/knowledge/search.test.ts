import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCategoryCodes } from '../../src/app/nlp-data.ts';
import { DATA_FILES } from '../../src/config/paths.ts';
import { DomainError } from '../../src/core/errors.ts';
import type { Language } from '../../src/core/model.ts';
import type { Principal } from '../../src/core/principal.ts';
import { queryWords } from '../../src/knowledge/analyse.ts';
import { createKnowledgeBase, type CategoryGuess } from '../../src/knowledge/knowledge-base.ts';
import { loadKnowledgeData } from '../../src/knowledge/load.ts';

const categories = new Set(loadCategoryCodes());
const data = loadKnowledgeData(path.join(DATA_FILES, 'knowledge'), (c) => categories.has(c));
const kb = createKnowledgeBase(data.articles, data.topics);

const PUBLIC: Principal = { type: 'public' };
const CITIZEN: Principal = { type: 'citizen', userId: '00000000-0000-4000-8000-000000000001' };
const STAFF: Principal = { type: 'staff', userId: 'u', role: 'dispatcher', organisationId: 'astana.ikomek', scope: new Set(['astana.ikomek']) };
const ru = (): Language => 'ru';

const top = (q: string, principal: Principal = PUBLIC, extra: { audience?: 'citizen' | 'child' | 'operator'; lang?: Language } = {}): string[] =>
  kb.search(principal, { q, ...extra }, ru).map((h) => h.article.id);

describe('search across languages and scripts', () => {
  it.each([
    ['справка с места жительства'],
    ['адресная справка'],
    ['anyqtama'],
    ['мекенжай анықтамасы'],
    ['мекенжай аныктамасы'], // Kazakh typed on a Russian keyboard
    ['mekenjai anyqtamasy kerek'], // Kazakh in Latin letters
    ['mekenjaı anyqtamasy'], // the 2021 alphabet's dotless ı
    ['how to get a certificate of address'],
  ])('finds the address certificate for %j', (q) => {
    expect(top(q)[0]).toBe('address-certificate');
  });

  it.each([['мені мектепте қорлайды'], ['мени мектепте корлайды'], ['meni mektepte qorlaidy'], ['меня травят в школе'], ['I am being bullied at school']])(
    'finds the bullying article for children for %j',
    (q) => {
      expect(top(q, PUBLIC, { audience: 'child' })[0]).toBe('bullied-at-school');
      expect(top(q)).toContain('bullied-at-school');
    },
  );

  it('ranks other everyday questions to the article that answers them', () => {
    expect(top('когда включат отопление')[0]).toBe('heating-season');
    expect(top('лифт не работает, застряли')[0]).toBe('lift-broken');
    expect(top('qar tazalanbaidy')[0]).toBe('snow-removal');
    expect(top('открытый люк во дворе')[0]).toBe('open-manhole');
    expect(top('укусила бездомная собака')[0]).toBe('stray-animals');
    expect(top('пахнет газом в подъезде')[0]).toBe('gas-smell');
    expect(top('муж бьёт, куда обратиться')[0]).toBe('domestic-violence-help');
  });

  it('gives the snippet in the asked language, from the sentence that matches', () => {
    const [kk] = kb.search(PUBLIC, { q: 'справка с места жительства', lang: 'kk' }, ru);
    expect(kk).toMatchObject({ language: 'kk', title: expect.stringContaining('Мекенжай анықтамасын') });
    expect(kk!.snippet).toMatch(/[әғқңөұүі]/);
    const [en] = kb.search(PUBLIC, { q: 'справка с места жительства', lang: 'en' }, ru);
    expect(en!.snippet).toMatch(/address|certificate/i);
    expect(en!.snippet.length).toBeLessThanOrEqual(240);
  });

  it('reads a Latin word both as English and as Kazakh, and drops stop words in either reading', () => {
    expect(queryWords('anyqtama')).toEqual([['anyqtama', 'аныктама']]);
    expect(queryWords('lift kerek')).toEqual([['lift', 'лифт']]);
    expect(queryWords('the, и, және, ???')).toEqual([]);
  });
});

describe('who sees which articles', () => {
  it('never shows operator articles to the public or a citizen, only to staff', () => {
    const q = 'первый контакт оператор отправить статью';
    expect(top(q)).not.toContain('operator-first-contact');
    expect(top(q, CITIZEN)).not.toContain('operator-first-contact');
    expect(top(q, STAFF)[0]).toBe('operator-first-contact');
    expect(() => kb.search(PUBLIC, { q, audience: 'operator' }, ru)).toThrow(expect.objectContaining({ code: 'ERR_UNAUTHENTICATED' }));
    expect(() => kb.search(CITIZEN, { q, audience: 'operator' }, ru)).toThrow(expect.objectContaining({ code: 'ERR_FORBIDDEN' }));
    expect(() => kb.article(PUBLIC, 'operator-first-contact')).toThrow(DomainError);
    expect(kb.article(STAFF, 'operator-first-contact').id).toBe('operator-first-contact');
  });

  it('lists the shelf topic by topic when there is no query', () => {
    const all = kb.search(PUBLIC, { limit: 50 }, ru);
    expect(all.length).toBe(data.articles.filter((a) => a.audience !== 'operator').length);
    expect(all.every((h) => h.score === 0 && h.snippet.length > 0)).toBe(true);
    const topicsInOrder = [...new Set(all.map((h) => h.article.topic))];
    expect(topicsInOrder).toEqual(data.topics.map((t) => t.code).filter((c) => topicsInOrder.includes(c)));
  });

  it('groups the child self-help by topic, in the asked language, with nothing for adults', () => {
    const topics = kb.topics(PUBLIC, 'child', 'kk');
    expect(topics.map((t) => t.code)).toEqual(['school', 'online', 'feelings', 'family']);
    expect(topics[0]).toMatchObject({ name: 'Мектеп және достар' });
    const ids = topics.flatMap((t) => t.articles.map((a) => a.id));
    expect(ids).toContain('bullied-at-school');
    expect(ids).not.toContain('child-bullied-parents');
  });
});

describe('category-aware ranking', () => {
  it("raises the articles of the category the classifier reads in the query", () => {
    // "жылу қашан" (when is the heat on) matches several articles about heating and bills by its words.
    const q = 'жылу қашан беріледі, батарея суық';
    const plain = kb.search(PUBLIC, { q, limit: 50 }, ru);
    const guess: CategoryGuess = () => [{ category: 'housing.maintenance', probability: 0.9 }];
    const guided = createKnowledgeBase(data.articles, data.topics, guess).search(PUBLIC, { q, limit: 50 }, ru);
    const rank = (hits: typeof plain, id: string) => hits.findIndex((h) => h.article.id === id);
    expect(rank(guided, 'cold-radiators')).toBeLessThanOrEqual(rank(plain, 'cold-radiators'));
    expect(guided.find((h) => h.article.id === 'cold-radiators')!.score).toBeGreaterThan(plain.find((h) => h.article.id === 'cold-radiators')!.score);
    // The boost never surfaces an article the words did not match.
    expect(guided.map((h) => h.article.id).sort()).toEqual(plain.map((h) => h.article.id).sort());
  });

  it('changes the order when the text alone is ambiguous', () => {
    // "жалоба" (complaint) fits public services, answers and buses alike; the classifier's reading decides.
    const q = 'жалоба';
    const plain = kb.search(PUBLIC, { q, limit: 50 }, ru).map((h) => h.article);
    expect(plain.length).toBeGreaterThan(2);
    const runnerUp = plain.slice(1).find((a) => a.categories.some((c) => !plain[0]!.categories.includes(c)))!;
    const category = runnerUp.categories.find((c) => !plain[0]!.categories.includes(c))!;
    const guided = createKnowledgeBase(data.articles, data.topics, () => [{ category, probability: 0.9 }]).search(PUBLIC, { q }, ru);
    expect(guided[0]!.article.categories).toContain(category);
    expect(guided[0]!.article.id).not.toBe(plain[0]!.id);
  });
});

describe('suggestions for the citizen form', () => {
  it('offers the article for a known question', () => {
    expect(kb.suggest('Как получить справку с места жительства?', 'ru').map((h) => h.article.id)).toContain('address-certificate');
    expect(kb.suggest('Мекенжай анықтамасын қалай алуға болады?', 'kk')[0]?.article.id).toBe('address-certificate');
    expect(kb.suggest('когда включат отопление', 'ru')[0]?.article.id).toBe('heating-season');
  });

  it('offers nothing for an unrelated text, a greeting, or a single shared word', () => {
    expect(kb.suggest('Сегодня хорошая погода, иду гулять в парк с друзьями', 'ru')).toEqual([]);
    expect(kb.suggest('Хочу купить квартиру в ипотеку, какие банки дают', 'ru')).toEqual([]);
    expect(kb.suggest('hello how are you', 'en')).toEqual([]);
    expect(kb.suggest('справка', 'ru')).toEqual([]);
  });

  it('never suggests operator articles', () => {
    expect(kb.suggest('первый контакт оператор отправить статью в диалог', 'ru').every((h) => h.article.audience !== 'operator')).toBe(true);
  });

  it('reads only the first words of a pasted essay: bounded work, no suggestion from noise', () => {
    const letters = 'бвгджзклмнпрстфх';
    const word = (i: number): string => `${letters[i % 16]}а${letters[Math.floor(i / 16) % 16]}о${letters[Math.floor(i / 256) % 16]}у`;
    const essay = Array.from({ length: 4_000 }, (_, i) => word(i)).join(' ');
    const started = performance.now();
    expect(kb.suggest(essay, 'ru')).toEqual([]);
    expect(queryWords(essay).length).toBe(64);
    // A generous bound, not a benchmark: a quadratic path would take seconds.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
