/**
 * The five message-level models as one table for prediction: one int8 row per feature bucket with every
 * head's labels side by side, so a feature's weights for all heads are read in one pass from one cache
 * line instead of five float rows from five arrays. Exact: the weights were int8 with a per-label scale
 * in the model file already; the scales and biases are applied to the sums at the end.
 */
import type { FeatureAccumulator, WeightRows } from './feature-accumulator.ts';
import type { FeatureVector } from './features.ts';
import { softmax, type SoftmaxModel } from './softmax.ts';

export interface HeadSlice {
  model: SoftmaxModel;
  offset: number;
  scales: Float64Array;
}

export interface CombinedHeads {
  width: number;
  table: Int8Array;
  heads: HeadSlice[];
}

export function combineHeads(models: readonly SoftmaxModel[]): CombinedHeads {
  const buckets = models[0]!.buckets;
  if (models.some((m) => m.buckets !== buckets)) throw new Error('heads must share their feature buckets');
  const width = models.reduce((w, m) => w + m.labels.length, 0);
  const table = new Int8Array(buckets * width);
  const heads: HeadSlice[] = [];
  let offset = 0;
  for (const model of models) {
    const k = model.labels.length;
    const scales = new Float64Array(k);
    for (let i = 0; i < model.weights.length; i++) scales[i % k] = Math.max(scales[i % k]!, Math.abs(model.weights[i]!));
    for (let c = 0; c < k; c++) scales[c] = scales[c]! / 127 || 1;
    for (let b = 0; b < buckets; b++) {
      for (let c = 0; c < k; c++) table[b * width + offset + c] = Math.round(model.weights[b * k + c]! / scales[c]!);
    }
    heads.push({ model, offset, scales });
    offset += k;
  }
  return { width, table, heads };
}

/** The unscaled sums of every label of every head for one feature vector. */
export function sumAll(c: CombinedHeads, x: FeatureVector): Float64Array {
  const { width, table } = c;
  const sums = new Float64Array(width);
  const { indices, values } = x;
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]! * width;
    const v = values[i]!;
    for (let j = 0; j < width; j++) sums[j]! += table[row + j]! * v;
  }
  return sums;
}

/** One head's calibrated probabilities from the sums. */
export function headProbabilities(head: HeadSlice, sums: Float64Array): Float32Array {
  const k = head.model.labels.length;
  const out = new Float32Array(k);
  for (let c = 0; c < k; c++) out[c] = sums[head.offset + c]! * head.scales[c]! + head.model.bias[c]!;
  return softmax(out, head.model.temperature);
}

/** Counts up to this many share one integer accumulator per head label; rarer, larger counts are added as floats. */
const COUNT_CLASSES = 16;
const LOG1P = Float64Array.from({ length: COUNT_CLASSES + 1 }, (_, c) => Math.log1p(c));

/** Which rows of the combined table are not all zero (most buckets never met a training message), one bit each. */
export function nonZeroRows(c: CombinedHeads): WeightRows {
  const { width, table } = c;
  const buckets = table.length / width;
  const nonZero = new Uint32Array(Math.ceil(buckets / 32));
  for (let b = 0; b < buckets; b++) {
    for (let j = 0; j < width; j++) {
      if (table[b * width + j] !== 0) {
        nonZero[b >>> 5]! |= 1 << (b & 31);
        break;
      }
    }
  }
  return { width, table, nonZero };
}

/**
 * sumAll() for counted features (feature-accumulator.ts), the same numbers faster. The L2-normalised value of a
 * feature depends only on its count, so the int8 weights of the features of one count are summed as integers
 * and multiplied by that value once. This is exact, not close: every product weight × value is a multiple of the
 * smallest value's ulp, and while the sums stay below 2^53 such ulps (checked per message; else the plain loop
 * runs) a float64 sum of them has no rounding, in any order or grouping, so the sums are sumAll()'s bit for bit.
 */
export class HeadScorer {
  readonly width: number;
  readonly sums: Float64Array;
  private readonly classSums: Int32Array;
  private readonly classCounts = new Int32Array(COUNT_CLASSES + 1);

