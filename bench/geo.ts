import { performance } from 'node:perf_hooks';
import { readGazetteer } from '../src/geo/gazetteer-data.ts';
import { createGazetteer } from '../src/geo/gazetteer.ts';
import { createDistrictLocator } from '../src/geo/district-locator.ts';
import { readBoundaries } from '../src/geo/geo-files.ts';
import { createPlaceIndex } from '../src/geo/place-index.ts';
import { foldTokens } from '../src/nlp/fold.ts';
import { seededRandom } from '../src/nlp/softmax.ts';

/**
 * npm run bench -- geo [--seconds 3] [--points 200000]
 *
 * Places (issue 6: point → district ≥ 200,000 lookups/s on one core). In one process, on one thread, in the
 * same run:
 *
 * - ours: the grid index (src/geo/place-index.ts) over uniformly random points in boxes around the three
 *   cities (a little wider than their districts, so about 30% fall in a district and the rest at or beyond
 *   the city limits, where the city band is measured too), looped for --seconds after a warm-up.
 * - baseline: the bounding-box prefilter + turf locator it replaces (src/geo/district-locator.ts), same points.
 *   Both are checked to agree on every point before timing.
 * - gazetteer: resolutions/s of address-like texts, against foldTokens of the same texts (the least any
 *   reading of a text does) as its baseline.
 */
const BOXES = [
  [71.15, 50.8, 71.85, 51.4],
  [76.68, 42.98, 77.22, 43.45],
  [69.25, 42.05, 69.99, 42.53],
] as const;

const ADDRESSES = [
  'г. Алматы, мкр. Самал-2, д. 58, кв. 14',
  'Алматы қаласы, Жетісу-3 шағын ауданы, 15 үй',
  'Astana, Kabanbay batyr 53, near Khan Shatyr',
  'Шымкент, мкрн Нурсат, ул. Толе би 120',
  'Во дворе дома по улице Сатпаева 90 в Бостандыкском районе не горят фонари уже неделю, просим принять меры',
  'Байтерек маңында жол бұзылған, жөндеу керек',
  'Здравствуйте! Возле ТРЦ Мега Алма-Ата на Розыбакиева огромная яма, машины бьются каждый день.',
  'Нет воды третий день, Астана, район Алматы, ул. Жубанова',
];

function option(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Calls per second of `run` (one pass over n items per call to `pass`), for about `seconds` after a warm-up. */
function rate(n: number, seconds: number, pass: () => number): { perSecond: number; sink: number } {
  let sink = pass();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    sink += pass();
    calls += n;
  }
  return { perSecond: calls / ((performance.now() - started) / 1000), sink };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchGeo(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 3);
  const count = option(args, 'points', 200_000);
  const boundaries = readBoundaries();
  let t = performance.now();
  const index = createPlaceIndex(boundaries.districts, boundaries.cities, boundaries.country);
  const buildMs = performance.now() - t;
  const old = createDistrictLocator(boundaries.districts);

  const random = seededRandom(6);
  const lats = new Float64Array(count);
  const lons = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const [minLon, minLat, maxLon, maxLat] = BOXES[i % BOXES.length]!;
    lats[i] = minLat + random() * (maxLat - minLat);
    lons[i] = minLon + random() * (maxLon - minLon);
  }
  let inDistrict = 0;
  for (let i = 0; i < count; i++) {
    const ours = index.placeInCities(lats[i]!, lons[i]!).districtId;
    const theirs = old.districtAt({ lat: lats[i]!, lon: lons[i]! })?.districtId ?? null;
    if (ours !== theirs) throw new Error(`disagreement at ${lats[i]}, ${lons[i]}: ${ours} vs ${theirs}`);
    if (ours) inDistrict++;
  }

  const ours = rate(count, seconds, () => {
    let n = 0;
    for (let i = 0; i < count; i++) if (index.placeInCities(lats[i]!, lons[i]!).districtId !== null) n++;
    return n;
  });
  // The baseline is ~20x slower: a tenth of the points keeps its pass short.
  const few = Math.max(1, Math.floor(count / 10));
  const baseline = rate(few, seconds, () => {
    let n = 0;
    for (let i = 0; i < few; i++) if (old.districtAt({ lat: lats[i]!, lon: lons[i]! })) n++;
    return n;
  });

  t = performance.now();
  const gazetteer = createGazetteer(readGazetteer());
  const gazetteerMs = performance.now() - t;
  const resolved = rate(ADDRESSES.length, seconds, () => ADDRESSES.reduce((n, a) => n + (gazetteer.resolve(a).districtId ? 1 : 0), 0));
  const folded = rate(ADDRESSES.length, seconds, () => ADDRESSES.reduce((n, a) => n + foldTokens(a).length, 0));

  const lines = [
    `points: ${fmt(count)} uniform in boxes around Astana, Almaty, Shymkent; ${((100 * inDistrict) / count).toFixed(1)}% in a district; both locators agree on all`,
    `index build: ${buildMs.toFixed(0)} ms (districts, city extents, Kazakhstan outline)`,
    `ours (grid index):           ${fmt(ours.perSecond).padStart(12)} lookups/s`,
    `baseline (bbox + turf):      ${fmt(baseline.perSecond).padStart(12)} lookups/s`,
    `ratio: ${(ours.perSecond / baseline.perSecond).toFixed(1)}x the baseline; target 200,000/s: ${ours.perSecond >= 200_000 ? 'met' : 'NOT met'}`,
    `gazetteer: ${gazetteer.entryCount} places, compiled in ${gazetteerMs.toFixed(0)} ms`,
    `gazetteer resolve:           ${fmt(resolved.perSecond).padStart(12)} texts/s`,
    `baseline (foldTokens):       ${fmt(folded.perSecond).padStart(12)} texts/s`,
    `ratio: ${(resolved.perSecond / folded.perSecond).toFixed(2)}x the fold alone`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (ours.sink + baseline.sink + resolved.sink + folded.sink < 0) process.stdout.write('\n');
}
