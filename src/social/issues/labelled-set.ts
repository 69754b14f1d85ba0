/**
 * The near-duplicate labelled set (data/social/near-duplicates.jsonl): hand-written posts, each in a
 * `group` (the same complaint: paraphrases, reposts with emoji, hashtags, "+1" or "тоже", quotes, other
 * languages and scripts) inside a `family` (one topic: the other groups are hard negatives — the same
 * problem elsewhere, or another problem in the same place, or the same words meaning something else).
 *
 * Pairs: two posts of one group are near-duplicates (1); two posts of one family but different groups
 * are not (0). Posts of different families are not paired (they are easy, and would flatter precision).
 * Families split in two halves by their order in the file: thresholds are chosen on one and reported on
 * the other. Pure: the caller reads the file.
 */
import { z } from 'zod';

export const LabelledPost = z.object({
  id: z.string().min(1),
  family: z.string().min(1),
  group: z.string().min(1),
  lang: z.enum(['ru', 'kk', 'kk-latn', 'en', 'mixed']),
  text: z.string().min(1),
});
export type LabelledPost = z.infer<typeof LabelledPost>;

export interface LabelledPair {
  a: LabelledPost;
  b: LabelledPost;
  duplicate: boolean;
}

export function parseLabelledSet(text: string): LabelledPost[] {
  const posts: LabelledPost[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const post = LabelledPost.parse(JSON.parse(line));
      if (ids.has(post.id)) problems.push(`line ${i + 1}: id ${post.id} again`);
      ids.add(post.id);
      posts.push(post);
    } catch (err) {
      problems.push(`line ${i + 1}: ${(err as Error).message.slice(0, 200)}`);
    }
  });
  if (problems.length > 0) throw new Error(`the labelled set has ${problems.length} bad lines:\n${problems.slice(0, 10).join('\n')}`);
  return posts;
}

/** Every labelled pair, with the half its family falls in (families alternate in file order). */
export function labelledPairs(posts: readonly LabelledPost[]): { tune: LabelledPair[]; report: LabelledPair[] } {
  const order = [...new Set(posts.map((p) => p.family))];
  const half = new Map(order.map((f, i) => [f, i % 2 === 0 ? 'tune' : 'report'] as const));
  const out = { tune: [] as LabelledPair[], report: [] as LabelledPair[] };
  for (let i = 0; i < posts.length; i++) {
    for (let j = i + 1; j < posts.length; j++) {
      const a = posts[i]!;
      const b = posts[j]!;
      if (a.family !== b.family) continue;
      out[half.get(a.family)!].push({ a, b, duplicate: a.group === b.group });
    }
  }
  return out;
}

export interface Scores {
  threshold: number;
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  pairs: number;
}

export function scoreAt(scored: readonly { score: number; duplicate: boolean }[], threshold: number): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scored) {
    const said = s.score >= threshold;
    if (said && s.duplicate) tp++;
    else if (said) fp++;
    else if (s.duplicate) fn++;
  }
  return { threshold, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), truePositives: tp, falsePositives: fp, falseNegatives: fn, pairs: scored.length };
}

/**
 * The threshold for the tuning half: the lowest (most recall) whose precision clears the target with a
 * margin, so the reported half is not decided by a single pair. Candidates are the midpoints between scores.
 */
export function chooseThreshold(scored: readonly { score: number; duplicate: boolean }[], targetPrecision: number): Scores {
  const values = [...new Set(scored.map((s) => Math.round(s.score * 1000) / 1000))].sort((x, y) => x - y);
  let best: Scores | null = null;
  for (let i = 0; i + 1 < values.length; i++) {
    const s = scoreAt(scored, (values[i]! + values[i + 1]!) / 2);
    if (s.precision >= targetPrecision && (best === null || s.recall > best.recall)) best = s;
  }
  return best ?? scoreAt(scored, 1);
}
