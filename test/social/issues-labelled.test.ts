import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus, loadLexicon } from '../../src/app/nlp-data.ts';
import { DATA_FILES } from '../../src/config/paths.ts';
import { ConceptMatcher } from '../../src/nlp/lexicon.ts';
import { evaluateNearDuplicates } from '../../src/social/issues/evaluate.ts';
import { buildTermWeights } from '../../src/social/issues/fingerprint.ts';
import { labelledPairs, parseLabelledSet, scoreAt } from '../../src/social/issues/labelled-set.ts';

const posts = parseLabelledSet(readFileSync(path.join(DATA_FILES, 'social', 'near-duplicates.jsonl'), 'utf8'));
const matcher = new ConceptMatcher(loadLexicon());
const weights = buildTermWeights(loadCorpus('train').map((e) => e.text), matcher);
const result = evaluateNearDuplicates(posts, weights, matcher);

describe('the near-duplicate labelled set', () => {
  it('has at least 300 labelled pairs in kk (both scripts), ru, en and mixed, split by family', () => {
    const { tune, report } = labelledPairs(posts);
    expect(tune.length + report.length).toBeGreaterThanOrEqual(300);
    expect(new Set(posts.map((p) => p.lang))).toEqual(new Set(['ru', 'kk', 'kk-latn', 'en', 'mixed']));
    expect(tune.some((p) => p.duplicate) && tune.some((p) => !p.duplicate) && report.some((p) => p.duplicate)).toBe(true);
    const tuneFamilies = new Set(tune.map((p) => p.a.family));
    expect(report.every((p) => !tuneFamilies.has(p.a.family))).toBe(true);
  });

  it('scores precision and recall at a threshold', () => {
    expect(scoreAt([{ score: 0.9, duplicate: true }, { score: 0.6, duplicate: false }, { score: 0.2, duplicate: true }], 0.5)).toMatchObject({ precision: 0.5, recall: 0.5 });
  });

  it('keeps the scores measured when the fingerprint was tuned (a regression guard, not the target)', () => {
    // Measured: tuning half P 1.00 R 0.13; reporting half P 0.82 R 0.09 (see the report in bench social-issues).
    expect(result.tune.precision).toBeGreaterThanOrEqual(0.97);
    expect(result.report.recall).toBeGreaterThan(0.05);
  });

  // The target is not met: cross-language paraphrases and same-place/other-problem negatives need
  // more than word overlap. Marked `fails` so that the day the fingerprint meets it, this test says so.
  it.fails('meets the target on the reporting half: precision ≥ 0.95 and recall ≥ 0.90', () => {
    expect(result.report.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.report.recall).toBeGreaterThanOrEqual(0.9);
  });
});
