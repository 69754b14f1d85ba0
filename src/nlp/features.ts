/**
 * Hashed features of a folded text: words, word pairs and character n-grams inside words (with word
 * boundaries), each hashed (FNV-1a) into a fixed number of buckets. Character n-grams carry Kazakh's
 * suffixes and survive typos; words and pairs carry phrases. Values are log(1 + count), L2-normalised.
 */

export interface FeatureVector {
  indices: Uint32Array;
  values: Float32Array;
}

export interface FeatureOptions {
  /** log2 of the number of buckets. */
  bits: number;
  /** Character n-gram lengths, inclusive. */
  minN: number;
  maxN: number;
  /** Word pairs as features (phrases such as "нет света"). */
  pairs?: boolean;
  /** How many times a concept token (<c:…>) counts: one cross-language concept outweighs a few n-grams. */
  conceptWeight?: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { bits: 18, minN: 3, maxN: 4, pairs: true, conceptWeight: 5 };

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over a prefix tag and a string's UTF-16 code units, without building substrings. */
function hashRange(tag: number, s: string, from: number, to: number): number {
  let h = Math.imul(FNV_OFFSET ^ tag, FNV_PRIME);
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

export const TAG_WORD = 0x57;
export const TAG_PAIR = 0x50;
export const TAG_CHAR = 0x43;

/** Calls `visit(bucketHash, name)` for every feature of the tokens; names are built only when asked. */
export function forEachFeature(
  tokens: readonly string[],
  options: FeatureOptions,
  visit: (hash: number, weight: number, name?: string) => void,
  withNames = false,
): void {
  const conceptWeight = options.conceptWeight ?? 1;
  for (let t = 0; t < tokens.length; t++) {
    const word = tokens[t]!;
    visit(hashRange(TAG_WORD, word, 0, word.length), word.startsWith('<c:') ? conceptWeight : 1, withNames ? word : undefined);
    if (options.pairs !== false && t + 1 < tokens.length) {
      const pair = `${word} ${tokens[t + 1]!}`;
      visit(hashRange(TAG_PAIR, pair, 0, pair.length), 1, withNames ? pair : undefined);
    }
    if (word.startsWith('<')) continue;
    const padded = `<${word}>`;
    for (let n = options.minN; n <= options.maxN; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        // A lone boundary with one letter says little; skip n-grams that are only "<x" or "x>" for n = 2.
        if (n === 2 && (i === 0 || i + n === padded.length) && padded.length > 3) continue;
        visit(hashRange(TAG_CHAR + n, padded, i, i + n), 1, withNames ? padded.slice(i, i + n) : undefined);
      }
    }
  }
}

/** The sparse, L2-normalised feature vector of the tokens. */
export function featurise(tokens: readonly string[], options: FeatureOptions = DEFAULT_FEATURES): FeatureVector {
  const mask = (1 << options.bits) - 1;
  const counts = new Map<number, number>();
  forEachFeature(tokens, options, (h, weight) => {
    const b = h & mask;
    counts.set(b, (counts.get(b) ?? 0) + weight);
  });
  const indices = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let i = 0;
  let norm = 0;
  for (const [b, c] of counts) {
    const v = Math.log1p(c);
    indices[i] = b;
    values[i] = v;
    norm += v * v;
    i++;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < values.length; k++) values[k]! *= scale;
  return { indices, values };
}

/** The names of the features that fall in each bucket, for explaining a decision. */
export function featureNames(tokens: readonly string[], options: FeatureOptions = DEFAULT_FEATURES): Map<number, string[]> {
  const mask = (1 << options.bits) - 1;
  const names = new Map<number, string[]>();
  forEachFeature(
    tokens,
    options,
    (h, _weight, name) => {
      const b = h & mask;
      const list = names.get(b) ?? [];
      if (name !== undefined && !list.includes(name)) list.push(name);
      names.set(b, list);
    },
    true,
  );
  return names;
}
