/**
 * featurise() and the heads' sums for prediction, without a Map or a closure per message and with few reads of
 * the weight table. Each distinct token's buckets (its word, its character n-grams, the hash state its word pairs
 * start from) are computed once and kept, with the sum of the int8 weight rows of those buckets: most buckets
 * occur once in a message, so a message's sums are mostly the sums of its tokens' kept rows, and only the pairs
 * and the buckets met more than once are read from the table. The counts go into a small open-addressing table
 * stamped per message. The buckets come out in the order featurise() meets them, with the same counts, so the
 * vector is the same (features.ts stays the reference, and training uses it).
 */
import * as features from './features.ts';
import type { FeatureOptions } from './features.ts';
import type { ConceptMatcher, Entry } from './lexicon.ts';
import { tokenRulesOf, type TokenRules } from './urgency-rules.ts';

// Module-local copies: an imported binding may be read through a getter on every use in the hot loops.
const FNV_OFFSET: number = features.FNV_OFFSET;
const FNV_PRIME: number = features.FNV_PRIME;
const TAG_CHAR: number = features.TAG_CHAR;
const TAG_PAIR: number = features.TAG_PAIR;
const TAG_WORD: number = features.TAG_WORD;

/** The combined int8 table (combined-heads.ts) and which of its rows are not all zero, one bit per bucket. */
export interface WeightRows {
  width: number;
  table: Int8Array;
  nonZero: Uint32Array;
}

// A token's record in the arena: its word bucket, its word's weight, the FNV state its pairs start from, the
// number of its n-grams, the n-gram buckets, then the sum of the rows of its word (weight 1) and n-grams.
const WORD = 0;
const WEIGHT = 1;
const PAIR_STATE = 2;
const GRAMS = 3;
const HEADER = 4;

const TOKEN_CACHE_LIMIT = 100_000;

export interface TokenRecord {
  /** Offset of the token's features in the arena. */
  at: number;
  /** ConceptMatcher.startingEntries() of the token. */
  concepts: readonly Entry[];
  /** tokenRulesOf() of the token. */
  rules: TokenRules;
}
const ARENA_LIMIT = 1 << 23;

