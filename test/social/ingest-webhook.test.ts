import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';

const TOKEN = 'feed-token-0123456789abcdefghij';
let t: TestApp;

const feedPost = (id: string, over: Record<string, unknown> = {}) => ({ source: 'fb:akimat', id, time: '2026-11-25T09:00:00+05:00', text: `Нет света на Сарыарке, ${id}`, author: '@someone', ...over });

beforeAll(async () => {
  t = await buildTestApp({ config: { SOCIAL_WEBHOOK_TOKEN: TOKEN } });
});
afterAll(() => t.close());

describe('POST /api/v1/social/posts', () => {
  it('accepts an analyst, stores the batch, and changes nothing on a repeat', async () => {
    const { token } = await t.staff('analyst', 'kz.processing_centre');
    const send = () => t.request({ method: 'POST', url: '/api/v1/social/posts', headers: { authorization: `Bearer ${token}` }, payload: { posts: [feedPost('1'), feedPost('2')] } });
    const first = await send();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: 2, new: 2, duplicates: 0 });
    expect((await send()).json()).toMatchObject({ received: 2, new: 0, duplicates: 2 });
    const s = (await t.testDb.db.query<{ format: string; language: string }>("SELECT format, language FROM social_posts WHERE source = 'fb:akimat' AND external_id = '1'")).rows[0];
    expect(s).toMatchObject({ format: 'webhook' });
    expect(s?.language).toBeTruthy();
  });

  it('accepts the configured feed token and refuses a wrong one', async () => {
    const ok = await t.request({ method: 'POST', url: '/api/v1/social/posts', headers: { 'x-social-token': TOKEN }, payload: { posts: [feedPost('3')] } });
    expect(ok.statusCode).toBe(200);
    const wrong = await t.request({ method: 'POST', url: '/api/v1/social/posts', headers: { 'x-social-token': `${TOKEN}x` }, payload: { posts: [feedPost('4')] } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('ERR_SOCIAL_TOKEN_INVALID');
  });

  it('refuses the public and roles other than analyst and registrar', async () => {
    const anon = await t.request({ method: 'POST', url: '/api/v1/social/posts', payload: { posts: [feedPost('5')] } });
    expect(anon.statusCode).toBe(401);
    const { token } = await t.staff('executor', 'kz.processing_centre');
    const executor = await t.request({ method: 'POST', url: '/api/v1/social/posts', headers: { authorization: `Bearer ${token}` }, payload: { posts: [feedPost('5')] } });
    expect(executor.statusCode).toBe(403);
    expect(executor.json().error.code).toBe('ERR_FORBIDDEN');
  });

  it('stores nothing of a batch with a bad post, and names each bad one', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/social/posts',
      headers: { 'x-social-token': TOKEN },
      payload: { posts: [feedPost('6'), feedPost('7', { time: '25.11.2026' }), feedPost('8', { place: { lat: 200, lon: 1 } }), 'nope'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'ERR_SOCIAL_POSTS_INVALID',
      details: { posts: [{ index: 1, field: 'time' }, { index: 2, field: 'place' }, { index: 3, field: 'line' }] },
    });
    const { rows } = await t.testDb.db.query("SELECT 1 FROM social_posts WHERE external_id = '6'");
    expect(rows).toHaveLength(0);
  });

  it('answers malformed bodies with a clear 400, not a 500', async () => {
    const headers = { 'x-social-token': TOKEN, 'content-type': 'application/json' };
    for (const payload of ['{"posts": [', '{"posts": []}', '{"posts": {}}', '[]', `{"posts": ${JSON.stringify(Array.from({ length: 1001 }, (_, i) => feedPost(String(i))))}}`]) {
      const res = await t.request({ method: 'POST', url: '/api/v1/social/posts', headers, payload });
      expect(res.statusCode, payload.slice(0, 30)).toBe(400);
      expect(res.json().error.code).toMatch(/^ERR_(MALFORMED_JSON|VALIDATION)$/);
    }
  });
});
