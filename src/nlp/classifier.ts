/**
 * Understanding one message: its language and script, then category (and sub-category), kind, urgency
 * and relevance from the linear models, urgency raised by the rules, a calibrated confidence, the top
 * three categories, and the features that weighed most for the decision. Pure and synchronous: the
 * bundle is loaded once; a call never throws on any string.
 */
import type { CaseKind, Urgency } from '../core/model.ts';
import { combineHeads, headProbabilitiesInto, HeadScorer, nonZeroRows, type HeadSlice } from './combined-heads.ts';
import { FeatureAccumulator } from './feature-accumulator.ts';
import { featureNames, featurise, type FeatureOptions } from './features.ts';
import { foldTokens } from './fold.ts';
import { identifyLanguage, type LanguageLabel } from './language.ts';
import { conceptToken, ConceptMatcher } from './lexicon.ts';
import type { ModelBundle } from './model-file.ts';
import { normaliseText } from './normalise.ts';
import type { SoftmaxModel } from './softmax.ts';
import { raiseUrgency, raiseUrgencyWith } from './urgency-rules.ts';
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

const NOT_EMERGENCY: ReadonlySet<string> = new Set(['urgent', 'normal']);

/**
 * What prediction needs per bundle, built once: the five message-level heads as one int8 table (category,
 * sub-category, kind, urgency, relevance) and its scorer, the concept matcher, the feature accumulator, the
 * probability buffers and the label positions. Calls are synchronous, so one set of buffers per bundle serves all.
 */
export interface Predictor {
  matcher: ConceptMatcher;
  features: FeatureAccumulator;
  scorer: HeadScorer;
  heads: [HeadSlice, HeadSlice, HeadSlice, HeadSlice, HeadSlice];
  probabilities: [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  relevantAt: number;
  emergencyAt: number;
  /** Urgency labels the argmax may choose when the message is not an emergency. */
  notEmergency: Uint8Array;
  /** category → which sub-category labels belong to it. */
  subcategoriesOf: Map<string, Uint8Array>;
  /** A concept name with a space would make tokens and the joined text split differently for the rules. */
  spacedConcepts: boolean;
}

const predictors = new WeakMap<ModelBundle, Predictor>();
export function predictorOf(bundle: ModelBundle): Predictor {
  let p = predictors.get(bundle);
  if (p) return p;
  const m = bundle.models;
  const combined = combineHeads([m.category, m.subcategory, m.kind, m.urgency, m.relevance]);
  const heads = combined.heads as Predictor['heads'];
  const flags = (labels: readonly string[], allowed: ReadonlySet<string>) => Uint8Array.from(labels, (l) => (allowed.has(l) ? 1 : 0));
  const matcher = new ConceptMatcher(bundle.lexicon);
  p = {
    matcher,
    features: new FeatureAccumulator(bundle.features, nonZeroRows(combined), matcher),
    scorer: new HeadScorer(combined),
    heads,
    probabilities: heads.map((h) => new Float32Array(h.model.labels.length)) as Predictor['probabilities'],
    relevantAt: m.relevance.labels.indexOf('relevant'),
    emergencyAt: m.urgency.labels.indexOf('emergency'),
    notEmergency: flags(m.urgency.labels, NOT_EMERGENCY),
    subcategoriesOf: new Map(Object.entries(bundle.subcategories).map(([category, subs]) => [category, flags(m.subcategory.labels, new Set(subs))])),
    spacedConcepts: bundle.lexicon.entries.some((e) => e.concept.includes(' ')),
  };
  predictors.set(bundle, p);
  return p;
}

/** The first label with the highest probability (among the allowed ones; the first label when none is). */
function bestAt(p: Float32Array, allowed: Uint8Array | null): number {
  let at = 0;
  let max = -1;
  for (let i = 0; i < p.length; i++) {
    if (allowed && allowed[i] === 0) continue;
    if (p[i]! > max) {
      max = p[i]!;
      at = i;
    }
  }
  return at;
}

/** The three most probable categories as a stable sort of the rounded probabilities would list them. */
function topThree(labels: readonly string[], p: Float32Array): Suggestion[] {
  const top: Suggestion[] = [];
  const taken: number[] = [];
  for (let n = 0; n < 3 && n < labels.length; n++) {
    let at = -1;
    let max = 0;
    for (let i = 0; i < labels.length; i++) {
      if (taken.includes(i)) continue;
      const r = round(p[i]!);
      if (at < 0 || r > max) {
        max = r;
        at = i;
      }
    }
    taken.push(at);
    top.push({ category: labels[at]!, probability: max });
  }
  return top;
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
  const tokens = foldTokens(text, { latinIsKazakh });
  if (!tokens.some((t) => !t.startsWith('<'))) return NOTHING(lang.language, lang.script);
  const p = predictorOf(bundle);
  const { features, scorer } = p;
  // The tokens the model reads: the folded words, then one <c:concept> token per concept found (withConcepts).
  const words = tokens.length;
  const records = features.records(tokens);
  for (const concept of p.matcher.matchStarting(tokens, records)) tokens.push(conceptToken(concept));
  if (tokens.length > words) features.records(tokens, words);
  features.accumulateRecords(tokens, records);
  const sums = scorer.score(features);
  const { category: cm, subcategory: sm, kind: km, urgency: um } = bundle.models;
  const [hc, hs, hk, hu, hr] = p.heads;
  const [bc, bs, bk, bu, br] = p.probabilities;
  const pc = headProbabilitiesInto(hc, sums, bc);
  const category = bestAt(pc, null);
  const categoryLabel = cm.labels[category]!;
  const subs = p.subcategoriesOf.get(categoryLabel);
  const subcategory = subs ? sm.labels[bestAt(headProbabilitiesInto(hs, sums, bs), subs)]! : null;
  const kind = km.labels[bestAt(headProbabilitiesInto(hk, sums, bk), null)] as CaseKind;
  const pu = headProbabilitiesInto(hu, sums, bu);
  const relevance = headProbabilitiesInto(hr, sums, br);
  const relevant = (relevance[p.relevantAt] ?? 0) >= 0.5;
  // Recall first: emergency from a probability well below the argmax (the threshold that kept 98% of the
  // held-back emergencies when training).
  const emergency = (pu[p.emergencyAt] ?? 0) >= bundle.emergencyThreshold;
  const predicted = emergency ? 'emergency' : (um.labels[bestAt(pu, p.notEmergency)] as Urgency);
  const verdict = p.spacedConcepts ? raiseUrgency(tokens.join(' '), predicted) : raiseUrgencyWith(tokens, records, predicted);
  return {
    language: lang.language,
    script: lang.script,
    // The category stands whatever the relevance: an appeal is always considered; social listening reads `relevant`.
    category: categoryLabel,
    subcategory: relevant ? subcategory : null,
    kind,
    urgency: verdict.urgency,
    relevant: relevant || verdict.rules.length > 0,
    confidence: round(pc[category]!),
    top: topThree(cm.labels, pc),
    why: options.explain ? explain(cm, tokens, categoryLabel, bundle.features) : [],
    urgencyRules: verdict.rules,
  };
}
