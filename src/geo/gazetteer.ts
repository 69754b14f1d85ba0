import { foldCase, foldLetters, kazakhLatinToSkeleton } from '../nlp/fold.ts';
import type { GazetteerEntry, GazetteerFile, PlaceKind } from './gazetteer-data.ts';

/**
 * The gazetteer: named places of the three cities (data/gazetteer/*.json) found in free text, whatever
 * the script or keyboard ("Самал-2", "Samal 2", "самале-2", "Жетісу-3 шағын ауданы", "мкр Жетысу 3"),
 * and the district they point to. Matching works on a skeleton of each word (src/nlp/fold.ts, plus ы = и
 * so that Latin "y" meets Cyrillic "і"); a word may carry an ending ("Абая", "Самалда"), and a long word
 * one typo. Names that are also everyday words need their kind's word beside them ("мкр Мамыр").
 */

export interface PlaceMention {
  entryId: string;
  city: string;
  kind: PlaceKind | 'city';
  /** As written in the text. */
  text: string;
  start: number;
  end: number;
  /** The districts the place lies in (one when it lies in one). */
  districtIds: readonly string[];
}

export interface ResolvedPlace {
  city: string | null;
  districtId: string | null;
  /** Every place found, in text order: those of the chosen city first decide; all are kept for social listening. */
  mentions: readonly PlaceMention[];
}

export interface Gazetteer {
  resolve(text: string, options?: { city?: string | null }): ResolvedPlace;
  readonly entryCount: number;
}

interface Token {
  folded: string;
  start: number;
  end: number;
}

interface CompiledName {
  tokens: readonly string[];
  entry: CompiledEntry;
  hasNumber: boolean;
}

interface CompiledEntry {
  id: string;
  city: string;
  kind: PlaceKind | 'city';
  districtIds: readonly string[];
  /** Found only beside its kind's word (or with its number). */
  qualified: boolean;
}

const TOKEN = /[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]+)*|\p{N}+/gu;
const DIGITS = /^\p{N}+$/u;
const VOWELS = new Set(['а', 'е', 'и', 'о', 'у']);
const MAX_TEXT_CHARS = 20_000;

// Words repeat across messages: each is folded once (the caches are bounded, then start again).
const CACHE_LIMIT = 100_000;
const foldCache = new Map<string, string>();

