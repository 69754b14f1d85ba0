/**
 * An issue's extractive summary: the two or three sentences of its messages most like all the others.
 * Sentences are compared as bags of folded word stems (src/nlp/fold.ts, any script); each sentence's
 * score is its cosine with the centroid of all (how much it says what everyone says), a sentence nearly
 * the same as one already chosen is passed over, and personal data is masked (src/nlp/pii.ts).
 */
import { maskPii } from '../../nlp/pii.ts';
import { stemsOf } from '../issues/fingerprint.ts';

const SENTENCE = /[^.!?…\n]+[.!?…]*/gu;
const MIN_STEMS = 3;
const MAX_SENTENCE_CHARS = 280;

interface Sentence {
  text: string;
  vector: Map<string, number>;
  norm: number;
  order: number;
}

function vectorOf(stems: readonly string[]): { vector: Map<string, number>; norm: number } {
  const vector = new Map<string, number>();
  for (const s of stems) vector.set(s, (vector.get(s) ?? 0) + 1);
  let sq = 0;
  for (const v of vector.values()) sq += v * v;
  return { vector, norm: Math.sqrt(sq) };
}

function cosine(a: Map<string, number>, an: number, b: Map<string, number>, bn: number): number {
  if (an === 0 || bn === 0) return 0;
  let dot = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [k, v] of small) dot += v * (large.get(k) ?? 0);
  return dot / (an * bn);
}

/** The most representative sentences (masked), in order of how representative they are. */
export function summarise(texts: readonly string[], count = 3): string[] {
  const sentences: Sentence[] = [];
  const centroid = new Map<string, number>();
  const seen = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(SENTENCE)) {
      const raw = m[0].trim().replace(/\s+/g, ' ');
      const stems = stemsOf(raw);
      if (stems.length < MIN_STEMS) continue;
      const key = stems.join(' ');
      // The same sentence reposted counts once more in the centroid, but is a candidate once.
      for (const s of new Set(stems)) centroid.set(s, (centroid.get(s) ?? 0) + 1);
      if (seen.has(key)) continue;
      seen.add(key);
      sentences.push({ text: raw.length > MAX_SENTENCE_CHARS ? `${raw.slice(0, MAX_SENTENCE_CHARS - 1)}…` : raw, ...vectorOf(stems), order: sentences.length });
    }
  }
  let cn = 0;
  for (const v of centroid.values()) cn += v * v;
  cn = Math.sqrt(cn);
  const ranked = sentences
    .map((s) => ({ s, score: cosine(s.vector, s.norm, centroid, cn) }))
    .sort((a, b) => b.score - a.score || a.s.order - b.s.order);
  const chosen: Sentence[] = [];
  const floor = (ranked[0]?.score ?? 0) * 0.5;
  for (const { s, score } of ranked) {
    // A sentence far from what the others say is an aside (an advert, a greeting), not the issue.
    if (chosen.length >= count || score < floor) break;
    if (chosen.some((c) => cosine(c.vector, c.norm, s.vector, s.norm) > 0.6)) continue;
    chosen.push(s);
  }
  return chosen.map((s) => maskPii(s.text));
}
