/**
 * "Similar open cases nearby": MinHash signatures of the folded text (word and character shingles), kept
 * per place cell (a ~1 km grid square, or the district when there is no point) in time order. A query
 * reads the cells around the place, newest first within the time window, estimates the text similarity
 * from the signatures, adds what the category and the distance say, and returns the best. Memory is a
 * flat typed array (128 bytes a case), so a million open cases fit in a few hundred megabytes.
 */
import { foldTokens } from './fold.ts';
import type { GeoPoint } from '../core/model.ts';

export const SIGNATURE_SIZE = 32;
/** Grid step in degrees: ~1.1 km north–south, ~0.7 km east–west at Kazakhstan's latitudes. */
const CELL_DEGREES = 0.01;
/** At most this many cases are compared per query: the newest in the window (bounds the worst case). */
const MAX_COMPARED = 4_000;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
function fnv(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

// Fixed odd multipliers and offsets: universal hashing h_i(x) = a_i·x + b_i (mod 2^32), the same on every node.
const A = Uint32Array.from({ length: SIGNATURE_SIZE }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0);
const B = Uint32Array.from({ length: SIGNATURE_SIZE }, (_, i) => Math.imul(i + 7, 0x85ebca6b) >>> 0);

/** The shingles of a text: folded words and character 4-grams across the word boundary. */
export function shingles(text: string): Set<number> {
  const tokens = foldTokens(text, { latinIsKazakh: true }).filter((t) => !t.startsWith('<') && t.length > 1);
  const out = new Set<number>();
  for (const t of tokens) out.add(fnv(`w${t}`));
  const joined = ` ${tokens.join(' ')} `;
  for (let i = 0; i + 4 <= joined.length; i++) out.add(fnv(joined.slice(i, i + 4)));
  return out;
}

export function signature(text: string): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const x of shingles(text)) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const h = (Math.imul(A[i]!, x) + B[i]!) >>> 0;
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

export interface IndexedCase {
  caseId: string;
  text: string;
  category: string;
  location: GeoPoint | null;
  districtId: string | null;
  createdAt: Date;
}

export interface SimilarCase {
  caseId: string;
  /** Estimated Jaccard similarity of the texts (0–1). */
  textSimilarity: number;
  sameCategory: boolean;
  distanceMeters: number | null;
  /** The combined score the list is ordered by. */
  score: number;
}

export interface SimilarQuery {
  text: string;
  category?: string | null | undefined;
  location?: GeoPoint | null | undefined;
  districtId?: string | null | undefined;
  at: Date;
  /** How far back to look. */
  windowDays?: number;
  /** How far around a point (metres). */
  radiusMeters?: number;
  limit?: number;
  minScore?: number;
}

const cellOf = (p: GeoPoint): string => `${Math.floor(p.lat / CELL_DEGREES)}:${Math.floor(p.lon / CELL_DEGREES)}`;