function hashFrom(state: number, s: string, from: number, to: number): number {
  let h = state;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const start = (tag: number): number => Math.imul(FNV_OFFSET ^ tag, FNV_PRIME);

export class FeatureAccumulator {
  readonly mask: number;
  private readonly conceptWeight: number;
  private readonly pairs: boolean;
  private readonly width: number;
  /** Token → what prediction needs of it: one lookup per token for the features, the concepts and the rules. */
  private readonly tokens = new Map<string, TokenRecord>();
  /** The records of the current message's tokens (filled by records()). */
  current: TokenRecord[] = [];
  private arena = new Int32Array(1 << 16);
  private arenaUsed = 0;
  // Open addressing, [stamp, bucket, index] per slot: valid when stamped with this message's generation.
  private table = new Int32Array(3 * 1024);
  private capacity = 1024;
  private generation = 0;
  /** The distinct buckets of the current message, in the order met, their counts, and how many of each count were weight-1 occurrences. */
  buckets = new Int32Array(512);
  counts = new Int32Array(512);
  ones = new Int32Array(512);
  size = 0;
  /** The sum of the rows of every weight-1 occurrence of the message (as if each bucket occurred once). */
  readonly onceSum: Int32Array;

  constructor(
    private readonly options: FeatureOptions,
    readonly weights: WeightRows,
    private readonly matcher: ConceptMatcher,
  ) {
    this.mask = (1 << options.bits) - 1;
    this.conceptWeight = options.conceptWeight ?? 1;
    this.pairs = options.pairs !== false;
    this.width = weights.width;
    this.onceSum = new Int32Array(weights.width);
  }

  /** Looks up (or builds) the record of every token into `current`, from index `from` on. */
  records(tokens: readonly string[], from = 0): TokenRecord[] {
    // Bounded memory, emptied only between messages: a message's records stay valid while it is scored.
    if (from === 0 && (this.tokens.size >= TOKEN_CACHE_LIMIT || this.arenaUsed >= ARENA_LIMIT)) {
      this.tokens.clear();
      this.arenaUsed = 0;
    }
    const current = this.current;
    current.length = tokens.length;
    for (let t = from; t < tokens.length; t++) current[t] = this.recordOf(tokens[t]!);
    return current;
  }

  /** Counts the features of the tokens (the current message replaces the previous one). */
  accumulate(tokens: readonly string[]): void {
    this.accumulateRecords(tokens, this.records(tokens));
  }

  /** accumulate() with the tokens' records looked up already. */
  accumulateRecords(tokens: readonly string[], records: readonly TokenRecord[]): void {
    this.begin();
    const mask = this.mask;
    const { width, table, nonZero } = this.weights;
    const once = this.onceSum;
    once.fill(0);
    const arena = this.arena;
    for (let t = 0; t < tokens.length; t++) {
      const at = records[t]!.at;
      this.add(arena[at + WORD]!, arena[at + WEIGHT]!);
      if (this.pairs && t + 1 < tokens.length) {
        const word = tokens[t + 1]!;
        const pair = (hashFrom(arena[at + PAIR_STATE]!, word, 0, word.length) >>> 0) & mask;
        this.add(pair, 1);
        if ((nonZero[pair >>> 5]! & (1 << (pair & 31))) !== 0) for (let j = 0, row = pair * width; j < width; j++) once[j]! += table[row + j]!;
      }
      const a = arena;
      const grams = a[at + GRAMS]!;
      const first = at + HEADER;
      for (let i = first; i < first + grams; i++) this.add(a[i]!, 1);
      for (let j = 0, sum = first + grams; j < width; j++) once[j]! += a[sum + j]!;
    }
  }

  private begin(): void {
    this.size = 0;
    if (++this.generation === 0x7fffffff) {
      this.table.fill(0);
      this.generation = 1;
    }
  }

  private add(bucket: number, weight: number): void {
    const table = this.table;
    const cap = this.capacity;
    const generation = this.generation;
    // Buckets are hash values already: their low bits spread well.
    let h = bucket & (cap - 1);
    while (table[3 * h] === generation) {
      if (table[3 * h + 1] === bucket) {
        const s = table[3 * h + 2]!;
        this.counts[s]! += weight;
        if (weight === 1) this.ones[s]!++;
        return;
      }
      h = (h + 1) & (cap - 1);
    }
    if (this.size === this.buckets.length) this.growLists();
    table[3 * h] = generation;
    table[3 * h + 1] = bucket;
    table[3 * h + 2] = this.size;
    this.buckets[this.size] = bucket;
    this.counts[this.size] = weight;
    this.ones[this.size] = weight === 1 ? 1 : 0;
    this.size++;
    if (this.size * 2 > cap) this.rehash(cap * 2);
  }

  private growLists(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.buckets = grow(this.buckets);
    this.counts = grow(this.counts);
    this.ones = grow(this.ones);
  }

  private rehash(cap: number): void {
    const table = new Int32Array(3 * cap);
    for (let s = 0; s < this.size; s++) {
      const bucket = this.buckets[s]!;
      let h = bucket & (cap - 1);
      while (table[3 * h] === this.generation) h = (h + 1) & (cap - 1);
      table[3 * h] = this.generation;
      table[3 * h + 1] = bucket;
      table[3 * h + 2] = s;
    }
    this.table = table;
    this.capacity = cap;
  }

  /** A token's record, as forEachFeature visits its features: word, (pair), then n-grams of <word> by length. */
  private recordOf(token: string): TokenRecord {
    const known = this.tokens.get(token);
    if (known !== undefined) return known;
    const mask = this.mask;
    const { minN, maxN } = this.options;
    const grams: number[] = [];
    if (!token.startsWith('<')) {
      const padded = `<${token}>`;
      for (let n = minN; n <= maxN; n++) {
        for (let i = 0; i + n <= padded.length; i++) {
          if (n === 2 && (i === 0 || i + n === padded.length) && padded.length > 3) continue;
          grams.push((hashFrom(start(TAG_CHAR + n), padded, i, i + n) >>> 0) & mask);
        }
      }
    }
    const width = this.width;
    const length = HEADER + grams.length + width;
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Int32Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    const at = this.arenaUsed;
    const a = this.arena;
    const word = (hashFrom(start(TAG_WORD), token, 0, token.length) >>> 0) & mask;
    const weight = token.startsWith('<c:') ? this.conceptWeight : 1;
    a[at + WORD] = word;
    a[at + WEIGHT] = weight;
    a[at + PAIR_STATE] = Math.imul(hashFrom(start(TAG_PAIR), token, 0, token.length) ^ 0x20, FNV_PRIME);
    a[at + GRAMS] = grams.length;
    a.set(grams, at + HEADER);
    const sum = at + HEADER + grams.length;
    a.fill(0, sum, sum + width);
    const { table, nonZero } = this.weights;
    const addRow = (bucket: number) => {
      if ((nonZero[bucket >>> 5]! & (1 << (bucket & 31))) === 0) return;
      for (let j = 0; j < width; j++) a[sum + j]! += table[bucket * width + j]!;
    };
    if (weight === 1) addRow(word);
    for (const g of grams) addRow(g);
    this.arenaUsed += length;
    const record: TokenRecord = { at, concepts: this.matcher.startingEntries(token), rules: tokenRulesOf(token) };
    this.tokens.set(token, record);
    return record;
  }
}
