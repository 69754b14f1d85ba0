/**
 * Understanding one message: its language and script, then category (and sub-category), kind, urgency
 * and relevance from the linear models, urgency raised by the rules, a calibrated confidence, the top
 * three categories, and the features that weighed most for the decision. Pure and synchronous: the
 * bundle is loaded once; a call never throws on any string.
 */
import type { CaseKind, Urgency } from '../core/model.ts';
import { featureNames, featurise, type FeatureOptions } from './features.ts';
import { foldTokens } from './fold.ts';
import { identifyLanguage, type LanguageLabel } from './language.ts';
import { ConceptMatcher, withConcepts } from './lexicon.ts';
import type { ModelBundle } from './model-file.ts';
import { normaliseText } from './normalise.ts';
import { combineHeads, headProbabilities, sumAll, type CombinedHeads, type HeadSlice } from './combined-heads.ts';
import type { SoftmaxModel } from './softmax.ts';
import { raiseUrgency } from './urgency-rules.ts';
import type { Script } from './fold.ts';

/** Longer texts are read up to here: the topic of a long story is rarely only at its very end. */
export const MAX_CLASSIFIED_CHARS = 8_000;

export interface Suggestion {
  category: string;
  probability: number;
}

export interface Understanding {
  language: LanguageLabel;
  script: Script;
  category: string;
  subcategory: string | null;
  kind: CaseKind;
  urgency: Urgency;
  relevant: boolean;
  /** Calibrated probability of the category (0 when there was nothing to read). */
  confidence: number;
  /** The three most likely categories. */
  top: Suggestion[];
  /** The features that pushed most towards the category, for the operator. */
  why: string[];
  /** Urgency rules that fired. */
  urgencyRules: string[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

const combinedTables = new WeakMap<ModelBundle, CombinedHeads>();
/** The five message-level heads as one int8 table, built once per bundle (category, sub-category, kind, urgency, relevance). */
function combinedOf(bundle: ModelBundle): CombinedHeads {
  let c = combinedTables.get(bundle);
  if (!c) {
    const m = bundle.models;
    combinedTables.set(bundle, (c = combineHeads([m.category, m.subcategory, m.kind, m.urgency, m.relevance])));
  }
  return c;
}

const matchers = new WeakMap<ModelBundle, ConceptMatcher>();
function matcherOf(bundle: ModelBundle): ConceptMatcher {
  let m = matchers.get(bundle);
  if (!m) matchers.set(bundle, (m = new ConceptMatcher(bundle.lexicon)));
  return m;
}

function best(model: SoftmaxModel, p: Float32Array, allowed?: ReadonlySet<string>): { label: string; p: number } {
  let label = model.labels[0]!;
  let max = -1;
  model.labels.forEach((l, i) => {
    if (allowed && !allowed.has(l)) return;
    if (p[i]! > max) {
      max = p[i]!;
      label = l;
    }
  });
  return { label, p: max };
}

/** The named features with the largest contribution (weight × value) to `label`. */
function explain(model: SoftmaxModel, tokens: readonly string[], label: string, features: FeatureOptions, limit = 5): string[] {
  const c = model.labels.indexOf(label);
  const k = model.labels.length;
  const x = featurise(tokens, features);
  const names = featureNames(tokens, features);
  const contributions: [string, number][] = [];
  for (let i = 0; i < x.indices.length; i++) {
    const b = x.indices[i]!;
    const w = model.weights[b * k + c]! * x.values[i]!;
    // The longest name of the bucket: a word or a concept tells an operator more than a three-letter piece.
    const name = names.get(b)?.reduce((a, n) => (n.length > a.length ? n : a), '');
    if (name && w > 0) contributions.push([name, w]);
  }
  // A word and its own n-gram can share a name ("лиук" as a word and inside <лиук>): each name once.
  return [...new Set(contributions.sort((a, b) => b[1] - a[1]).map(([name]) => name))].slice(0, limit);
}

const NOT_EMERGENCY: ReadonlySet<string> = new Set(['urgent', 'normal']);

const NOTHING = (language: LanguageLabel, script: Script): Understanding => ({
  language,
  script,
  category: 'other',
  subcategory: null,
  kind: 'application',
  urgency: 'normal',
  relevant: false,
  confidence: 0,
  top: [],
  why: [],
  urgencyRules: [],
});

export function understand(bundle: ModelBundle, input: string, options: { explain?: boolean } = {}): Understanding {
  const text = normaliseText(String(input).slice(0, MAX_CLASSIFIED_CHARS * 2)).slice(0, MAX_CLASSIFIED_CHARS);
  const lang = identifyLanguage(bundle.models.language, text);
  const latinIsKazakh = lang.dominant === 'kk' && lang.script !== 'cyrl';
  const tokens = withConcepts(matcherOf(bundle), foldTokens(text, { latinIsKazakh }));
  if (!tokens.some((t) => !t.startsWith('<'))) return NOTHING(lang.language, lang.script);
  const x = featurise(tokens, bundle.features);
  const { category: cm, subcategory: sm, kind: km, urgency: um, relevance: rm } = bundle.models;
  const combined = combinedOf(bundle);
  const sums = sumAll(combined, x);
  const [hc, hs, hk, hu, hr] = combined.heads as [HeadSlice, HeadSlice, HeadSlice, HeadSlice, HeadSlice];
  const pc = headProbabilities(hc, sums);
  const category = best(cm, pc);
  const subs = bundle.subcategories[category.label];
  const subcategory = subs ? best(sm, headProbabilities(hs, sums), new Set(subs)).label : null;
  const kind = best(km, headProbabilities(hk, sums)).label as CaseKind;
  const pu = headProbabilities(hu, sums);
  const relevance = headProbabilities(hr, sums);
  const relevant = (relevance[rm.labels.indexOf('relevant')] ?? 0) >= 0.5;
  // Recall first: emergency from a probability well below the argmax (the threshold that kept 98% of the
  // held-back emergencies when training).
  const emergency = (pu[um.labels.indexOf('emergency')] ?? 0) >= bundle.emergencyThreshold;
  const predicted = emergency ? 'emergency' : (best(um, pu, NOT_EMERGENCY).label as Urgency);
  const verdict = raiseUrgency(tokens.join(' '), predicted);
  const top = cm.labels
    .map((label, i) => ({ category: label, probability: round(pc[i]!) }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 3);
  return {
    language: lang.language,
    script: lang.script,
    // The category stands whatever the relevance: an appeal is always considered; social listening reads `relevant`.
    category: category.label,
    subcategory: relevant ? subcategory : null,
    kind,
    urgency: verdict.urgency,
    relevant: relevant || verdict.rules.length > 0,
    confidence: round(category.p),
    top,
    why: options.explain ? explain(cm, tokens, category.label, bundle.features) : [],
    urgencyRules: verdict.rules,
  };
}