function metres(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

/** The index. Not thread-shared: each node keeps its own, fed by intake and loaded from the database at start. */
export class NearDuplicateIndex {
  private signatures = new Uint32Array(SIGNATURE_SIZE * 1024);
  private readonly ids: string[] = [];
  private readonly categories: string[] = [];
  private readonly times: number[] = [];
  private readonly points: (GeoPoint | null)[] = [];
  private readonly open: boolean[] = [];
  private readonly byId = new Map<string, number>();
  private readonly cells = new Map<string, number[]>();

  get size(): number {
    return this.byId.size;
  }

  add(c: IndexedCase): void {
    if (this.byId.has(c.caseId)) return;
    const n = this.ids.length;
    if ((n + 1) * SIGNATURE_SIZE > this.signatures.length) {
      const grown = new Uint32Array(this.signatures.length * 2);
      grown.set(this.signatures);
      this.signatures = grown;
    }
    this.signatures.set(signature(c.text), n * SIGNATURE_SIZE);
    this.ids.push(c.caseId);
    this.categories.push(c.category);
    this.times.push(c.createdAt.getTime());
    this.points.push(c.location);
    this.open.push(true);
    this.byId.set(c.caseId, n);
    const places = [c.location ? `g${cellOf(c.location)}` : null, c.districtId ? `d${c.districtId}` : null].filter((k): k is string => k !== null);
    // Each place twice: all its cases (a query without a category), and its cases of this category.
    for (const key of places.flatMap((p) => [p, `${p}|${c.category}`])) {
      const list = this.cells.get(key);
      if (list) this.insertByTime(list, n);
      else this.cells.set(key, [n]);
    }
  }

  /** Keeps a list in time order (queries stop at the window's start): new cases go at the end in O(1). */
  private insertByTime(list: number[], n: number): void {
    let at = list.length;
    while (at > 0 && this.times[list[at - 1]!]! > this.times[n]!) at--;
    list.splice(at, 0, n);
  }

  /** A case that closed is no longer offered (it stays in memory until the next rebuild). */
  close(caseId: string): void {
    const n = this.byId.get(caseId);
    if (n !== undefined) this.open[n] = false;
  }

  /**
   * The lists to read: the cells within the radius (a cell is ~1.1 km tall and ~0.7 km wide here), or the
   * district; only the query's category when it has one (the same problem is filed under the same topic).
   */
  private candidateLists(q: SimilarQuery, radius: number): number[][] {
    const lists: number[][] = [];
    const suffix = q.category ? `|${q.category}` : '';
    if (q.location) {
      const latReach = Math.ceil(radius / 1_100);
      const lonReach = Math.ceil(radius / (111_000 * CELL_DEGREES * Math.cos((q.location.lat * Math.PI) / 180)));
      const [lat, lon] = [Math.floor(q.location.lat / CELL_DEGREES), Math.floor(q.location.lon / CELL_DEGREES)];
      for (let i = -latReach; i <= latReach; i++) {
        for (let j = -lonReach; j <= lonReach; j++) {
          const list = this.cells.get(`g${lat + i}:${lon + j}${suffix}`);
          if (list) lists.push(list);
        }
      }
    }
    if (q.districtId) {
      const list = this.cells.get(`d${q.districtId}${suffix}`);
      if (list) lists.push(list);
    }
    return lists;
  }

  similar(q: SimilarQuery): SimilarCase[] {
    const radius = q.radiusMeters ?? 1_000;
    const since = q.at.getTime() - (q.windowDays ?? 30) * 86_400_000;
    const minScore = q.minScore ?? 0.35;
    const sig = signature(q.text);
    const seen = new Set<number>();
    const found: SimilarCase[] = [];
    let compared = 0;
    for (const list of this.candidateLists(q, radius)) {
      // Newest first; lists are in insertion (≈ time) order.
      for (let k = list.length - 1; k >= 0 && compared < MAX_COMPARED; k--) {
        const n = list[k]!;
        if (this.times[n]! < since) break;
        if (seen.has(n) || !this.open[n]) continue;
        seen.add(n);
        compared++;
        const point = this.points[n];
        const distance = q.location && point ? metres(q.location, point) : null;
        if (distance !== null && distance > radius) continue;
        let equal = 0;
        const base = n * SIGNATURE_SIZE;
        for (let i = 0; i < SIGNATURE_SIZE; i++) if (this.signatures[base + i] === sig[i]) equal++;
        const textSimilarity = equal / SIGNATURE_SIZE;
        const sameCategory = q.category !== undefined && q.category !== null && this.categories[n] === q.category;
        // Text decides; the same category and closeness make a weaker text match worth showing.
        const near = distance === null ? 0 : 1 - distance / radius;
        const score = textSimilarity + (sameCategory ? 0.25 : 0) + 0.1 * near;
        if (score >= minScore) found.push({ caseId: this.ids[n]!, textSimilarity, sameCategory, distanceMeters: distance === null ? null : Math.round(distance), score: Math.round(score * 1000) / 1000 });
      }
    }
    return found.sort((a, b) => b.score - a.score).slice(0, q.limit ?? 5);
  }
}
