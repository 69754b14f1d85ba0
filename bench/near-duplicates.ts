import { loadCorpus } from '../src/app/nlp-data.ts';
import { NearDuplicateIndex } from '../src/nlp/near-duplicates.ts';
import { seededRandom } from '../src/nlp/softmax.ts';

/**
 * npm run bench -- near-duplicates [--cases 1000000] [--queries 2000]
 *
 * "Similar open cases nearby" at national scale: the index filled with N open cases (corpus texts spread
 * over the three cities and 30 days), then queries at random places and texts. Prints p50/p99 query
 * time, and the same at a tenth of the size as the baseline of the same run: the cost must not grow
 * with the number of cases, only with how many are near the query.
 */
const CITIES = [
  { lat: 51.13, lon: 71.43, weight: 0.4 }, // Astana
  { lat: 43.24, lon: 76.92, weight: 0.4 }, // Almaty
  { lat: 42.32, lon: 69.59, weight: 0.2 }, // Shymkent
];
const DAY = 86_400_000;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

function place(random: () => number): { lat: number; lon: number } {
  const r = random();
  const city = r < 0.4 ? CITIES[0]! : r < 0.8 ? CITIES[1]! : CITIES[2]!;
  // A city is about 20 × 20 km.
  return { lat: city.lat + (random() - 0.5) * 0.18, lon: city.lon + (random() - 0.5) * 0.26 };
}

function build(size: number, texts: readonly { text: string; category: string }[], now: number): { index: NearDuplicateIndex; ms: number } {
  const random = seededRandom(size);
  const index = new NearDuplicateIndex();
  const started = performance.now();
  for (let i = 0; i < size; i++) {
    const t = texts[i % texts.length]!;
    index.add({ caseId: `c${i}`, text: t.text, category: t.category, location: place(random), districtId: null, createdAt: new Date(now - 30 * DAY + (i / size) * 30 * DAY) });
  }
  return { index, ms: performance.now() - started };
}

function timeQueries(index: NearDuplicateIndex, queries: number, texts: readonly { text: string; category: string }[], now: number) {
  const random = seededRandom(queries);
  const times: number[] = [];
  let found = 0;
  for (let q = 0; q < queries; q++) {
    const t = texts[Math.floor(random() * texts.length)]!;
    const started = performance.now();
    found += index.similar({ text: t.text, category: t.category, location: place(random), at: new Date(now) }).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), found: found / queries };
}

export async function benchNearDuplicates(args: string[]): Promise<void> {
  const size = option(args, 'cases', 1_000_000);
  const queries = option(args, 'queries', 2_000);
  const texts = loadCorpus('train').filter((e) => e.relevant).map((e) => ({ text: e.text, category: e.category }));
  const now = Date.UTC(2026, 10, 25);
  const rows: string[] = [];
  let baselineP99 = 0;
  for (const n of [Math.round(size / 10), size]) {
    const { index, ms } = build(n, texts, now);
    timeQueries(index, 200, texts, now); // warm-up
    const r = timeQueries(index, queries, texts, now);
    if (n !== size) baselineP99 = r.p99;
    const heap = process.memoryUsage().heapUsed / 1_048_576;
    rows.push(`${String(n).padStart(9)} cases | built in ${(ms / 1000).toFixed(1)} s | query p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms | ${r.found.toFixed(1)} similar a query | heap ${heap.toFixed(0)} MB`);
    if (n === size) rows.push(`p99 at ${n} / p99 at ${Math.round(size / 10)}: ${(r.p99 / baselineP99).toFixed(2)} (target: flat; absolute target ≤ 5 ms)`);
  }
  process.stdout.write(`near-duplicate index, ${queries} queries each\n${rows.join('\n')}\n`);
}
