/**
 * A message's fingerprint for near-duplicate and topic comparison: weighted features of its folded text.
 *
 * - word stems: folded tokens (src/nlp/fold.ts, Kazakh Latin read as Kazakh so "jylu joq" meets "жылу жоқ"),
 *   cut to their first STEM letters so Kazakh and Russian endings ("Самале", "Самалда") meet;
 * - concepts: the lexicon's cross-language tokens ("жылу", "отопление", "heating" → one feature), read from
 *   the ordinary fold so English words are matched in English;
 * - numbers as written ("Самал-2", "дом 15"): a different number is a different place or building.
 *
 * A feature weighs by how rare it is in ordinary complaints (an inverse document frequency from the
 * corpus, `TermWeights`): "нет", "у нас", "please" weigh little, a street or microdistrict name much.
 * Pure: no I/O; the weights are built once by the caller.
 */
import { foldTokens } from '../../nlp/fold.ts';
import type { ConceptMatcher } from '../../nlp/lexicon.ts';

/** Letters kept of a folded word: long enough to tell words apart, short enough to drop most endings. */
export const STEM = 5;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export function fnv(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

export interface Fingerprint {
  /** Feature hashes, sorted ascending, unique. */
  readonly features: Uint32Array;
  /** Weight of each feature (same order). */
  readonly weights: Float32Array;
  /** Sum of the weights. */
  readonly total: number;
  /** Hashes of the numbers the text names (sorted), for the "different number, different place" rule. */
  readonly numbers: Uint32Array;
  /** Where: numbers and proper names (a rare capitalised word by its consonants, so "Aqsai" meets "Ақсай"), sorted. */
  readonly anchors: Uint32Array;
  /** What: the lexicon's concepts (sorted), the problem in any language; the generic ones left out. */
  readonly concepts: Uint32Array;
}

/** Inverse document frequencies of stems (and concepts), with the weight of a stem never seen. */
export interface TermWeights {
  weightOf(feature: number): number;
}

const NUMBER_WEIGHT = 3;
const CONCEPT_WEIGHT = 1.5;
/** Without a corpus every word weighs 1 except very short ones (mostly function words). */
export const uniformWeights: TermWeights = { weightOf: () => 1 };

export const stemOf = (token: string): string => (token.length > STEM ? token.slice(0, STEM) : token);
export const stemFeature = (stem: string): number => fnv(`w${stem}`);
const conceptFeature = (concept: string): number => fnv(`c${concept}`);
const numberFeature = (digits: string): number => fnv(`n${digits}`);

const DIGITS = /\p{Nd}+/gu;
const CAPITALISED = /(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}'’]+/gu;
const VOWELS = /[аеиоуы]/g;
/** A word rarer than this in ordinary complaints, capitalised, is taken for a name (a street, a microdistrict). */
const NAME_MIN_WEIGHT = 4;
/** Concepts that say how a message speaks, not what is wrong: they would pair any two complaints. */
const GENERIC_CONCEPTS: ReadonlySet<string> = new Set([
  'complaint_outrage', 'request_action', 'inquiry_question', 'long_duration', 'repeated_requests', 'thanks', 'praise_quick_work',
  'greeting_wishes', 'proposal_idea', 'danger_now', 'danger_risk', 'night_time', 'other_civic', 'officials', 'vulnerable_person',
]);

const LATIN = /[A-Za-z\u00C0-\u024F]/;

/** A capitalised word's stem feature and name anchor, folded once per word (the cache is bounded). */
const names = new Map<string, { stem: number; anchor: number } | null>();
function nameOf(word: string): { stem: number; anchor: number } | null {
  let found = names.get(word);
  if (found === undefined) {
    const folded = foldTokens(word, { latinIsKazakh: true })[0];
    const key = nameKey(word);
    found = folded && key ? { stem: stemFeature(stemOf(folded)), anchor: fnv(`a${key}`) } : null;
    if (names.size >= 100_000) names.clear();
    names.set(word, found);
  }
  return found;
}

/** A name's key: its skeleton's consonants (transliterations differ mostly in vowels), at most four. */
export function nameKey(word: string): string | null {
  const folded = foldTokens(word, { latinIsKazakh: true })[0];
  if (!folded || folded.length < 3) return null;
  const consonants = folded.replace(VOWELS, '').slice(0, 4);
  return consonants.length >= 2 ? consonants : null;
}

/** The stems of a text (the corpus-side view used to count document frequencies). */
export function stemsOf(text: string): string[] {
  const out: string[] = [];
  for (const t of foldTokens(text, { latinIsKazakh: true })) if (t.length >= 2 && !t.startsWith('<')) out.push(stemOf(t));
  return out;
}

/** Document frequencies over a collection of texts → weights log((N + 1) / (df + 1)), floored. */
export function buildTermWeights(texts: Iterable<string>, matcher: ConceptMatcher | null = null): TermWeights {
  const df = new Map<number, number>();
  let n = 0;
  for (const text of texts) {
    n++;
    const seen = new Set<number>();
    for (const s of stemsOf(text)) seen.add(stemFeature(s));
    if (matcher) for (const c of matcher.match(foldTokens(text))) seen.add(conceptFeature(c));
    for (const f of seen) df.set(f, (df.get(f) ?? 0) + 1);
  }
  const unseen = Math.log(n + 1);
  const table = new Map<number, number>();
  for (const [f, count] of df) table.set(f, Math.max(0.05, Math.log((n + 1) / (count + 1))));
  return { weightOf: (f) => table.get(f) ?? unseen };
}

function sortedUnique(values: number[]): Uint32Array {
  const a = Uint32Array.from(values).sort();
  let k = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[k++] = a[i]!;
  return a.slice(0, k);
}

export function fingerprint(text: string, weights: TermWeights = uniformWeights, matcher: ConceptMatcher | null = null): Fingerprint {
  const raw: number[] = [];
  const special = new Map<number, number>();
  const kazakhFold = foldTokens(text, { latinIsKazakh: true });
  for (const t of kazakhFold) {
    if (t.length < 2 || t.startsWith('<')) continue;
    raw.push(stemFeature(stemOf(t)));
  }
  // Without Latin letters both folds are the same: fold once.
  const plainFold = matcher ? (LATIN.test(text) ? foldTokens(text) : kazakhFold) : [];
  const found = matcher ? matcher.match(plainFold) : [];
  if (matcher) {
    for (const c of found) {
      const f = conceptFeature(c);
      raw.push(f);
      special.set(f, CONCEPT_WEIGHT);
    }
  }
  const concepts: number[] = [];
  for (const c of found) if (!GENERIC_CONCEPTS.has(c)) concepts.push(conceptFeature(c));
  const anchors: number[] = [];
  for (const m of text.matchAll(CAPITALISED)) {
    const name = nameOf(m[0]);
    if (name && weights.weightOf(name.stem) >= NAME_MIN_WEIGHT) anchors.push(name.anchor);
  }
  const numbers: number[] = [];
  for (const m of text.matchAll(DIGITS)) {
    // Years, phone numbers and long ids are not places; 1–4 digits are houses, flats, microdistricts, buses.
    if (m[0].length > 4) continue;
    const f = numberFeature(String(Number(m[0])));
    numbers.push(f);
    anchors.push(f);
    raw.push(f);
    special.set(f, NUMBER_WEIGHT);
  }
  const features = sortedUnique(raw);
  const w = new Float32Array(features.length);
  let total = 0;
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const given = special.get(f);
    const x = given ?? weights.weightOf(f);
    w[i] = x;
    total += x;
  }
  return { features, weights: w, total, numbers: sortedUnique(numbers), anchors: sortedUnique(anchors), concepts: sortedUnique(concepts) };
}

