/**
 * Scores the classifier on the held-out split: accuracy and macro-F1 per field, per language and per
 * script, the worst confused category pairs, emergency recall, relevance F1, and whether the same message
 * in Cyrillic and in Latin Kazakh gets the same category. Pure: returns numbers and a Markdown report.
 */
import { understand } from './classifier.ts';
import type { CorpusEntry } from './corpus.ts';
import type { ModelBundle } from './model-file.ts';

export interface FieldScore {
  n: number;
  accuracy: number;
  macroF1: number;
}

export interface Evaluation {
  examples: number;
  category: FieldScore;
  categoryByLanguage: Record<string, FieldScore>;
  categoryByScript: Record<string, FieldScore>;
  /** Kazakh in the Latin alphabet: the hardest slice, with its own target. */
  categoryKazakhLatin: FieldScore;
  subcategory: FieldScore;
  kind: FieldScore;
  urgency: FieldScore;
  emergencyRecall: number;
  emergencyPrecision: number;
  relevanceF1: number;
  pairsAgreeing: { pairs: number; agreeing: number };
  confusions: { expected: string; predicted: string; count: number }[];
}

/** Accuracy and macro-F1 (over the expected labels) of [expected, predicted] pairs. */
export function score(pairs: readonly [string, string][]): FieldScore {
  const n = pairs.length;
  if (n === 0) return { n: 0, accuracy: 0, macroF1: 0 };
  const labels = [...new Set(pairs.map(([e]) => e))];
  let correct = 0;
  for (const [e, p] of pairs) if (e === p) correct++;
  const f1s = labels.map((label) => {
    const tp = pairs.filter(([e, p]) => e === label && p === label).length;
    const fp = pairs.filter(([e, p]) => e !== label && p === label).length;
    const fn = pairs.filter(([e, p]) => e === label && p !== label).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return { n, accuracy: round(correct / n), macroF1: round(f1s.reduce((a, b) => a + b, 0) / labels.length) };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) m.set(key(item), [...(m.get(key(item)) ?? []), item]);
  return m;
}

export function evaluate(bundle: ModelBundle, heldout: readonly CorpusEntry[]): Evaluation {
  const rows = heldout.map((e) => ({ e, u: understand(bundle, e.text) }));
  const relevantRows = rows.filter((r) => r.e.relevant);
  const cat = (list: typeof rows): [string, string][] => list.map((r) => [r.e.category, r.u.category]);
  const byLanguage = Object.fromEntries([...groupBy(relevantRows, (r) => r.e.language)].map(([k, v]) => [k, score(cat(v))]));
  const byScript = Object.fromEntries([...groupBy(relevantRows, (r) => r.e.script)].map(([k, v]) => [k, score(cat(v))]));
  const emergencies = relevantRows.filter((r) => r.e.urgency === 'emergency');
  const flagged = relevantRows.filter((r) => r.u.urgency === 'emergency');
  const tpRel = rows.filter((r) => r.e.relevant && r.u.relevant).length;
  const fpRel = rows.filter((r) => !r.e.relevant && r.u.relevant).length;
  const fnRel = rows.filter((r) => r.e.relevant && !r.u.relevant).length;
  const irrelevantF1 = (() => {
    const tp = rows.filter((r) => !r.e.relevant && !r.u.relevant).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fnRel + fpRel);
  })();
  const relevantF1 = tpRel === 0 ? 0 : (2 * tpRel) / (2 * tpRel + fpRel + fnRel);
  const paired = [...groupBy(relevantRows.filter((r) => r.e.pair), (r) => r.e.pair!)].filter(([, v]) => v.length === 2);
  const confusions = [...groupBy(relevantRows.filter((r) => r.e.category !== r.u.category), (r) => `${r.e.category} → ${r.u.category}`)]
    .map(([k, v]) => ({ expected: k.split(' → ')[0]!, predicted: k.split(' → ')[1]!, count: v.length }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 10);
  return {
    examples: rows.length,
    category: score(cat(relevantRows)),
    categoryByLanguage: byLanguage,
    categoryByScript: byScript,
    categoryKazakhLatin: score(cat(relevantRows.filter((r) => r.e.language === 'kk' && r.e.script === 'latn'))),
    subcategory: score(relevantRows.filter((r) => r.e.subcategory).map((r) => [r.e.subcategory!, r.u.subcategory ?? 'none'])),
    kind: score(relevantRows.map((r) => [r.e.kind, r.u.kind])),
    urgency: score(relevantRows.map((r) => [r.e.urgency, r.u.urgency])),
    emergencyRecall: round(emergencies.length ? emergencies.filter((r) => r.u.urgency === 'emergency').length / emergencies.length : 1),
    emergencyPrecision: round(flagged.length ? flagged.filter((r) => r.e.urgency === 'emergency').length / flagged.length : 1),
    // Macro over the two classes: a model calling everything relevant does not pass.
    relevanceF1: round((relevantF1 + irrelevantF1) / 2),
    pairsAgreeing: { pairs: paired.length, agreeing: paired.filter(([, [a, b]]) => a!.u.category === b!.u.category).length },
    confusions,
  };
}

const row = (name: string, s: FieldScore): string => `| ${name} | ${s.n} | ${s.accuracy.toFixed(3)} | ${s.macroF1.toFixed(3)} |`;

export function evaluationReport(ev: Evaluation, meta: { model: string; corpusHash: string; date: string }): string {
  return [
    '# Classifier evaluation (held-out split)',
    '',
    `Written by \`npm run eval\` on ${meta.date}; model ${meta.model}, trained on corpus ${meta.corpusHash}. ${ev.examples} held-out messages.`,
    '',
    '| field | n | accuracy | macro-F1 |',
    '|---|---|---|---|',
    row('category', ev.category),
    ...Object.entries(ev.categoryByLanguage).sort().map(([k, s]) => row(`category, language ${k}`, s)),
    ...Object.entries(ev.categoryByScript).sort().map(([k, s]) => row(`category, script ${k}`, s)),
    row('category, Kazakh in Latin', ev.categoryKazakhLatin),
    row('sub-category', ev.subcategory),
    row('kind', ev.kind),
    row('urgency', ev.urgency),
    '',
    `- Emergency recall: **${ev.emergencyRecall.toFixed(3)}** (precision ${ev.emergencyPrecision.toFixed(3)}).`,
    `- Relevance F1 (macro over relevant / irrelevant): **${ev.relevanceF1.toFixed(3)}**.`,
    `- Cyrillic/Latin Kazakh pairs with the same category: ${ev.pairsAgreeing.agreeing} of ${ev.pairsAgreeing.pairs}.`,
    '',
    '## Most confused category pairs',
    '',
    '| expected | predicted | count |',
    '|---|---|---|',
    ...ev.confusions.map((c) => `| ${c.expected} | ${c.predicted} | ${c.count} |`),
    '',
  ].join('\n');
}
