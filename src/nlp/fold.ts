/**
 * The classifier's view of a text: one canonical "skeleton" for Kazakh and Russian whatever the script
 * or keyboard it was typed with, so that "Бізде су жоқ", "Bizde su joq", "Bızde su joq" and "Бизде су
 * жок" look the same to the model. Never stored: the case keeps what the person wrote.
 *
 * Steps: NFC; locale-independent lower case (İ → i, I → i, dotless ı kept); URLs, e-mails and numbers to
 * placeholder tokens; emoji to a few meaningful tokens or dropped; Kazakh Latin (2021 alphabet, 2017
 * apostrophe and 2018 acute drafts, casual digraphs) to Cyrillic; Kazakh letters to the Russian-keyboard
 * letters people type instead (қ→к, ң→н, ұ/ү→у, ө→о, і→и, ғ→г, ә→а, һ→х); runs of a repeated letter to one.
 */

import { EMAIL } from './pii.ts';
import { hasSurrogates, SpanCache, spanHash, tokenSpans } from './word-scan.ts';

/** Letters only Kazakh Latin uses (2021 alphabet and the 2018 acute draft), never English. */
export const KAZAKH_LATIN_LETTERS = /[äğıñöşūüáǵńóúý]/;
/** 2017 apostrophe draft: a', g', n', o', u', y', s', c', i' (the apostrophe may be ’ or `). */
const APOSTROPHE_DIGRAPH = /([agnousyci])['’`ʼ]/g;

const APOSTROPHE_MAP: Readonly<Record<string, string>> = { a: 'ä', g: 'ğ', n: 'ñ', o: 'ö', u: 'ü', y: 'ū', s: 'ş', c: 'ч', i: 'i' };

/** Kazakh Latin (all drafts, after the apostrophe step) → Cyrillic skeleton letters. */
const LATIN_TO_SKELETON: Readonly<Record<string, string>> = {
  a: 'а', ä: 'а', á: 'а', b: 'б', c: 'с', d: 'д', e: 'е', é: 'е', f: 'ф', g: 'г', ğ: 'г', ǵ: 'г', h: 'х',
  i: 'и', ı: 'и', í: 'и', ì: 'и', j: 'ж', k: 'к', l: 'л', m: 'м', n: 'н', ñ: 'н', ń: 'н', o: 'о', ö: 'о',
  ó: 'о', p: 'п', q: 'к', r: 'р', s: 'с', ş: 'ш', t: 'т', u: 'у', ū: 'у', ü: 'у', ú: 'у', ý: 'у', v: 'в',
  w: 'у', x: 'х', y: 'ы', z: 'з', ч: 'ч',
};
/** Casual digraphs (no diacritics at hand): checked before single letters. */
const LATIN_DIGRAPHS: readonly [string, string][] = [
  ['sh', 'ш'], ['ch', 'ч'], ['zh', 'ж'], ['kh', 'х'], ['gh', 'г'], ['ts', 'ц'], ['ng', 'н'],
];

/** Cyrillic → skeleton: Kazakh letters to what a Russian keyboard gives, and letters Latin cannot tell apart. */
const CYRILLIC_TO_SKELETON: Readonly<Record<string, string>> = {
  ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и', ё: 'е', й: 'и', э: 'е', щ: 'ш',
  ю: 'иу', я: 'иа', ъ: '', ь: '',
};

/** Emoji that carry meaning for routing or urgency; every other pictograph is dropped. */
const EMOJI_TOKENS: readonly [RegExp, string][] = [
  [/🔥/gu, ' огонь '],
  [/🚨|🆘|‼️|❗/gu, ' срочно '],
  [/😭|😢|💔|😞/gu, ' плач '],
  [/🙏|👍|❤️|♥️|💐/gu, ' спасибо '],
];

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const NUMBER = /\p{N}+(?:[.,:]\p{N}+)*/gu;
// Alternatives, not one class: a class with joiners and variation selectors would mislead the reader.
const PICTOGRAPH = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|\u{FE0F}|\u{200D}|\u{20E3}/gu;
const REPEATS = /(\p{L})\1{2,}/gu;

/** Lower case without the locale: "İ" is one "i", not "i̇" (two code points) as toLowerCase gives. */
export function foldCase(text: string): string {
  return text.replace(/İ/g, 'i').toLowerCase().replace(/i\u0307/g, 'i');
}

export type Script = 'cyrl' | 'latn' | 'mixed' | 'none';

/** The script of a text by its letters (mixed when neither has 80%). */
export function scriptOf(text: string): Script {
  let cyr = 0;
  let lat = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Cyrillic and its supplement; Basic Latin letters, Latin-1 and Extended-A/B letters.
    if (c >= 0x0400 && c <= 0x052f) cyr++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) lat++;
  }
  const total = cyr + lat;
  if (total === 0) return 'none';
  if (cyr / total >= 0.8) return 'cyrl';
  if (lat / total >= 0.8) return 'latn';
  return 'mixed';
}

/** One Latin word (lower case) in Kazakh → its Cyrillic skeleton. */
export function kazakhLatinToSkeleton(word: string): string {
  const w = word.replace(APOSTROPHE_DIGRAPH, (_, letter: string) => APOSTROPHE_MAP[letter] ?? letter);
  let out = '';
  for (let i = 0; i < w.length; ) {
    const pair = w.slice(i, i + 2);
    const digraph = LATIN_DIGRAPHS.find(([latin]) => latin === pair);
    if (digraph) {
      out += digraph[1];
      i += 2;
      continue;
    }
    const ch = w[i]!;
    out += LATIN_TO_SKELETON[ch] ?? ch;
    i++;
  }
  return out;
}

