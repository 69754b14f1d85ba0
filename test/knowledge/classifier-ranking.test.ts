import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_FILES } from '../../src/config/paths.ts';
import { createKnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { loadKnowledgeData } from '../../src/knowledge/load.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';

/** The platform's classifier (platform.understanding) raises the articles of the category it reads in the query. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ withModel: true });
});
afterAll(async () => t.close());

describe('search through the platform, with the trained classifier', () => {
  it("scores an article of the query's category above what its words alone give", async () => {
    const q = 'в подъезде холодно, батареи ледяные';
    const u = t.platform.understanding.understand(q);
    expect(u, 'the trained model (models/classifier.bin) is installed').not.toBeNull();
    const data = loadKnowledgeData(path.join(DATA_FILES, 'knowledge'), () => true);
    const wordsOnly = createKnowledgeBase(data.articles, data.topics).search({ type: 'public' }, { q, limit: 50 }, () => 'ru');

    const res = await t.request({ method: 'GET', url: `/api/v1/knowledge/articles?${new URLSearchParams({ q, limit: '50' })}` });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { id: string; score: number; categories: string[] }[] }>().items;
    const guessed = new Set(u!.top.filter((g) => g.probability >= 0.2).map((g) => g.category));
    expect(guessed.size).toBeGreaterThan(0);
    for (const item of items) {
      const plain = wordsOnly.find((h) => h.article.id === item.id)!.score;
      if (item.categories.some((c) => guessed.has(c))) expect(item.score, item.id).toBeGreaterThan(plain);
      else expect(item.score, item.id).toBeLessThanOrEqual(plain * 1.2 + 0.001);
    }
    expect(items.some((i) => i.categories.some((c) => guessed.has(c)))).toBe(true);
  });
});
