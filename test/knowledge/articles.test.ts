import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCategoryCodes } from '../../src/app/nlp-data.ts';
import { DATA_FILES } from '../../src/config/paths.ts';
import { languages } from '../../src/core/model.ts';
import { checkKnowledgeBase, type Article } from '../../src/knowledge/article.ts';
import { loadKnowledgeData } from '../../src/knowledge/load.ts';

const categories = new Set(loadCategoryCodes());
const { articles, topics } = loadKnowledgeData(path.join(DATA_FILES, 'knowledge'), (c) => categories.has(c));
const byId = new Map(articles.map((a) => [a.id, a]));
const article = (id: string): Article => {
  const a = byId.get(id);
  if (!a) throw new Error(`no article ${id}`);
  return a;
};
const allText = (a: Article): string[] => languages.map((l) => a.body[l]);

describe('the seeded knowledge base (data/knowledge)', () => {
  it('has at least 40 articles, for citizens, children and operators', () => {
    expect(articles.length).toBeGreaterThanOrEqual(40);
    const audiences = new Set(articles.map((a) => a.audience));
    expect([...audiences].sort()).toEqual(['child', 'citizen', 'operator']);
    expect(articles.filter((a) => a.audience === 'child').length).toBeGreaterThanOrEqual(6);
  });

  it('gives every article a title and body in kk, ru and en, non-empty and different from each other', () => {
    for (const a of articles) {
      for (const field of ['title', 'body'] as const) {
        const values = languages.map((l) => a[field][l].trim());
        expect(values.every((v) => v.length > 0), `${a.id} ${field}`).toBe(true);
        expect(new Set(values).size, `${a.id} ${field}`).toBe(3);
      }
      // Each language is written in its own script: Kazakh has its letters, Russian is Cyrillic, English Latin.
      expect(a.body.kk, a.id).toMatch(/[әғқңөұүһі]/i);
      expect(a.body.ru, a.id).toMatch(/[а-яё]{4}/i);
      expect(a.body.ru, a.id).not.toMatch(/[әғқңөұүһі]/i);
      expect(a.body.en, a.id).toMatch(/^[^а-яё]*$/i);
    }
  });

  it('has no two articles with the same body or title (nothing stamped from a template)', () => {
    for (const l of languages) {
      expect(new Set(articles.map((a) => a.body[l])).size).toBe(articles.length);
      expect(new Set(articles.map((a) => a.title[l])).size).toBe(articles.length);
    }
  });

  it('uses only taxonomy categories and known topics, and every topic has articles', () => {
    expect(checkKnowledgeBase(articles, topics, (c) => categories.has(c))).toEqual([]);
    for (const t of topics) expect(articles.some((a) => a.topic === t.code), t.code).toBe(true);
  });

  it('keeps the facts of the spec: appeal terms of 15, 20, 5 and 7 working days, redirect in 3, extension up to 2 months', () => {
    const terms = article('appeal-deadlines');
    for (const body of allText(terms)) for (const n of ['15', '20', '5', '7', '3']) expect(body).toMatch(new RegExp(`\\b${n}\\b`));
    for (const body of allText(article('appeal-redirected'))) expect(body).toMatch(/\b3\b/);
    for (const body of allText(article('public-service-complaint'))) expect(body).toMatch(/\b5\b/);
    for (const body of allText(article('complaint-about-an-answer'))) expect(body).toMatch(/\b20\b/);
    // 102: five files, photo ≤ 10 MB, video ≤ 100 MB.
    for (const body of allText(article('how-102-works'))) for (const n of ['10', '100']) expect(body).toContain(n);
    // 109: "not fixed" within 7 days of closing.
    for (const body of allText(article('how-109-works'))) expect(body).toMatch(/\b7\b/);
  });

  it('gives children the helplines (150, 111) and the emergency number in every language', () => {
    for (const id of ['bullied-at-school', 'hurt-at-home']) {
      for (const body of allText(article(id))) for (const n of ['150', '111', '112']) expect(body, id).toContain(n);
    }
    for (const body of allText(article('feeling-very-bad'))) for (const n of ['150', '112']) expect(body).toContain(n);
  });

  it('refuses a broken knowledge base with every problem listed', () => {
    const a = article('address-certificate');
    const copied: Article = { ...a, id: 'copied', title: { ...a.title, en: a.title.ru } };
    const problems = checkKnowledgeBase([a, a, copied, { ...a, id: 'x', topic: 'nowhere', categories: ['roads.potholes'] }], topics, (c) => categories.has(c));
    expect(problems).toEqual([
      'address-certificate: duplicate id',
      'copied: title is the same in two languages',
      'x: unknown topic nowhere',
      'x: category roads.potholes is not in the taxonomy',
    ]);
  });
});