/** One word's skeleton for matching places. */
export function foldPlaceWord(raw: string): string {
  let folded = foldCache.get(raw);
  if (folded !== undefined) return folded;
  const lower = foldCase(raw.normalize('NFC'));
  if (DIGITS.test(lower)) folded = lower;
  else {
    const word = /\p{Script=Latin}/u.test(lower) ? kazakhLatinToSkeleton(lower) : lower.replace(/['’`ʼ]/g, '');
    folded = foldLetters(word).replace(/ы/g, 'и').replace(/(\p{L})\1+/gu, '$1');
  }
  if (foldCache.size >= CACHE_LIMIT) foldCache.clear();
  foldCache.set(raw, folded);
  return folded;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const folded = foldPlaceWord(m[0]);
    if (folded) out.push({ folded, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// The words that say what kind of place a name is, as skeletons. A short one must match whole; a longer one
// may have an ending ("улице", "көшесінде", "даңғылының").
type QualifierClass = 'street' | 'micro' | 'district' | 'place';
const QUALIFIER_WORDS: Readonly<Record<QualifierClass, readonly string[]>> = {
  street: ['ул', 'улиц', 'коше', 'кошес', 'пер', 'переул', 'стреет', 'ст', 'стр', 'пр', 'прт', 'пркт', 'просп', 'проспект', 'дангил', 'аве', 'авенуе', 'бульвар', 'бул', 'шоссе', 'трасса', 'тракт'],
  micro: ['мкр', 'мкрн', 'микрораион', 'мкраион', 'шагинаудан', 'икшамаудан', 'массив', 'жилмассив', 'жм', 'ша', 'мн'],
  district: ['раион', 'аудан', 'дистрикт'],
  place: ['трц', 'тц', 'трк', 'вокзал', 'станц', 'бекет', 'базар', 'базари', 'рынок', 'рынк', 'парк', 'саиабак', 'алан', 'площад', 'пл', 'мечет', 'театр', 'стадион', 'аеропорт', 'аеровокзал', 'монумент', 'орталик', 'центр'],
};
/** Two-word qualifiers: "шағын ауданы", "ықшам ауданы", "ш/а", "м-н", "ж/м", "р-н", "пр-т". */
const QUALIFIER_PAIRS: readonly [string, string, QualifierClass][] = [
  ['шагин', 'аудан', 'micro'],
  ['икшам', 'аудан', 'micro'],
  ['ш', 'а', 'micro'],
  ['м', 'н', 'micro'],
  ['ж', 'м', 'micro'],
  ['р', 'н', 'district'],
  ['пр', 'т', 'street'],
];
const CLASS_OF_KIND: Readonly<Record<PlaceKind | 'city', QualifierClass | null>> = {
  avenue: 'street',
  street: 'street',
  microdistrict: 'micro',
  district: 'district',
  landmark: 'place',
  station: 'place',
  market: 'place',
  mall: 'place',
  park: 'place',
  square: 'place',
  city: null,
};

const wordIs = (token: string, word: string): boolean =>
  word.length <= 3 ? token === word : token.startsWith(word) && token.length - word.length <= 5;

const classCache = new Map<string, QualifierClass | null>();
function qualifierClassOf(token: string): QualifierClass | null {
  let cls = classCache.get(token);
  if (cls !== undefined) return cls;
  cls = (Object.keys(QUALIFIER_WORDS) as QualifierClass[]).find((c) => QUALIFIER_WORDS[c].some((w) => wordIs(token, w))) ?? null;
  if (classCache.size >= CACHE_LIMIT) classCache.clear();
  classCache.set(token, cls);
  return cls;
}

/** The qualifier class of each token (null when it is none); a pair marks both of its tokens. */
function qualifiers(tokens: readonly Token[]): (QualifierClass | null)[] {
  const out: (QualifierClass | null)[] = tokens.map(() => null);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.folded;
    const next = tokens[i + 1]?.folded;
    const pair = next === undefined ? undefined : QUALIFIER_PAIRS.find(([a, b]) => wordIs(t, a) && wordIs(next, b));
    if (pair) {
      out[i] = out[i + 1] = pair[2];
      i++;
      continue;
    }
    out[i] = qualifierClassOf(t);
  }
  return out;
}

/** Whether a and b differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * How well a text word matches a name's word: 1 the same, 0.9 with an ending, 0.85 with the name's last
 * vowel changed ("Сарыарке"), 0.75 one typo away (long words only), 0 not at all. Numbers match whole.
 */
export function wordMatch(name: string, word: string): number {
  if (name === word) return 1;
  if (DIGITS.test(name)) return 0;
  if (name.length < 3) return 0;
  const maxEnding = name.length <= 4 ? 3 : 5;
  if (word.startsWith(name) && word.length - name.length <= maxEnding) return 0.9;
  if (name.length >= 5 && VOWELS.has(name[name.length - 1]!)) {
    const stem = name.slice(0, -1);
    if (word.startsWith(stem) && word.length - stem.length <= maxEnding) return 0.85;
  }
  if (name.length >= 5 && name[0] === word[0]) {
    if (withinOneEdit(name, word)) return 0.75;
    // A typo in the stem, then an ending.
    if (word.length >= name.length && [-1, 0, 1].some((d) => withinOneEdit(name, word.slice(0, name.length + d)))) return 0.7;
  }
  return 0;
}

interface Candidate {
  name: CompiledName;
  start: number;
  /** Index after the last token. */
  end: number;
  quality: number;
  qualifiedByWord: boolean;
}

export function createGazetteer(files: readonly GazetteerFile[]): Gazetteer {
  const byFirstChar = new Map<string, CompiledName[]>();
  let entryCount = 0;
  const add = (entry: CompiledEntry, raw: string) => {
    const tokens = tokenize(raw).map((t) => t.folded);
    if (tokens.length === 0) return;
    const name: CompiledName = { tokens, entry, hasNumber: tokens.some((t) => DIGITS.test(t)) };
    const key = tokens[0]![0]!;
    const list = byFirstChar.get(key);
    if (list) list.push(name);
    else byFirstChar.set(key, [name]);
  };
  for (const file of files) {
    const cityEntry: CompiledEntry = { id: file.city, city: file.city, kind: 'city', districtIds: [], qualified: false };
    for (const n of file.cityNames) add(cityEntry, n);
    for (const e of file.entries) {
      entryCount++;
      const entry = compileEntry(file.city, e);
      for (const n of [...e.names.kk, ...e.names.ru, ...(e.names.latn ?? [])]) add(entry, n);
    }
  }
  // Longer names first, so that "Самал-2" is tried before "Самал".
  for (const list of byFirstChar.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  // The names whose first word a text word matches, and how well: the same for every occurrence of the word.
  const startCache = new Map<string, readonly { name: CompiledName; quality: number }[]>();
  function namesStartingWith(word: string): readonly { name: CompiledName; quality: number }[] {
    const cached = startCache.get(word);
    if (cached) return cached;
    const found: { name: CompiledName; quality: number }[] = [];
    for (const name of byFirstChar.get(word[0]!) ?? []) {
      const quality = wordMatch(name.tokens[0]!, word);
      if (quality > 0) found.push({ name, quality });
    }
    if (startCache.size >= CACHE_LIMIT) startCache.clear();
    startCache.set(word, found);
    return found;
  }

  function candidatesAt(tokens: readonly Token[], quals: readonly (QualifierClass | null)[], i: number): Candidate[] {
    const out: Candidate[] = [];
    for (const start of namesStartingWith(tokens[i]!.folded)) {
      const name = start.name;
      if (i + name.tokens.length > tokens.length) continue;
      let quality = start.quality;
      for (let k = 1; k < name.tokens.length && quality > 0; k++) quality = Math.min(quality, wordMatch(name.tokens[k]!, tokens[i + k]!.folded));
      if (quality === 0) continue;
      const end = i + name.tokens.length;
      const cls = CLASS_OF_KIND[name.entry.kind];
      const qualifiedByWord = cls !== null && [i - 2, i - 1, end, end + 1].some((j) => quals[j] === cls || (cls === 'street' && quals[j] === 'street'));
      // A qualifier word is not itself a name ("ул" is no street); an everyday-word name needs its word or number.
      if (quals[i] !== null && name.tokens.length === 1) continue;
      if (name.entry.qualified && !qualifiedByWord && !name.hasNumber) continue;
      out.push({ name, start: i, end, quality, qualifiedByWord });
    }
    return out;
  }

  return {
    entryCount,
    resolve(text, options = {}) {
      const tokens = tokenize(text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text);
      const quals = qualifiers(tokens);
      const chosen: Candidate[] = [];
      for (let i = 0; i < tokens.length; ) {
        const found = candidatesAt(tokens, quals, i);
        if (found.length === 0) {
          i++;
          continue;
        }
        // The longest span wins; on the same span, a name its kind's word confirms ("район Алматы" is a district).
        const longest = Math.max(...found.map((c) => c.end));
        let best = found.filter((c) => c.end === longest);
        if (best.some((c) => c.qualifiedByWord)) best = best.filter((c) => c.qualifiedByWord);
        const top = Math.max(...best.map((c) => c.quality));
        const kept = new Set<string>();
        for (const c of best) {
          if (c.quality < top || kept.has(c.name.entry.id)) continue;
          kept.add(c.name.entry.id);
          chosen.push(c);
        }
        i = longest;
      }
      const mentions = chosen.map((c): PlaceMention => ({
        entryId: c.name.entry.id,
        city: c.name.entry.city,
        kind: c.name.entry.kind,
        text: text.slice(tokens[c.start]!.start, tokens[c.end - 1]!.end),
        start: tokens[c.start]!.start,
        end: tokens[c.end - 1]!.end,
        districtIds: c.name.entry.districtIds,
      }));
      const city = chooseCity(chosen, options.city ?? null);
      if (!city) return { city: null, districtId: null, mentions };
      return { city, districtId: chooseDistrict(chosen.filter((c) => c.name.entry.city === city)), mentions };
    },
  };
}

function compileEntry(city: string, e: GazetteerEntry): CompiledEntry {
  return {
    id: e.id,
    city,
    kind: e.kind,
    districtIds: e.district ? [e.district] : (e.districts ?? []),
    qualified: e.qualified === true || e.kind === 'district',
  };
}

const weight = (c: Candidate): number => c.quality + (c.qualifiedByWord ? 0.25 : 0) + (c.name.tokens.length > 1 ? 0.1 : 0);

/** The city the text is about: the one given, else the one with the most weight (a named city counts double); a tie is no city. */
function chooseCity(chosen: readonly Candidate[], given: string | null): string | null {
  if (given) return chosen.some((c) => c.name.entry.city === given) ? given : null;
  const score = new Map<string, number>();
  for (const c of chosen) score.set(c.name.entry.city, (score.get(c.name.entry.city) ?? 0) + weight(c) * (c.name.entry.kind === 'city' ? 2 : 1));
  const ranked = [...score].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return null;
  if (ranked.length > 1 && ranked[1]![1] >= ranked[0]![1] * 0.8) return null;
  return ranked[0]![0];
}

/**
 * The district the names agree on: a place in one district gives it its whole weight, a place across n
 * districts 1/n to each (two crossing streets meet in their common district). Only a clear winner counts.
 */
function chooseDistrict(chosen: readonly Candidate[]): string | null {
  const score = new Map<string, number>();
  let decisive = false;
  for (const c of chosen) {
    const ids = c.name.entry.districtIds;
    if (ids.length === 0) continue;
    if (ids.length === 1) decisive = true;
    for (const id of ids) score.set(id, (score.get(id) ?? 0) + weight(c) / ids.length);
  }
  const ranked = [...score].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return null;
  const [bestId, best] = ranked[0]!;
  const second = ranked[1]?.[1] ?? 0;
  // Streets alone decide only where they meet: the winner must stand clear of every other district.
  if (best < 0.5 || best < second * 1.5) return null;
  if (!decisive && ranked.filter(([, s]) => s === best).length > 1) return null;
  return bestId;
}
