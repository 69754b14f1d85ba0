import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOpen311Demo } from '../../src/app/demo/open311.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';

/** The demo's Open311 client: its requests go through the real handler and show in the public view. */

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('seedOpen311Demo', () => {
  it('files a dozen requests through POST requests, closes some, reopens one, and they show in GET requests', async () => {
    const seeded = await seedOpen311Demo(t.platform);
    expect(seeded.apiKey).toMatch(/^tyk_/);
    expect(seeded.filed).toBe(11);
    expect(seeded.closed).toBeGreaterThanOrEqual(4);
    const requests = (await t.request({ method: 'GET', url: '/open311/v2/requests.json' })).json<{ status: string; service_code: string }[]>();
    expect(requests).toHaveLength(11);
    expect(requests.filter((r) => r.status === 'closed').length).toBe(seeded.closed - 1);
    expect(new Set(requests.map((r) => r.service_code)).size).toBeGreaterThanOrEqual(10);
    const updates = (await t.request({ method: 'GET', url: '/open311/v2/servicerequestupdates.json' })).json<{ status: string }[]>();
    expect(updates.map((u) => u.status)).toContain('reopen');
  });
});
