import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { readBoundaries } from '../../src/geo/geo-files.ts';
import { type AreaGeometry, metresPerDegree, ringsOf } from '../../src/geo/geometry.ts';
import { createPlaceIndex, DEFAULT_CITY_BUFFER_METRES } from '../../src/geo/place-index.ts';
import { POINTS } from '../support/factories.ts';

const data = readBoundaries();
const index = createPlaceIndex(data.districts, data.cities, data.country);

/** The oracle: turf over every district in file order (what the old bounding-box + turf locator did). */
const turfDistrict = (lat: number, lon: number): string | null =>
  data.districts.find((d) => booleanPointInPolygon([lon, lat], d.geometry))?.id ?? null;

/** The oracle for the city band: brute-force distance to every district edge, in the same local metres. */
function withinBuffer(city: string, lat: number, lon: number): boolean {
  const m = metresPerDegree(lat);
  for (const d of data.districts.filter((x) => x.city === city)) {
    for (const ring of ringsOf(d.geometry)) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = [ring[i]![0]! * m.x, ring[i]![1]! * m.y];
        const [bx, by] = [ring[i + 1]![0]! * m.x, ring[i + 1]![1]! * m.y];
        const [px, py] = [lon * m.x, lat * m.y];
        const len = (bx - ax) ** 2 + (by - ay) ** 2;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len));
        // 1 cm of slack: the index measures from its own origin, so the last digits may differ.
        if (Math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py) <= DEFAULT_CITY_BUFFER_METRES - 0.01) return true;
      }
    }
  }
  return false;
}

const CITY_BOXES = {
  astana: [71.15, 50.8, 71.85, 51.4],
  almaty: [76.68, 42.98, 77.22, 43.45],
  shymkent: [69.25, 42.05, 69.99, 42.53],
} as const;

const cityPoint = fc.constantFrom(...Object.values(CITY_BOXES)).chain(([minLon, minLat, maxLon, maxLat]) =>
  fc.record({ lat: fc.double({ min: minLat, max: maxLat, noNaN: true }), lon: fc.double({ min: minLon, max: maxLon, noNaN: true }) }),
);

/** Points on and beside the district edges: a vertex or a point along an edge, nudged by up to ±30 m (down to 1e-9°). */
const allEdges = data.districts.flatMap((d) => ringsOf(d.geometry).flatMap((ring) => ring.slice(1).map((b, i) => [ring[i]!, b, d.id] as const)));
const nearBorder = fc
  .record({
    edge: fc.integer({ min: 0, max: allEdges.length - 1 }),
    t: fc.double({ min: 0, max: 1, noNaN: true }),
    dLat: fc.oneof(fc.double({ min: -3e-4, max: 3e-4, noNaN: true }), fc.constantFrom(1e-9, -1e-9, 1e-7, -1e-7)),
    dLon: fc.oneof(fc.double({ min: -3e-4, max: 3e-4, noNaN: true }), fc.constantFrom(1e-9, -1e-9, 1e-7, -1e-7)),
  })
  .map(({ edge, t, dLat, dLon }) => {
    const [a, b] = allEdges[edge]!;
    return { lat: a[1]! + t * (b[1]! - a[1]!) + dLat, lon: a[0]! + t * (b[0]! - a[0]!) + dLon };
  });

/** The districts with a border within 1e-9° (0.1 mm) of the point. */
function bordersAt(lat: number, lon: number): string[] {
  return allEdges.filter(([a, b]) => {
    const [dx, dy] = [b[0]! - a[0]!, b[1]! - a[1]!];
    const len = dx * dx + dy * dy;
    const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((lon - a[0]!) * dx + (lat - a[1]!) * dy) / len));
    return Math.hypot(a[0]! + t * dx - lon, a[1]! + t * dy - lat) < 1e-9;
  }).map(([, , id]) => id);
}

