import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialDigestText, socialIssuesText } from '../../src/cli/commands/social-issues.ts';
import type { SocialPost } from '../../src/social/post.ts';
import { IssueClusterer } from '../../src/social/issues/clusterer.ts';
import { uniformWeights } from '../../src/social/issues/fingerprint.ts';
import { IssueService } from '../../src/social/issues/service.ts';
import { createSocialIssueStore } from '../../src/storage/social-issue-store.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let n = 0;
function post(text: string, over: Partial<SocialPost> = {}, district = 'astana.esil'): SocialPost {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, source: 'tg:esil_chat', externalId: String(n), authorKey: null, time: new Date('2026-11-25T04:00:00Z'),
    text, mediaUrls: [], place: null, replyTo: null, threadId: null, firstSeenAt: new Date('2026-11-25T04:00:00Z'), contentHash: 'x', edits: 0, deleted: false,
    reading: { relevant: true, category: 'utilities.heating', confidence: 0.9, urgency: 'normal', language: 'ru', city: 'astana', districtId: district, places: [] },
    ...over,
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  const service = new IssueService(new IssueClusterer({ weights: uniformWeights, matcher: null }), createSocialIssueStore(t.platform.db));
  await service.accept(post('Самал-2 дом 58 нет отопления, батареи холодные, звоните +7 701 123 45 67'), 'new');
  await service.accept(post('+1 Самал-2 дом 58 тоже нет отопления', { source: 'whatsapp:dom58' }), 'new');
  await service.accept(post('Самал-2 дом 58 нет отопления, батареи холодные', { id: '00000000-0000-4000-8000-000000000001' }), 'edit');
  await service.accept(post('Продаю диван', { reading: null }), 'new');
  await service.accept(post('Самал-2 дом 58 нет отопления', {}, 'astana.almaty'), 'new');
  await service.addCases([{ id: 'a1b2c3d4-0000-4000-8000-000000000001', channel: 'city_109', category: 'utilities.heating', city: 'astana', districtId: 'astana.esil', text: 'Нет отопления Самал-2 дом 58, батареи холодные', createdAt: new Date('2026-11-25T06:00:00Z') }]);
  expect(service.counts).toMatchObject({ assigned: 4, opened: 2, skipped: { noise: 1 } });
});
afterAll(async () => t.close());

describe('social issues API', () => {
  it('lists the current issues for an analyst, with post and case ids, masked', async () => {
    const { token } = await t.staff('analyst', 'astana.akimat');
    const res = await t.request({ method: 'GET', url: '/api/v1/social/issues?district=astana.esil', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const [issue, ...rest] = res.json<{ issues: { id: string; messages: number; postIds: string[]; caseIds: string[]; sources: Record<string, number>; summary: string[] }[] }>().issues;
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ messages: 3, sources: { 'tg:esil_chat': 1, 'whatsapp:dom58': 1, city_109: 1 } });
    expect(issue!.postIds).toHaveLength(2);
    expect(issue!.caseIds).toEqual(['a1b2c3d4-0000-4000-8000-000000000001']);
    expect(JSON.stringify(issue)).not.toMatch(/701 123/);
    const one = await t.request({ method: 'GET', url: `/api/v1/social/issues/${issue!.id}`, headers: bearer(token) });
    expect(one.statusCode).toBe(200);
    expect(one.json<{ samples: { text: string }[] }>().samples[0]!.text).toMatch(/\[PHONE\]/);
  });

  it('refuses citizens and the public, and names unknown issues, districts and akimats', async () => {
    const citizen = await t.citizen('+77010000001');
    expect((await t.request({ method: 'GET', url: '/api/v1/social/issues', headers: bearer(citizen.token) })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/v1/social/digest?district=astana.esil&date=2026-11-25', headers: bearer(citizen.token) })).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/v1/social/issues' })).statusCode).toBe(401);
    const executor = await t.staff('executor', 'astana.akimat');
    expect((await t.request({ method: 'GET', url: '/api/v1/social/issues', headers: bearer(executor.token) })).statusCode).toBe(403);
    const { token } = await t.staff('head', 'astana.akimat');
    const missing = await t.request({ method: 'GET', url: '/api/v1/social/issues/post-nothing', headers: bearer(token) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('ERR_SOCIAL_ISSUE_NOT_FOUND');
    expect((await t.request({ method: 'GET', url: '/api/v1/social/digest?district=nowhere&date=2026-11-25', headers: bearer(token) })).json<{ error: { code: string } }>().error.code).toBe('ERR_UNKNOWN_DISTRICT');
    expect((await t.request({ method: 'GET', url: '/api/v1/social/digest?akim=kz.mvd&date=2026-11-25', headers: bearer(token) })).json<{ error: { code: string } }>().error.code).toBe('ERR_UNKNOWN_ORGANISATION');
    expect((await t.request({ method: 'GET', url: '/api/v1/social/digest?date=2026-11-25', headers: bearer(token) })).statusCode).toBe(400);
  });

  it('serves the digest of a district and of an akim', async () => {
    const { token } = await t.staff('admin', 'kz.government');
    const district = await t.request({ method: 'GET', url: '/api/v1/social/digest?district=astana.esil&date=2026-11-25', headers: bearer(token) });
    expect(district.statusCode).toBe(200);
    expect(district.json<{ topIssues: { messagesThatDay: number; evidence: { posts: string[] } }[] }>().topIssues.map((i) => i.messagesThatDay)).toEqual([3]);
    const city = await t.request({ method: 'GET', url: '/api/v1/social/digest?akim=astana.akimat&date=2026-11-25', headers: bearer(token) });
    expect(city.json<{ topIssues: unknown[] }>().topIssues).toHaveLength(2);
  });

  it('CLI: issues as JSON and the digest as text', async () => {
    const json = JSON.parse(await socialIssuesText(t.platform.db, { json: true })) as { category: string; districts: string[]; messages: number; postIds: string[] }[];
    expect(json.map((i) => [i.category, i.districts, i.messages, i.postIds.length])).toEqual([['utilities.heating', ['astana.esil'], 3, 2], ['utilities.heating', ['astana.almaty'], 1, 1]]);
    const text = await socialDigestText(t.platform.db, { district: 'astana.esil', date: '2026-11-25', lang: 'en' });
    expect(text).toMatch(/^Daily digest — Yesil \(Esil\) — 2026-11-25/);
    expect(text).toMatch(/Heating — Yesil \(Esil\): 3 messages from 3 sources since 25\.11/);
    await expect(socialDigestText(t.platform.db, { district: 'astana.esil', date: '2026-11-25', lang: 'de' })).rejects.toThrow(/--lang/);
  });
});
