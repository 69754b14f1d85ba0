/**
 * The five message-level models as one table for prediction: one int8 row per feature bucket with every
 * head's labels side by side, so a feature's weights for all heads are read in one pass from one cache
 * line instead of five float rows from five arrays. Exact: the weights were int8 with a per-label scale
 * in the model file already; the scales and biases are applied to the sums at the end.
 */
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