describe('point → district index', () => {
  it('agrees with turf on random points over the three cities', () => {
    fc.assert(fc.property(cityPoint, ({ lat, lon }) => index.placeInCities(lat, lon).districtId === turfDistrict(lat, lon)), { numRuns: 3000 });
  });

  it('agrees with turf on points beside the district borders (a point exactly on one may fall either side)', () => {
    fc.assert(
      fc.property(nearBorder, ({ lat, lon }) => {
        const ours = index.placeInCities(lat, lon).districtId;
        const touching = data.districts.filter((d) => booleanPointInPolygon([lon, lat], d.geometry)).map((d) => d.id);
        const strictly = data.districts.filter((d) => booleanPointInPolygon([lon, lat], d.geometry, { ignoreBoundary: true })).map((d) => d.id);
        // Within 1e-9° (0.1 mm) of a border, floating-point rounding decides the side in either implementation.
        const borders = bordersAt(lat, lon);
        if (touching.length === strictly.length && borders.length === 0) return ours === (touching[0] ?? null);
        return ours === null || touching.includes(ours) || borders.includes(ours);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers "city" outside every district exactly within the city polygon or the 500 m band, else "outside"', () => {
    fc.assert(
      fc.property(cityPoint, ({ lat, lon }) => {
        const found = index.placeInCities(lat, lon);
        if (found.status === 'district') return true;
        const city = Object.entries(CITY_BOXES).find(([, [a, b, c, d]]) => lon >= a && lon <= c && lat >= b && lat <= d)![0];
        const inPolygon = booleanPointInPolygon([lon, lat], data.cities.find((c) => c.city === city)!.geometry);
        const expected = inPolygon || withinBuffer(city, lat, lon);
        // Exactly on the 500 m line the two measures may part by a hair: allow only that.
        return expected === (found.status === 'city') || Math.abs(distanceToDistricts(city, lat, lon) - DEFAULT_CITY_BUFFER_METRES) < 0.05;
      }),
      { numRuns: 1500 },
    );
  });

  it('knows the README\'s check points and the test fixtures', () => {
    expect(index.placeOf({ lat: 51.1283, lon: 71.4305 })).toEqual({ status: 'district', districtId: 'astana.esil', city: 'astana' });
    expect(index.placeOf({ lat: 43.233, lon: 76.976 }).districtId).toBe('almaty.medeu');
    expect(index.placeOf(POINTS.astanaEsil).districtId).toBe('astana.esil');
    expect(index.placeOf(POINTS.almatyBostandyk).districtId).toBe('almaty.bostandyk');
  });

  it('answers "outside" in Kazakhstan away from the cities, and refuses points abroad or invalid', () => {
    expect(index.placeOf({ lat: 47.8, lon: 67.7 })).toEqual({ status: 'outside', districtId: null, city: null });
    expect(index.placeOf({ lat: 49.8, lon: 73.1 }).status).toBe('outside'); // Karaganda
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof DomainError ? e.code : String(e);
      }
      return 'no error';
    };
    for (const p of [{ lat: 55.75, lon: 37.62 }, { lat: 41.31, lon: 69.28 }, { lat: 0, lon: 0 }, { lat: -33.9, lon: 151.2 }, { lat: 42.87, lon: 74.6 }]) {
      expect(code(() => index.placeOf(p)), JSON.stringify(p)).toBe('ERR_LOCATION_OUTSIDE_KAZAKHSTAN');
    }
    for (const p of [{ lat: NaN, lon: 71 }, { lat: 51, lon: Infinity }, { lat: 91, lon: 71 }, { lat: 51, lon: -180.5 }]) {
      expect(code(() => index.placeOf(p)), JSON.stringify(p)).toBe('ERR_INVALID_LOCATION');
    }
  });
});

function distanceToDistricts(city: string, lat: number, lon: number): number {
  let lo = 0;
  let hi = 5000;
  // Bisection on the buffer oracle is enough to tell "on the line" from "clearly inside or out".
  if (!withinBuffer(city, lat, lon)) return Infinity;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (withinBufferOf(city, lat, lon, mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function withinBufferOf(city: string, lat: number, lon: number, metres: number): boolean {
  const m = metresPerDegree(lat);
  return data.districts
    .filter((x) => x.city === city)
    .some((d) =>
      ringsOf(d.geometry).some((ring) =>
        ring.slice(1).some((b, i) => {
          const a = ring[i]!;
          const [ax, ay, bx, by, px, py] = [a[0]! * m.x, a[1]! * m.y, b[0]! * m.x, b[1]! * m.y, lon * m.x, lat * m.y];
          const len = (bx - ax) ** 2 + (by - ay) ** 2;
          const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len));
          return Math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py) <= metres;
        }),
      ),
    );
}

describe('holes and multipolygons', () => {
  // A square district with a square hole, a second district filling the hole, and a two-part district.
  const square = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
  const ring: AreaGeometry = { type: 'Polygon', coordinates: [square(71.0, 51.0, 0.2), square(71.05, 51.05, 0.1).reverse()] };
  const island: AreaGeometry = { type: 'Polygon', coordinates: [square(71.07, 51.07, 0.06)] };
  const twoParts: AreaGeometry = { type: 'MultiPolygon', coordinates: [[square(71.3, 51.0, 0.05)], [square(71.4, 51.1, 0.05), square(71.41, 51.11, 0.02).reverse()]] };
  const districts = [
    { id: 'test.ring', city: 'test', geometry: ring },
    { id: 'test.island', city: 'test', geometry: island },
    { id: 'test.parts', city: 'test', geometry: twoParts },
  ];
  const country: AreaGeometry = { type: 'Polygon', coordinates: [square(70, 50, 3)] };
  const small = createPlaceIndex(districts, [], [country], { cellMetres: 700 });

  it.each([
    ['inside the ring', 51.02, 71.02, 'test.ring'],
    ['in the hole, on the island', 51.1, 71.1, 'test.island'],
    ['in the hole, beside the island', 51.06, 71.06, null],
    ['in the first part', 51.02, 71.32, 'test.parts'],
    ['in the second part', 51.105, 71.405, 'test.parts'],
    ['in the second part\'s hole', 51.12, 71.42, null],
    ['between the parts', 51.07, 71.37, null],
  ])('%s', (_name, lat, lon, expected) => {
    expect(small.placeInCities(lat, lon).districtId).toBe(expected);
    const byTurf = districts.find((d) => booleanPointInPolygon([lon, lat], d.geometry))?.id ?? null;
    expect(byTurf).toBe(expected);
  });

  it('agrees with turf on random points over the test shapes', () => {
    fc.assert(
      fc.property(fc.double({ min: 50.95, max: 51.25, noNaN: true }), fc.double({ min: 70.95, max: 71.5, noNaN: true }), (lat, lon) =>
        small.placeInCities(lat, lon).districtId === (districts.find((d) => booleanPointInPolygon([lon, lat], d.geometry))?.id ?? null),
      ),
      { numRuns: 3000 },
    );
  });

  it('places a point near a district but in none of them in its city only within the band', () => {
    // 0.001° of latitude ≈ 110 m below the ring's southern edge; 0.01° ≈ 1.1 km.
    expect(small.placeInCities(50.999, 71.1)).toMatchObject({ status: 'city', city: 'test' });
    expect(small.placeInCities(50.99, 71.1).status).toBe('outside');
  });
});
