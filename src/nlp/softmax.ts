/**
 * Multinomial logistic (softmax) regression over hashed sparse features: trained with AdaGrad and L2,
 * deterministically (a seeded shuffle), then calibrated by temperature scaling on held-back examples so
 * its probabilities mean what they say. Pure; no I/O.
 */
import type { FeatureVector } from './features.ts';

export interface SoftmaxModel {
  labels: readonly string[];
  buckets: number;
  /** Row-major [bucket][label]. */
  weights: Float32Array;
  bias: Float32Array;
  /** Divides the scores before the softmax (calibration). */
  temperature: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Per-label weight of an example, e.g. to favour recall of a rare, costly label. */
  labelWeights?: Readonly<Record<string, number>>;
}

export const DEFAULT_TRAINING: TrainOptions = { epochs: 12, learningRate: 0.2, l2: 3e-3, seed: 20261125 };

/** mulberry32: a small, fast, seeded generator (training must be reproducible). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Raw scores (logits) of every label. */
export function scores(model: SoftmaxModel, x: FeatureVector, out = new Float32Array(model.labels.length)): Float32Array {
  const k = model.labels.length;
  const weights = model.weights;
  const indices = x.indices;
  const values = x.values;
  // Summed in float64 (no rounding to float32 at every step, and faster in V8), then stored.
  const acc = new Float64Array(model.bias);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]! * k;
    const v = values[i]!;
    for (let c = 0; c < k; c++) acc[c]! += weights[row + c]! * v;
  }
  out.set(acc);
  return out;
}

/** Softmax of scores / temperature, in place. */
export function softmax(s: Float32Array, temperature = 1): Float32Array {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < s.length; c++) {
    s[c] = Math.exp((s[c]! - max) / temperature);
    sum += s[c]!;
  }
  for (let c = 0; c < s.length; c++) s[c]! /= sum;
  return s;
}

export const probabilities = (model: SoftmaxModel, x: FeatureVector): Float32Array => softmax(scores(model, x), model.temperature);

export interface Example {
  x: FeatureVector;
  label: string;
}

export function train(examples: readonly Example[], labels: readonly string[], buckets: number, options: TrainOptions = DEFAULT_TRAINING): SoftmaxModel {
  const k = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const model: SoftmaxModel = { labels, buckets, weights: new Float32Array(buckets * k), bias: new Float32Array(k), temperature: 1 };
  const g2 = new Float32Array(buckets * k);
  const b2 = new Float32Array(k);
  const random = seededRandom(options.seed);
  const p = new Float32Array(k);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const ex of shuffled(examples, random)) {
      const y = index.get(ex.label);
      if (y === undefined) throw new Error(`label ${ex.label} is not among the model's labels`);
      const weight = options.labelWeights?.[ex.label] ?? 1;
      softmax(scores(model, ex.x, p));
      for (let c = 0; c < k; c++) {
        const grad = (p[c]! - (c === y ? 1 : 0)) * weight;
        if (grad === 0) continue;
        b2[c]! += grad * grad;
        model.bias[c]! -= (options.learningRate * grad) / Math.sqrt(b2[c]! + 1e-8);
        for (let i = 0; i < ex.x.indices.length; i++) {
          const at = ex.x.indices[i]! * k + c;
          const g = grad * ex.x.values[i]! + options.l2 * model.weights[at]!;
          g2[at]! += g * g;
          model.weights[at]! -= (options.learningRate * g) / Math.sqrt(g2[at]! + 1e-8);
        }
      }
    }
  }
  return model;
}

/**
 * The temperature that minimises the negative log-likelihood of held-back examples (a golden-section
 * search over [0.05, 20]): an over-confident model gets T > 1, an under-confident one T < 1.
 */
export function calibrate(model: SoftmaxModel, examples: readonly Example[]): number {
  if (examples.length === 0) return 1;
  const index = new Map(model.labels.map((l, i) => [l, i]));
  const logits = examples.map((e) => Array.from(scores(model, e.x)));
  // Log-sum-exp in float64: a confidently wrong probability must not underflow to a clamp, which would
  // flatten the loss at small temperatures and let the search settle there.
  const nll = (t: number): number => {
    let total = 0;
    logits.forEach((s, i) => {
      const y = index.get(examples[i]!.label) ?? 0;
      const max = Math.max(...s) / t;
      let sum = 0;
      for (const v of s) sum += Math.exp(v / t - max);
      total -= s[y]! / t - max - Math.log(sum);
    });
    return total;
  };
  let [a, b] = [Math.log(0.05), Math.log(20)];
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const c = b - phi * (b - a);
    const d = a + phi * (b - a);
    if (nll(Math.exp(c)) < nll(Math.exp(d))) b = d;
    else a = c;
  }
  return Math.exp((a + b) / 2);
}
