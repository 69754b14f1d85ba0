import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDistricts } from '../../src/geo/geo-files.ts';
import { ringsOf } from '../../src/geo/geometry.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const ask = (query: string) => t.request({ method: 'GET', url: `/api/v1/geo/district${query}` });

describe('GET /api/v1/geo/district', () => {
  it('answers the district with its names in kk, ru and en, without signing in', async () => {
    const res = await ask('?lat=51.1283&lon=71.4305');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'district',
      districtId: 'astana.esil',
      city: 'astana',
      names: { kk: 'Есіл ауданы', ru: 'район Есиль' },
      cityNames: { ru: 'город Астана' },
      attribution: expect.stringContaining('CC BY 4.0'),
    });
  });

  it('answers the city for a point just outside every district, and "outside" elsewhere in Kazakhstan', async () => {
    // 0.001° (~110 m) south of Almaty's southernmost district vertex is in no district but within the city's band.
    const vertices = readDistricts().filter((d) => d.city === 'almaty').flatMap((d) => ringsOf(d.geometry).flat());
    const south = vertices.reduce((a, b) => (b[1]! < a[1]! ? b : a));
    const near = await ask(`?lat=${(south[1]! - 0.001).toFixed(6)}&lon=${south[0]!.toFixed(6)}`);
    expect(near.json()).toMatchObject({ status: 'city', districtId: null, city: 'almaty', names: null, cityNames: { en: 'Almaty (city)' } });
    const karaganda = await ask('?lat=49.8&lon=73.1');
    expect(karaganda.statusCode).toBe(200);
    expect(karaganda.json()).toMatchObject({ status: 'outside', districtId: null, city: null, names: null, cityNames: null });
  });

  it.each([
    ['lat=abc', '?lat=abc&lon=71.43', 'ERR_INVALID_LOCATION'],
    ['lat=200', '?lat=200&lon=71.43', 'ERR_INVALID_LOCATION'],
    ['lon=-181', '?lat=51&lon=-181', 'ERR_INVALID_LOCATION'],
    ['lat=Infinity', '?lat=Infinity&lon=71', 'ERR_INVALID_LOCATION'],
    ['lat=1e2', '?lat=1e2&lon=71', 'ERR_INVALID_LOCATION'],
    ['lat empty', '?lat=&lon=71', 'ERR_INVALID_LOCATION'],
    ['lat=0x10', '?lat=0x10&lon=71', 'ERR_INVALID_LOCATION'],
    ['lat missing', '?lon=71.43', 'ERR_VALIDATION'],
    ['both missing', '', 'ERR_VALIDATION'],
    ['an unknown parameter', '?lat=51&lon=71&zoom=3', 'ERR_VALIDATION'],
    ['a repeated parameter', '?lat=51&lat=52&lon=71', 'ERR_VALIDATION'],
    ['Moscow', '?lat=55.75&lon=37.62', 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN'],
    ['Bishkek', '?lat=42.87&lon=74.6', 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN'],
  ])('refuses %s with 400 %s', async (_name, query, code) => {
    const res = await ask(query);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe(code);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toContain('/api/v1/geo/district');
  });
});

describe('tyndau geo district', () => {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir() };
  const SLOW = 60_000;

  it('prints the district as JSON, needing no database', async () => {
    const run = await runCli(['geo', 'district', '43.233', '76.976'], env, SLOW);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'district', districtId: 'almaty.medeu', city: 'almaty', names: { en: expect.any(String) } });
  }, SLOW);

  it('exits 1 with the error code for a bad or foreign point', async () => {
    const bad = await runCli(['geo', 'district', 'abc', '71'], env, SLOW);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ERR_INVALID_LOCATION: /);
    const abroad = await runCli(['geo', 'district', '-33.9', '151.2'], env, SLOW);
    expect(abroad.code).toBe(1);
    expect(abroad.stderr).toMatch(/^ERR_LOCATION_OUTSIDE_KAZAKHSTAN: /);
    const missing = await runCli(['geo', 'district', '51'], env, SLOW);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');
  }, SLOW * 3);
});
