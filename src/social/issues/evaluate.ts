/**
 * The near-duplicate evaluation: fingerprints of every labelled post, the threshold chosen on the tuning
 * half (precision ≥ 0.97 there, most recall), then precision and recall on the reporting half.
 */
import type { ConceptMatcher } from '../../nlp/lexicon.ts';
import { fingerprint, similarity, type TermWeights } from './fingerprint.ts';
import { chooseThreshold, labelledPairs, scoreAt, type LabelledPost, type Scores } from './labelled-set.ts';

export function evaluateNearDuplicates(posts: readonly LabelledPost[], weights: TermWeights, matcher: ConceptMatcher | null): { tune: Scores; report: Scores } {
  const prints = new Map(posts.map((p) => [p.id, fingerprint(p.text, weights, matcher)] as const));
  const { tune, report } = labelledPairs(posts);
  const score = (pairs: typeof tune) => pairs.map((p) => ({ duplicate: p.duplicate, score: similarity(prints.get(p.a.id)!, prints.get(p.b.id)!) }));
  const chosen = chooseThreshold(score(tune), 0.97);
  return { tune: chosen, report: scoreAt(score(report), chosen.threshold) };
}
