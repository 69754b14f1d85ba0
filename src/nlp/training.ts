/**
 * Builds the model bundle from the training corpus, deterministically: the same corpus gives the same
 * bytes. A tenth of the training split (chosen by a seeded shuffle) is held back to calibrate each
 * model's temperature; the held-out split in data/corpus/heldout is never read here.
 */
import { createHash } from 'node:crypto';
import type { CorpusEntry } from './corpus.ts';
import { DEFAULT_FEATURES, featurise, type FeatureOptions } from './features.ts';
import { foldTokens } from './fold.ts';
import { ConceptMatcher, withConcepts, type Lexicon } from './lexicon.ts';
import { identifyLanguage, WORD_FEATURES, WORD_LANGUAGES, wordKey } from './language.ts';
import type { Head, ModelBundle } from './model-file.ts';
import { normaliseText } from './normalise.ts';
import { calibrate, DEFAULT_TRAINING, probabilities, seededRandom, shuffled, train, type Example, type SoftmaxModel, type TrainOptions } from './softmax.ts';

export interface TrainingInput {
  entries: readonly CorpusEntry[];
  subcategories: Record<string, string[]>;
  categories: readonly string[];
  features?: FeatureOptions;
  training?: Partial<TrainOptions>;
  triageBelow?: number;
  lexicon: Lexicon;
}

const WORD = /[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]+)*/gu;

/** Word-level language examples from single-language messages (mixed ones are left out). */
function languageExamples(entries: readonly CorpusEntry[]): Example[] {
  const seen = new Set<string>();
  const examples: Example[] = [];
  for (const e of entries) {
    if (e.language === 'mixed') continue;
    for (const word of e.text.match(WORD) ?? []) {
      const key = wordKey(word);
      if (key.length < 2 || seen.has(`${e.language}:${key}`)) continue;
      seen.add(`${e.language}:${key}`);
      examples.push({ x: featurise([key], WORD_FEATURES), label: e.language });
    }
  }
  return examples;
}

interface Fitted {
  model: SoftmaxModel;
  /** The model trained without the tenth held back, and that tenth: for choosing thresholds honestly. */
  probe: SoftmaxModel;
  heldBack: Example[];
}

function fitWithProbe(examples: Example[], labels: readonly string[], buckets: number, options: TrainOptions): Fitted {
  // Calibrate on a tenth held back; then retrain on everything with the temperature found.
  const order = shuffled(examples, seededRandom(options.seed ^ 0x5eed));
  const cut = Math.floor(order.length / 10);
  const heldBack = order.slice(0, cut);
  const probe = train(order.slice(cut), labels, buckets, options);
  const temperature = calibrate(probe, heldBack);
  const model = train(examples, labels, buckets, options);
  return { model: { ...model, temperature }, probe: { ...probe, temperature }, heldBack };
}

const fit = (examples: Example[], labels: readonly string[], buckets: number, options: TrainOptions): SoftmaxModel =>
  fitWithProbe(examples, labels, buckets, options).model;

/** Recall first: the emergency probability above which a message is an emergency, so that 98% of the held-back emergencies are. */
export const EMERGENCY_RECALL = 0.98;
function emergencyThreshold(f: Fitted): number {
  const e = f.probe.labels.indexOf('emergency');
  const p = f.heldBack.filter((x) => x.label === 'emergency').map((x) => probabilities(f.probe, x.x)[e]!).sort((a, b) => a - b);
  if (p.length === 0) return 0.5;
  const at = p[Math.floor((1 - EMERGENCY_RECALL) * p.length)]!;
  return Math.min(0.5, Math.max(0.05, at * 0.9));
}

export function corpusHash(entries: readonly CorpusEntry[]): string {
  const h = createHash('sha256');
  for (const e of entries) h.update(JSON.stringify(e)).update('\n');
  return h.digest('hex').slice(0, 16);
}

export function trainBundle(input: TrainingInput): ModelBundle {
  const features = input.features ?? DEFAULT_FEATURES;
  const options: TrainOptions = { ...DEFAULT_TRAINING, ...input.training };
  const buckets = 1 << features.bits;
  const language = fit(languageExamples(input.entries), WORD_LANGUAGES, 1 << WORD_FEATURES.bits, { ...options, epochs: 5 });

  const matcher = new ConceptMatcher(input.lexicon);
  const featured = input.entries.map((e) => {
    const text = normaliseText(e.text);
    const lang = identifyLanguage(language, text);
    return { e, x: featurise(withConcepts(matcher, foldTokens(text, { latinIsKazakh: lang.dominant === 'kk' && lang.script !== 'cyrl' })), features) };
  });
  const relevant = featured.filter((f) => f.e.relevant);
  const subcategoryLabels = [...new Set(Object.values(input.subcategories).flat())].sort();
  const examplesOf = (list: typeof featured, labelOf: (e: CorpusEntry) => string | undefined): Example[] =>
    list.flatMap((f) => {
      const label = labelOf(f.e);
      return label === undefined ? [] : [{ x: f.x, label }];
    });
  // Emergencies are the costly miss: they weigh more in the urgency model.
  // Relevance and urgency hang on few, sharp signals (an advert's wording, "помогите"): lighter regularisation.
  // No label weights: the emergency threshold does the favouring, on calibrated probabilities.
  const urgencyOptions = { ...options, l2: options.l2 / 30 };
  // Irrelevant posts are a few hundred against thousands of reports: weighted so the two classes count alike-ish.
  const irrelevantShare = input.entries.filter((e) => !e.relevant).length / Math.max(1, input.entries.length);
  const relevanceOptions = { ...options, l2: options.l2 / 300, labelWeights: { irrelevant: Math.min(10, Math.max(1, 0.25 / Math.max(irrelevantShare, 0.01))) } };
  const urgency = fitWithProbe(examplesOf(relevant, (e) => e.urgency), ['emergency', 'urgent', 'normal'], buckets, urgencyOptions);
  const models: Record<Head, SoftmaxModel> = {
    language,
    category: fit(examplesOf(relevant, (e) => e.category), [...input.categories], buckets, options),
    subcategory: fit(examplesOf(relevant, (e) => e.subcategory), subcategoryLabels, buckets, options),
    kind: fit(examplesOf(relevant, (e) => e.kind), ['complaint', 'application', 'proposal', 'inquiry', 'feedback'], buckets, options),
    urgency: urgency.model,
    relevance: fit(examplesOf(featured, (e) => (e.relevant ? 'relevant' : 'irrelevant')), ['relevant', 'irrelevant'], buckets, relevanceOptions),
  };
  return {
    features,
    languageFeatures: WORD_FEATURES,
    models,
    subcategories: input.subcategories,
    lexicon: input.lexicon,
    emergencyThreshold: emergencyThreshold(urgency),
    triageBelow: input.triageBelow ?? 0.45,
    trainedOn: { examples: input.entries.length, corpusHash: corpusHash(input.entries) },
  };
}
