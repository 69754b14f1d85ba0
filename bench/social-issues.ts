import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus, loadLexicon, loadModelBundle } from '../src/app/nlp-data.ts';
import { DATA_FILES } from '../src/config/paths.ts';
import { understand } from '../src/nlp/classifier.ts';
import { ConceptMatcher } from '../src/nlp/lexicon.ts';
import { normaliseText } from '../src/nlp/normalise.ts';
import { IssueClusterer } from '../src/social/issues/clusterer.ts';
import { evaluateNearDuplicates } from '../src/social/issues/evaluate.ts';
import { buildTermWeights } from '../src/social/issues/fingerprint.ts';
import { parseLabelledSet } from '../src/social/issues/labelled-set.ts';

/**
 * npm run bench -- social-issues [--posts 50000]
 *
 * In memory, one core: normalise → (classify) → fingerprint → assign to an issue, over corpus texts
 * spread over the districts of Astana and a week. Printed with the classifier (the model's reading of
 * each post) and without it (the reading given, as when ingestion already classified), with the
 * normalise-only loop as the baseline of the same run. Then the near-duplicate evaluation.
 */
const DISTRICTS = ['astana.almaty', 'astana.baikonyr', 'astana.esil', 'astana.nura', 'astana.saryarka'];

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

export async function benchSocialIssues(args: string[]): Promise<void> {
  const count = option(args, 'posts', 50_000);
  const corpus = loadCorpus('heldout');
  const matcher = new ConceptMatcher(loadLexicon());
  const weights = buildTermWeights(loadCorpus('train').map((e) => e.text), matcher);
  const bundle = loadModelBundle();
  const start = Date.parse('2026-11-20T00:00:00Z');
  const posts = Array.from({ length: count }, (_, i) => {
    const e = corpus[i % corpus.length]!;
    return { i, text: e.text, category: e.category, districtId: DISTRICTS[i % DISTRICTS.length]!, time: new Date(start + Math.floor((i / count) * 7 * 86_400_000)) };
  });

  const run = (label: string, classify: boolean, assign: boolean): number => {
    const c = new IssueClusterer({ weights, matcher });
    let issues = 0;
    const t0 = performance.now();
    for (const p of posts) {
      const text = normaliseText(p.text);
      let category: string | null = p.category;
      let relevant = true;
      if (classify && bundle) {
        const u = understand(bundle, text);
        category = u.category;
        relevant = u.relevant;
      }
      if (!assign) continue;
      const a = c.assign({ ref: { kind: 'post', id: String(p.i) }, source: 'bench', category, city: 'astana', districtId: p.districtId, text, time: p.time, relevant });
      if ('opened' in a && a.opened) issues++;
    }
    const ms = performance.now() - t0;
    const rate = count / (ms / 1000);
    console.log(`${label.padEnd(44)} ${Math.round(rate).toString().padStart(8)} posts/s${assign ? `  (${issues} issues)` : ''}`);
    return rate;
  };

  console.log(`social-issues: ${count} posts in memory, one core${bundle ? '' : ' (no model file: the classifier rows are skipped)'}`);
  const base = run('normalise only (baseline)', false, false);
  const without = run('normalise + dedupe + assign (reading given)', false, true);
  const withModel = bundle ? run('normalise + classify + dedupe + assign', true, true) : null;
  console.log(`ratios to the baseline: without classifier ${(without / base).toFixed(3)}${withModel ? `, with classifier ${(withModel / base).toFixed(3)}` : ''}`);
  console.log(`target 20,000 posts/s: without classifier ${without >= 20_000 ? 'met' : 'not met'}${withModel ? `, with classifier ${withModel >= 20_000 ? 'met' : 'not met'}` : ''}`);

  const labelled = parseLabelledSet(readFileSync(path.join(DATA_FILES, 'social', 'near-duplicates.jsonl'), 'utf8'));
  const { tune, report } = evaluateNearDuplicates(labelled, weights, matcher);
  const f = (x: number) => x.toFixed(3);
  console.log(`near-duplicates (data/social/near-duplicates.jsonl): threshold ${f(tune.threshold)} chosen on ${tune.pairs} pairs (P ${f(tune.precision)} R ${f(tune.recall)}); reported on ${report.pairs} pairs: precision ${f(report.precision)}, recall ${f(report.recall)} (target P ≥ 0.95, R ≥ 0.90)`);
}
