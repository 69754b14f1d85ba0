import { describe, expect, it } from 'vitest';
import { featurise, type FeatureOptions } from '../../src/nlp/features.ts';
import { foldTokens } from '../../src/nlp/fold.ts';
import { decodeBundle, encodeBundle, HEADS, type Head, type ModelBundle } from '../../src/nlp/model-file.ts';
import { calibrate, probabilities, seededRandom, train, type Example, type SoftmaxModel } from '../../src/nlp/softmax.ts';

/** The linear model: it learns a tiny synthetic set, deterministically; calibration; the model file. */

const FEATURES: FeatureOptions = { bits: 12, minN: 2, maxN: 4 };
const BUCKETS = 1 << FEATURES.bits;
const LABELS = ['water', 'light', 'road'] as const;
const TRAINING = { epochs: 12, learningRate: 0.5, l2: 1e-6, seed: 7 };

const x = (text: string) => featurise(foldTokens(text, { latinIsKazakh: false }), FEATURES);
const example = (text: string, label: string): Example => ({ x: x(text), label });

const TRAIN: Example[] = [
  ...['Нет воды третий день', 'Нет горячей воды', 'Из крана не идёт вода', 'Отключили воду без предупреждения', 'Су жоқ үш күн', 'Ыстық су жоқ', 'Вода ржавая, пить нельзя', 'No water in the building'].map((t) => example(t, 'water')),
  ...['Нет света во дворе', 'Отключили электричество', 'Свет пропал в подъезде', 'Жарық жоқ', 'Электр жарығы өшті', 'Не работает электричество', 'Power cut on our street', 'No electricity since morning'].map((t) => example(t, 'light')),
  ...['Яма на дороге', 'Разбитая дорога у школы', 'Асфальт провалился', 'Жолда шұңқыр бар', 'Жол бұзылған', 'Дорогу не ремонтируют', 'Pothole on the road', 'The road is broken'].map((t) => example(t, 'road')),
];
const HELD_OUT: [string, string][] = [
  ['Снова нет воды', 'water'],
  ['Су жоқ, көмектесіңіздер', 'water'],
  ['Опять отключили свет', 'light'],
  ['Жарық тағы жоқ', 'light'],
  ['Огромная яма на дороге', 'road'],
  ['Жолда үлкен шұңқыр', 'road'],
];

const argmax = (model: SoftmaxModel, text: string): string => {
  const p = probabilities(model, x(text));
  return model.labels[p.indexOf(Math.max(...p))]!;
};

/** Negative log-likelihood of examples at a temperature. */
function nll(model: SoftmaxModel, examples: readonly Example[], temperature: number): number {
  const m = { ...model, temperature };
  return examples.reduce((sum, e) => sum - Math.log(Math.max(probabilities(m, e.x)[m.labels.indexOf(e.label)]!, 1e-12)), 0);
}

const scaled = (model: SoftmaxModel, factor: number): SoftmaxModel => ({
  ...model,
  weights: model.weights.map((w) => w * factor),
  bias: model.bias.map((b) => b * factor),
});

