/**
 * Words found and looked up without building a string per word: a scanner that finds the same words as the
 * regular expressions of fold.ts (TOKEN) and language.ts (WORD), and a cache keyed by a span of the text, so a
 * word seen before costs a hash over its letters and one comparison. Only for text in the Basic Multilingual
 * Plane; a text with a surrogate pair goes the regular-expression way (the callers check hasSurrogates()).
 */

const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
/** Per BMP code unit: 1 when \p{L} or \p{M}, 2 when not, 0 until first met (one regular-expression test each). */
const letterTable = new Uint8Array(0x10000);
function isLetter(c: number): boolean {
  let known = letterTable[c]!;
  if (known === 0) letterTable[c] = known = LETTER_OR_MARK.test(String.fromCharCode(c)) ? 1 : 2;
  return known === 1;
}

const isApostrophe = (c: number): boolean => c === 0x27 || c === 0x2019 || c === 0x60 || c === 0x2bc;

export const hasSurrogates = (text: string): boolean => /[\uD800-\uDFFF]/.test(text);

/**
 * The spans of fold.ts's TOKEN (`<[a-z]+>|[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]*)*(?:-[\p{L}\p{M}]+)*`, global) in a
 * BMP text, as [start, end) pairs pushed onto `out`.
 */
export function tokenSpans(text: string, out: number[]): number[] {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x3c) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) >= 0x61 && text.charCodeAt(j) <= 0x7a) j++;
      if (j > i + 1 && j < n && text.charCodeAt(j) === 0x3e) {
        out.push(i, j + 1);
        i = j + 1;
        continue;
      }
      i++;
      continue;
    }
    if (!isLetter(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isLetter(text.charCodeAt(j))) j++;
    while (j < n && isApostrophe(text.charCodeAt(j))) {
      j++;
      while (j < n && isLetter(text.charCodeAt(j))) j++;
    }
    while (j + 1 < n && text.charCodeAt(j) === 0x2d && isLetter(text.charCodeAt(j + 1))) {
      j += 2;
      while (j < n && isLetter(text.charCodeAt(j))) j++;
    }
    out.push(i, j);
    i = j;
  }
  return out;
}

/** The spans of language.ts's WORD (`[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]+)*`, global) in a BMP text. */
export function wordSpans(text: string, out: number[]): number[] {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isLetter(text.charCodeAt(j))) j++;
    while (j + 1 < n && isApostrophe(text.charCodeAt(j)) && isLetter(text.charCodeAt(j + 1))) {
      j += 2;
      while (j < n && isLetter(text.charCodeAt(j))) j++;
    }
    out.push(i, j);
    i = j;
  }
  return out;
}

/** FNV-1a over a span's code units. */
export function spanHash(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A bounded cache from a word to a value, looked up by a span of a text (open addressing; emptied when full). */
export class SpanCache<V> {
  private keys: (string | undefined)[];
  private values: (V | undefined)[];
  private hashes: Uint32Array;
  private size = 0;
  private readonly mask: number;

  constructor(bits = 15) {
    this.mask = (1 << bits) - 1;
    this.keys = new Array<string | undefined>(this.mask + 1);
    this.values = new Array<V | undefined>(this.mask + 1);
    this.hashes = new Uint32Array(this.mask + 1);
  }

  get(text: string, from: number, to: number, hash: number): V | undefined {
    const length = to - from;
    for (let h = hash & this.mask; ; h = (h + 1) & this.mask) {
      const key = this.keys[h];
      if (key === undefined) return undefined;
      if (this.hashes[h] !== hash || key.length !== length) continue;
      let same = true;
      for (let k = 0; k < length && same; k++) same = key.charCodeAt(k) === text.charCodeAt(from + k);
      if (same) return this.values[h];
    }
  }

  set(key: string, hash: number, value: V): void {
    // At most half full: lookups stay short.
    if (this.size * 2 >= this.mask) {
      this.keys.fill(undefined);
      this.values.fill(undefined);
      this.size = 0;
    }
    let h = hash & this.mask;
    while (this.keys[h] !== undefined) {
      if (this.keys[h] === key) {
        this.values[h] = value;
        return;
      }
      h = (h + 1) & this.mask;
    }
    this.keys[h] = key;
    this.hashes[h] = hash;
    this.values[h] = value;
    this.size++;
  }
}