  constructor(readonly combined: CombinedHeads) {
    this.width = combined.width;
    this.sums = new Float64Array(this.width);
    this.classSums = new Int32Array((COUNT_CLASSES + 1) * this.width);
  }

  /** The unscaled sums of every label for the accumulated message (this.sums, overwritten). */
  score(acc: FeatureAccumulator): Float64Array {
    const { width, sums, classSums, classCounts } = this;
    const { buckets, counts, ones, size, onceSum } = acc;
    const { table: rows, nonZero } = acc.weights;
    // The norm as featurise() sums it: log(1 + count) squared, in the order the features were met.
    let norm = 0;
    let fewest = Infinity;
    // Σ log(1 + count) bounds the sum of the values (each is that times the scale, rounded to f32).
    let logs = 0;
    for (let i = 0; i < size; i++) {
      const c = counts[i]!;
      const v = c <= COUNT_CLASSES ? LOG1P[c]! : Math.log1p(c);
      norm += v * v;
      logs += v;
      if (c < fewest) fewest = c;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    // The largest |sum| any label can reach (|weight| ≤ 127, values rounded up by at most 2^-23 each, with
    // margin) and the smallest value (the fewest count's), for the exactness check.
    const total = logs * scale * 1.001;
    const smallest = Math.fround(Math.fround(Math.log1p(fewest)) * scale);
    // An f32 value's ulp is at least 2^(exponent − 23); two exponents of margin for log2's rounding.
    const ulp = 2 ** (Math.floor(Math.log2(smallest)) - 25);
    if (!(scale > 0) || !(127 * total < 2 ** 52 * ulp)) return this.plain(acc, scale);
    sums.fill(0);
    classCounts.fill(0);
    // onceSum has every weight-1 occurrence's row once: a bucket met c > 1 times moves from class 1 to class c.
    classCounts[1] = 1;
    for (let j = 0; j < width; j++) classSums[width + j] = onceSum[j]!;
    for (let i = 0; i < size; i++) {
      const c = counts[i]!;
      if (c === 1) continue;
      const b = buckets[i]!;
      if ((nonZero[b >>> 5]! & (1 << (b & 31))) === 0) continue;
      const row = b * width;
      const n = ones[i]!;
      if (n > 0) for (let j = 0; j < width; j++) classSums[width + j]! -= n * rows[row + j]!;
      if (c <= COUNT_CLASSES) {
        classCounts[c]!++;
        const at = c * width;
        for (let j = 0; j < width; j++) classSums[at + j]! += rows[row + j]!;
      } else {
        const v = Math.fround(Math.fround(Math.log1p(c)) * scale);
        for (let j = 0; j < width; j++) sums[j]! += rows[row + j]! * v;
      }
    }
    for (let c = 1; c <= COUNT_CLASSES; c++) {
      if (classCounts[c] === 0) continue;
      const v = Math.fround(Math.fround(LOG1P[c]!) * scale);
      const at = c * width;
      for (let j = 0; j < width; j++) {
        sums[j]! += classSums[at + j]! * v;
        classSums[at + j] = 0;
      }
    }
    return sums;
  }

  /** sumAll()'s own loop, for a message too long for the exact shortcut. */
  private plain(acc: FeatureAccumulator, scale: number): Float64Array {
    const { width, sums } = this;
    const table = this.combined.table;
    sums.fill(0);
    for (let i = 0; i < acc.size; i++) {
      const row = acc.buckets[i]! * width;
      const v = Math.fround(Math.fround(Math.log1p(acc.counts[i]!)) * scale);
      for (let j = 0; j < width; j++) sums[j]! += table[row + j]! * v;
    }
    return sums;
  }
}

/** headProbabilities() into a caller's array (no allocation). */
export function headProbabilitiesInto(head: HeadSlice, sums: Float64Array, out: Float32Array): Float32Array {
  const k = head.model.labels.length;
  for (let c = 0; c < k; c++) out[c] = sums[head.offset + c]! * head.scales[c]! + head.model.bias[c]!;
  return softmax(out, head.model.temperature);
}
