/**
 * The trained models as one binary file: "TYND", a version, a JSON header (labels, biases, temperatures,
 * feature options, per-label weight scales) and then each model's weights quantised to int8 per label
 * (|w| ≤ 127 × scale). Quantisation keeps the file small (a few MB) and loading fast; the accuracy cost
 * is measured by `npm run eval`.
 */
import type { FeatureOptions } from './features.ts';
import type { Lexicon } from './lexicon.ts';
import type { SoftmaxModel } from './softmax.ts';

const MAGIC = 0x444e5954; // "TYND", little-endian
const VERSION = 1;

export const HEADS = ['category', 'subcategory', 'kind', 'urgency', 'relevance', 'language'] as const;
export type Head = (typeof HEADS)[number];

export interface ModelBundle {
  features: FeatureOptions;
  /** Feature options of the word-level language model. */
  languageFeatures: FeatureOptions;
  models: Record<Head, SoftmaxModel>;
  /** category → its sub-categories (the subcategory head only chooses among these). */
  subcategories: Record<string, string[]>;
  /** A message is an emergency from this probability on (below the argmax: recall first). */
  emergencyThreshold: number;
  /** Cross-language concepts (data/lexicon/concepts.json, folded). */
  lexicon: Lexicon;
  /** Below this calibrated confidence a case goes to the triage queue with its top three suggestions. */
  triageBelow: number;
  /** What the bundle was trained on, for the record. */
  trainedOn: { examples: number; corpusHash: string };
}

interface HeaderModel {
  labels: string[];
  buckets: number;
  bias: number[];
  temperature: number;
  scales: number[];
}

interface Header extends Omit<ModelBundle, 'models'> {
  models: Record<Head, HeaderModel>;
}

function quantise(model: SoftmaxModel): { scales: number[]; bytes: Int8Array } {
  const k = model.labels.length;
  const scales = new Array<number>(k).fill(0);
  for (let i = 0; i < model.weights.length; i++) {
    const c = i % k;
    scales[c] = Math.max(scales[c]!, Math.abs(model.weights[i]!));
  }
  for (let c = 0; c < k; c++) scales[c] = scales[c]! / 127 || 1;
  const bytes = new Int8Array(model.weights.length);
  for (let i = 0; i < model.weights.length; i++) bytes[i] = Math.round(model.weights[i]! / scales[i % k]!);
  return { scales, bytes };
}

export function encodeBundle(bundle: ModelBundle): Buffer {
  const parts: Int8Array[] = [];
  const models = {} as Record<Head, HeaderModel>;
  for (const head of HEADS) {
    const m = bundle.models[head];
    const q = quantise(m);
    parts.push(q.bytes);
    models[head] = { labels: [...m.labels], buckets: m.buckets, bias: [...m.bias].map((b) => +b.toFixed(6)), temperature: m.temperature, scales: q.scales };
  }
  const header: Header = { ...bundle, models };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(12);
  fixed.writeUInt32LE(MAGIC, 0);
  fixed.writeUInt32LE(VERSION, 4);
  fixed.writeUInt32LE(json.length, 8);
  return Buffer.concat([fixed, json, ...parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))]);
}

export function decodeBundle(buffer: Uint8Array): ModelBundle {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('not a Tyndau model file');
  if (view.getUint32(4, true) !== VERSION) throw new Error(`model file version ${view.getUint32(4, true)} is not supported`);
  const length = view.getUint32(8, true);
  const header = JSON.parse(Buffer.from(buffer.buffer, buffer.byteOffset + 12, length).toString('utf8')) as Header;
  let offset = 12 + length;
  const models = {} as Record<Head, SoftmaxModel>;
  for (const head of HEADS) {
    const h = header.models[head];
    const k = h.labels.length;
    const size = h.buckets * k;
    if (offset + size > buffer.byteLength) throw new Error('model file is truncated');
    const bytes = new Int8Array(buffer.buffer, buffer.byteOffset + offset, size);
    const weights = new Float32Array(size);
    for (let i = 0; i < size; i++) weights[i] = bytes[i]! * h.scales[i % k]!;
    offset += size;
    models[head] = { labels: h.labels, buckets: h.buckets, weights, bias: Float32Array.from(h.bias), temperature: h.temperature };
  }
  return { ...header, models };
}