describe('training', () => {
  const model = train(TRAIN, LABELS, BUCKETS, TRAINING);

  it('starts from nothing: an untrained model is uniform', () => {
    const zero = train([], LABELS, BUCKETS, TRAINING);
    for (const p of probabilities(zero, x('Нет воды'))) expect(p).toBeCloseTo(1 / 3, 6);
  });

  it('learns the training set', () => {
    for (const e of TRAIN) {
      const p = probabilities(model, e.x);
      expect(model.labels[p.indexOf(Math.max(...p))], e.label).toBe(e.label);
    }
  });

  it.each(HELD_OUT)('generalises: "%s" → %s', (text, label) => {
    expect(argmax(model, text)).toBe(label);
  });

  it('gives probabilities that sum to 1', () => {
    const p = probabilities(model, x('Нет воды и света'));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic: the same seed gives identical weights', () => {
    const again = train(TRAIN, LABELS, BUCKETS, TRAINING);
    expect(Buffer.from(again.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(true);
    expect([...again.bias]).toEqual([...model.bias]);
  });

  it('uses the seed: another seed gives other weights', () => {
    const other = train(TRAIN, LABELS, BUCKETS, { ...TRAINING, seed: 8 });
    expect(Buffer.from(other.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(false);
  });

  it('does not depend on the order the examples come in', () => {
    const reversed = train([...TRAIN].reverse(), LABELS, BUCKETS, TRAINING);
    // The seeded shuffle starts from the given order, so weights may differ; the decisions must not.
    for (const [text, label] of HELD_OUT) expect(argmax(reversed, text), text).toBe(label);
  });

  it('refuses an example whose label is not among the labels', () => {
    expect(() => train([example('Нет воды', 'gas')], LABELS, BUCKETS, TRAINING)).toThrow(/gas/);
  });

  it('seededRandom repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const v = a();
      expect(v).toBe(b());
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});

describe('calibration', () => {
  const model = train(TRAIN, LABELS, BUCKETS, TRAINING);
  // Held-back examples a third of which the model gets wrong: confidence near 1 is not deserved.
  const heldBack: Example[] = [
    ...HELD_OUT.map(([t, l]) => example(t, l)),
    example('Снова нет воды', 'light'),
    example('Опять отключили свет', 'road'),
    example('Огромная яма на дороге', 'water'),
  ];

  it('returns T > 1 for a model wrong on a third of the held-back examples', () => {
    const t = calibrate(model, heldBack);
    expect(t).toBeGreaterThan(1);
    expect(nll(model, heldBack, t)).toBeLessThan(nll(model, heldBack, 1));
  });

  // Logits ×20: confidently wrong examples get a probability that underflows; the search must still
  // find the temperature that minimises the loss, not a flat stretch at small T.
  it('returns T > 1 for a strongly over-confident model, and T lowers the held-back loss', () => {
    const overConfident = scaled(model, 20);
    const t = calibrate(overConfident, heldBack);
    expect(t).toBeGreaterThan(1);
    expect(nll(overConfident, heldBack, t)).toBeLessThan(nll(overConfident, heldBack, 1));
  });

  it('returns T < 1 for an under-confident model that is always right', () => {
    const underConfident = scaled(model, 0.05);
    const right = HELD_OUT.map(([t, l]) => example(t, l));
    const t = calibrate(underConfident, right);
    expect(t).toBeLessThan(1);
    expect(nll(underConfident, right, t)).toBeLessThan(nll(underConfident, right, 1));
  });

  it('returns 1 with nothing to calibrate on', () => {
    expect(calibrate(model, [])).toBe(1);
  });

  it('does not change the model it calibrates', () => {
    const before = Float32Array.from(model.weights);
    calibrate(model, heldBack);
    expect(Buffer.from(model.weights.buffer).equals(Buffer.from(before.buffer))).toBe(true);
  });
});

describe('model file', () => {
  const LABELS_OF: Record<Head, string[]> = {
    category: ['utilities', 'roads', 'social'],
    subcategory: ['utilities.water', 'utilities.light', 'roads.pothole', 'social.benefits'],
    kind: ['complaint', 'application', 'proposal'],
    urgency: ['emergency', 'urgent', 'normal'],
    relevance: ['relevant', 'irrelevant'],
    language: ['kk', 'ru', 'en'],
  };

  function randomModel(labels: string[], buckets: number, seed: number, temperature: number): SoftmaxModel {
    const next = seededRandom(seed);
    const weights = new Float32Array(buckets * labels.length);
    for (let i = 0; i < weights.length; i++) weights[i] = next() < 0.3 ? (next() - 0.5) * 6 : 0;
    return { labels, buckets, weights, bias: Float32Array.from(labels, () => (next() - 0.5) * 2), temperature };
  }

  function bundle(): ModelBundle {
    const models = {} as Record<Head, SoftmaxModel>;
    HEADS.forEach((head, i) => {
      models[head] = randomModel(LABELS_OF[head], head === 'language' ? 256 : 512, 100 + i, 1 + i / 10);
    });
    models.category = { ...train(TRAIN, LABELS, BUCKETS, TRAINING), temperature: 1.7 };
    return {
      features: FEATURES,
      languageFeatures: { bits: 8, minN: 1, maxN: 4 },
      models,
      subcategories: { utilities: ['utilities.water', 'utilities.light'], roads: ['roads.pothole'] },
      lexicon: { entries: [{ concept: 'heating_system', words: ['батаре'] }, { concept: 'water_supply', words: ['горяч', 'вод'] }] },
      emergencyThreshold: 0.2,
      triageBelow: 0.55,
      trainedOn: { examples: 24, corpusHash: 'sha256:abc' },
    };
  }

  const original = bundle();
  const file = encodeBundle(original);

  it('starts with TYND', () => {
    expect(file.subarray(0, 4).toString('latin1')).toBe('TYND');
  });

  it('round-trips every head within the quantisation error', () => {
    const decoded = decodeBundle(file);
    for (const head of HEADS) {
      const a = original.models[head];
      const b = decoded.models[head];
      expect(b.labels).toEqual([...a.labels]);
      expect(b.buckets).toBe(a.buckets);
      expect(b.temperature).toBe(a.temperature);
      expect(b.weights.length).toBe(a.weights.length);
      a.bias.forEach((v, i) => expect(Math.abs(b.bias[i]! - v), `${head} bias ${i}`).toBeLessThanOrEqual(1e-6));
      const k = a.labels.length;
      // int8 per label: the step is max |w| / 127 of the label's column, the error at most half a step.
      const steps = a.labels.map((_, c) => {
        let max = 0;
        for (let i = c; i < a.weights.length; i += k) max = Math.max(max, Math.abs(a.weights[i]!));
        return max / 127;
      });
      let worst = 0;
      for (let i = 0; i < a.weights.length; i++) worst = Math.max(worst, Math.abs(a.weights[i]! - b.weights[i]!) - steps[i % k]! / 2);
      expect(worst, head).toBeLessThanOrEqual(1e-6);
    }
  });

  it('round-trips the rest of the bundle exactly', () => {
    const decoded = decodeBundle(file);
    expect(decoded.features).toEqual(original.features);
    expect(decoded.languageFeatures).toEqual(original.languageFeatures);
    expect(decoded.subcategories).toEqual(original.subcategories);
    expect(decoded.lexicon).toEqual(original.lexicon);
    expect(decoded.triageBelow).toBe(original.triageBelow);
    expect(decoded.trainedOn).toEqual(original.trainedOn);
  });

  it('keeps the decisions of the trained head', () => {
    const decoded = decodeBundle(file);
    for (const [text] of HELD_OUT) expect(argmax(decoded.models.category, text), text).toBe(argmax(original.models.category, text));
  });

  it('decodes a file that sits at an odd offset inside a larger buffer', () => {
    const big = new Uint8Array(file.length + 11);
    big.set(file, 5);
    const decoded = decodeBundle(big.subarray(5, 5 + file.length));
    expect([...decoded.models.urgency.weights]).toEqual([...decodeBundle(file).models.urgency.weights]);
  });

  // A truncated file as read from disk: its own, shorter memory (a copy, not a view of the whole file).
  const cut = (end: number): Uint8Array => new Uint8Array(file.subarray(0, end));

  it.each([
    ['by its last byte', file.length - 1],
    ['in its weights', file.length - 600],
    ['in its header', 40],
    ['after the fixed part', 12],
    ['in the fixed part', 7],
    ['to nothing', 0],
  ])('refuses a file truncated %s', (_name, end) => {
    expect(() => decodeBundle(cut(end))).toThrow();
  });

  it('says a file cut in its weights is truncated', () => {
    expect(() => decodeBundle(cut(file.length - 1))).toThrow(/truncated/);
    expect(() => decodeBundle(file.subarray(0, file.length - 1))).toThrow(/truncated/);
  });

  it.each([
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])],
    ['JSON', Buffer.from(JSON.stringify({ features: FEATURES, models: {} }))],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff))],
  ])('refuses a foreign file (%s)', (_name, bytes) => {
    expect(() => decodeBundle(bytes)).toThrow(/not a Tyndau model file/);
  });

  it('refuses another version of the format', () => {
    const future = Buffer.from(file);
    future.writeUInt32LE(2, 4);
    expect(() => decodeBundle(future)).toThrow(/version 2/);
  });

  it('refuses a TYND file whose header is not a bundle', () => {
    const json = Buffer.from('{"hello":"world"}');
    const fixed = Buffer.alloc(12);
    fixed.write('TYND', 0, 'latin1');
    fixed.writeUInt32LE(1, 4);
    fixed.writeUInt32LE(json.length, 8);
    expect(() => decodeBundle(Buffer.concat([fixed, json]))).toThrow();
  });
});