/** Whether a Latin word is unmistakably Kazakh (letters or apostrophe digraphs English never uses). */
export const looksKazakhLatin = (word: string): boolean =>
  KAZAKH_LATIN_LETTERS.test(word) || (/[agnousyc]['’`ʼ]/.test(word) && !ENGLISH_CONTRACTION.test(word));
/** don't, it's, son's, we're, I'll, they've, I'd, I'm: an apostrophe English uses, not the 2017 draft's. */
const ENGLISH_CONTRACTION = /['’`ʼ](?:t|s|re|ll|ve|d|m)$/;

/** Latin letters that look like Cyrillic ones, typed by mistake inside a Cyrillic word ("Cвет"). */
const HOMOGLYPHS: Readonly<Record<string, string>> = { a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в' };
const fixHomoglyphs = (word: string): string =>
  /\p{Script=Cyrillic}/u.test(word) && /[a-z]/.test(word) ? word.replace(/[a-z]/g, (ch) => HOMOGLYPHS[ch] ?? ch) : word;

/** Cyrillic letters of any string (a pattern, a lexicon entry) as the skeleton writes them; the rest untouched. */
export function foldLetters(text: string): string {
  let out = '';
  for (const ch of text) out += CYRILLIC_TO_SKELETON[ch] ?? ch;
  return out;
}

function cyrillicToSkeleton(word: string): string {
  let out = '';
  for (const ch of word) out += CYRILLIC_TO_SKELETON[ch] ?? ch;
  return out;
}

export interface FoldOptions {
  /** Treat every Latin word as Kazakh (the language identifier found Latin-script Kazakh). */
  latinIsKazakh?: boolean;
}

/** Word-ish tokens: letters with inner apostrophes or hyphens, or a placeholder. */
const TOKEN = /<[a-z]+>|[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]*)*(?:-[\p{L}\p{M}]+)*/gu;

/** The folded tokens of a text, in order. */
// A word folds the same way every time: each is folded once (per Latin reading), the cache bounded.
// One cache per Latin reading, keyed by the word as written (no key to build per word).
const tokenCaches = [new Map<string, string>(), new Map<string, string>()] as const;
const TOKEN_CACHE_LIMIT = 150_000;

function foldWord(raw: string, latinIsKazakh: boolean): string {
  const tokenCache = tokenCaches[latinIsKazakh ? 1 : 0];
  let folded = tokenCache.get(raw);
  if (folded === undefined) {
    // In Latin Kazakh a stray Latin letter is Kazakh (p is п); in Cyrillic text it is a look-alike (p is р).
    const fixed = latinIsKazakh ? raw : fixHomoglyphs(raw);
    const latin = /\p{Script=Latin}/u.test(fixed);
    const word = latin && (latinIsKazakh || looksKazakhLatin(raw)) ? kazakhLatinToSkeleton(fixed) : fixed.replace(/['’`ʼ]/g, '');
    folded = cyrillicToSkeleton(word);
    if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
    tokenCache.set(raw, folded);
  }
  return folded;
}

/** Non-letters that may start an emoji or a symbol worth a look; plain text skips those passes. */
const MAYBE_PICTOGRAPH = /[\u2190-\u2BFF\u3030\u303D\u3297\u3299\uD83C-\uDBFF\u203C\u2049]|\uFE0F|\u200D|\u20E3/;

export function foldTokens(text: string, options: FoldOptions = {}): string[] {
  let t = foldCase(text.normalize('NFC'));
  if (t.includes('http') || t.includes('www.')) t = t.replace(URL, ' <url> ');
  if (t.includes('@')) t = t.replace(EMAIL, ' <email> ');
  t = t.replace(NUMBER, ' <num> ');
  if (MAYBE_PICTOGRAPH.test(t)) {
    for (const [re, token] of EMOJI_TOKENS) t = t.replace(re, token);
    t = t.replace(PICTOGRAPH, ' ');
  }
  t = t.replace(REPEATS, '$1');
  const tokens: string[] = [];
  const latinIsKazakh = options.latinIsKazakh === true;
  if (hasSurrogates(t)) {
    for (const raw of t.match(TOKEN) ?? []) tokens.push(raw.startsWith('<') ? raw : foldWord(raw, latinIsKazakh));
    return tokens;
  }
  // The same tokens, found by a scanner and looked up by their span: no string per word seen before.
  const cache = spanCaches[latinIsKazakh ? 1 : 0];
  spans.length = 0;
  tokenSpans(t, spans);
  for (let k = 0; k < spans.length; k += 2) {
    const from = spans[k]!;
    const to = spans[k + 1]!;
    if (t.charCodeAt(from) === 0x3c) {
      tokens.push(t.slice(from, to));
      continue;
    }
    const h = spanHash(t, from, to);
    let folded = cache.get(t, from, to, h);
    if (folded === undefined) {
      const raw = t.slice(from, to);
      cache.set(raw, h, (folded = foldWord(raw, latinIsKazakh)));
    }
    tokens.push(folded);
  }
  return tokens;
}

const spanCaches = [new SpanCache<string>(), new SpanCache<string>()] as const;
const spans: number[] = [];

/** The folded text: tokens joined by single spaces. */
export const foldText = (text: string, options: FoldOptions = {}): string => foldTokens(text, options).join(' ');
