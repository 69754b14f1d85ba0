import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

// Ingestion hands every new post to the issue clustering (src/app/social-issues.ts): posts sent to the
// webhook become an issue the analysts see, without anyone calling the clustering by hand.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ withModel: true });
});
afterAll(() => t.close());

const posts = [
  'Алматы, мкр Самал-2, дом 5: отопления нет третий день, батареи холодные, дети мерзнут',
  'Самал-2 (Алматы), у нас в доме 7 тоже холодные батареи, отопление не работает с понедельника',
  'Алматыда Самал-2 шағынауданында жылу жоқ, батареялар суық, үшінші күн',
  'Алматы, Самал-2: опять нет отопления!!! батареи ледяные',
];

describe('social posts → issues', () => {
  it('groups posts about one problem in one place into one issue, listed for analysts', async () => {
    const { token } = await t.staff('analyst', 'kz.processing_centre');
    const sent = await t.request({
      method: 'POST',
      url: '/api/v1/social/posts',
      headers: bearer(token),
      payload: { posts: posts.map((text, i) => ({ source: 'tg:almaty_chat', id: String(i + 1), time: `2026-11-25T0${i + 1}:00:00+05:00`, text, author: `@user${i}` })) },
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ new: posts.length });
    const listed = await t.request({ method: 'GET', url: '/api/v1/social/issues', headers: bearer(token) });
    expect(listed.statusCode).toBe(200);
    const body = listed.json<{ issues: { category: string }[] }>();
    const heating = body.issues.filter((i) => i.category.startsWith('utilities.heating'));
    expect(heating).toHaveLength(1);
    expect(JSON.stringify(heating[0])).toMatch(/almaty/);
  });
});