/** Weight of the shared features (a merge of two sorted lists). */
function sharedWeight(a: Fingerprint, b: Fingerprint): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  const fa = a.features;
  const fb = b.features;
  while (i < fa.length && j < fb.length) {
    const x = fa[i]!;
    const y = fb[j]!;
    if (x === y) {
      // The smaller weight: the same word weighs the same on both sides, a concept or number too.
      shared += Math.min(a.weights[i]!, b.weights[j]!);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/** How many values two sorted lists share. */
function common(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

function disjoint(a: Uint32Array, b: Uint32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return false;
    if (a[i]! < b[j]!) i++;
    else j++;
  }
  return true;
}

export interface SimilarityParts {
  /** Weighted Jaccard: shared over all. */
  jaccard: number;
  /** Shared over the smaller text: a repost with "+1" or a quote with a comment is contained in the other. */
  containment: number;
  /** Both name numbers and none is the same, or as many each and not all the same (another house, bus, microdistrict). */
  numberConflict: boolean;
  /** Shared places over the fewer (0 when either names none). */
  anchors: number;
  /** Shared concepts: Jaccard (0 when either has none). */
  concepts: number;
}

function jaccardOf(a: Uint32Array, b: Uint32Array): number {
  const n = common(a, b);
  return n / (a.length + b.length - n);
}

export function similarityParts(a: Fingerprint, b: Fingerprint): SimilarityParts {
  const shared = sharedWeight(a, b);
  const union = a.total + b.total - shared;
  const smaller = Math.min(a.total, b.total);
  return {
    jaccard: union > 0 ? shared / union : 0,
    containment: smaller > 0 ? shared / smaller : 0,
    numberConflict: a.numbers.length > 0 && b.numbers.length > 0 && (disjoint(a.numbers, b.numbers) || (common(a.numbers, b.numbers) < Math.min(a.numbers.length, b.numbers.length) && a.numbers.length === b.numbers.length)),
    anchors: a.anchors.length > 0 && b.anchors.length > 0 ? common(a.anchors, b.anchors) / Math.min(a.anchors.length, b.anchors.length) : 0,
    concepts: a.concepts.length > 0 && b.concepts.length > 0 ? jaccardOf(a.concepts, b.concepts) : 0,
  };
}

export interface SimilarityTuning {
  /** How much containment counts beside Jaccard (0–1). */
  containmentFactor: number;
  /** A smaller text under this total weight is too short for containment to mean anything. */
  minContainedWeight: number;
  /** Multiplier when the numbers disagree. */
  numberConflictFactor: number;
}

export const DEFAULT_TUNING: SimilarityTuning = { containmentFactor: 0.85, minContainedWeight: 6, numberConflictFactor: 0.5 };

/** One score in 0–1: the better of Jaccard and (discounted) containment, lowered when the numbers disagree. */
export function similarity(a: Fingerprint, b: Fingerprint, tuning: SimilarityTuning = DEFAULT_TUNING): number {
  const p = similarityParts(a, b);
  const contained = Math.min(a.total, b.total) >= tuning.minContainedWeight ? tuning.containmentFactor * p.containment : 0;
  const score = Math.max(p.jaccard, contained);
  return p.numberConflict ? score * tuning.numberConflictFactor : score;
}
