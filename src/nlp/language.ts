/**
 * Language identification for short messages: kk, ru, en or mixed (Kazakh and Russian in one message),
 * the script, and a confidence. Each word is scored by a small softmax model over its character
 * n-grams (trained on the corpus, so it knows Latin-script Kazakh and Kazakh typed without its letters),
 * with hard evidence first: Kazakh-only letters are Kazakh. The message's language is the sum of its words.
 */
import { featurise, type FeatureOptions } from './features.ts';
import { foldCase, looksKazakhLatin, scriptOf, type Script } from './fold.ts';
import { probabilities, type SoftmaxModel } from './softmax.ts';
import { hasSurrogates, SpanCache, spanHash, wordSpans } from './word-scan.ts';

export type DetectedLanguage = 'kk' | 'ru' | 'en';
export type LanguageLabel = DetectedLanguage | 'mixed';

export interface LanguageResult {
  language: LanguageLabel;
  /** The language with most of the words: the one to answer in. */
  dominant: DetectedLanguage;
  script: Script;
  confidence: number;
}

export const WORD_FEATURES: FeatureOptions = { bits: 16, minN: 1, maxN: 4 };
export const WORD_LANGUAGES: readonly DetectedLanguage[] = ['kk', 'ru', 'en'];

const KAZAKH_CYRILLIC = /[әғқңөұүһі]/;
const WORD = /[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]+)*/gu;
/** Share of the words the second language needs for a message to be mixed (and at least two words). */
const MIXED_SHARE = 0.2;

/** A word as the word model sees it: lower case, marks kept (they are the evidence), apostrophes dropped. */
export const wordKey = (word: string): string => foldCase(word.normalize('NFC')).replace(/['’`ʼ]/g, '');

/** A word's probabilities with what identifyLanguage() derives from them, computed once per word. */
interface WordVote {
  p: [number, number, number];
  /** The most probable language (the first on a tie), or −1 when it is below 0.6 and the word does not vote. */
  vote: number;
  /** log(max(p, 1e-4)) of each language. */
  logs: [number, number, number];
}

// Words repeat across messages: each word's probabilities are computed once per model (bounded).
const wordCache = new WeakMap<SoftmaxModel, Map<string, WordVote>>();
const noModelCache = new Map<string, WordVote>();
const WORD_CACHE_LIMIT = 200_000;

function voteOf(p: [number, number, number]): WordVote {
  const best = p.indexOf(Math.max(p[0], p[1], p[2]));
  return { p, vote: p[best]! >= 0.6 ? best : -1, logs: [Math.log(Math.max(p[0], 1e-4)), Math.log(Math.max(p[1], 1e-4)), Math.log(Math.max(p[2], 1e-4))] };
}

function wordVote(model: SoftmaxModel | null, word: string): WordVote {
  let cache = model ? wordCache.get(model) : noModelCache;
  if (!cache) wordCache.set(model!, (cache = new Map()));
  // Keyed by the word as written: the cache spares the folding of the key as well.
  let v = cache.get(word);
  if (!v) {
    if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
    cache.set(word, (v = voteOf(computeWordProbabilities(model, word))));
  }
  return v;
}

/** Per-word probabilities over kk, ru, en. */
function computeWordProbabilities(model: SoftmaxModel | null, word: string): [number, number, number] {
  const w = wordKey(word);
  const cyrillic = /\p{Script=Cyrillic}/u.test(w);
  if (cyrillic && KAZAKH_CYRILLIC.test(w)) return [0.98, 0.02, 0];
  if (!cyrillic && looksKazakhLatin(word)) return [0.97, 0.01, 0.02];
  // Without a model only telling words vote: function words of each language; the rest abstain.
  if (!model) {
    if (RUSSIAN_WORDS.has(w)) return [0.1, 0.9, 0];
    if (KAZAKH_WORDS.has(w)) return [0.9, 0.1, 0];
    if (ENGLISH_WORDS.has(w)) return [0.05, 0, 0.95];
    return cyrillic ? [0.5, 0.5, 0] : [0.4, 0.2, 0.4];
  }
  const p = probabilities(model, featurise([w], WORD_FEATURES));
  // Script settles what letters can: a Cyrillic word is not English, a Latin one is rarely Russian.
  const [kk, ru, en] = [p[0]!, p[1]!, p[2]!];
  if (cyrillic) return [kk / (kk + ru), ru / (kk + ru), 0];
  return [kk, ru, en];
}

const countsAsWord = (w: string): boolean => w.length >= 2 || /[әғқңөұүһі]/i.test(w);

/** Per BMP code unit: whether a one-letter word of it counts (countsAsWord): 1 yes, 2 no, 0 until first met. */
const oneLetterWords = new Uint8Array(0x10000);
function oneLetterCounts(c: number): boolean {
  let known = oneLetterWords[c]!;
  if (known === 0) oneLetterWords[c] = known = countsAsWord(String.fromCharCode(c)) ? 1 : 2;
  return known === 1;
}

const spanCaches = new WeakMap<SoftmaxModel, SpanCache<WordVote>>();
const noModelSpans = new SpanCache<WordVote>(16);
const spans: number[] = [];
const found: WordVote[] = [];

/** The votes of the text's words (at most MAX_WORDS), in order; the array is reused by the next call. */
function votesOf(model: SoftmaxModel | null, text: string): readonly WordVote[] {
  found.length = 0;
  if (hasSurrogates(text)) {
    const words = (text.match(WORD) ?? []).filter(countsAsWord);
    if (words.length > MAX_WORDS) words.length = MAX_WORDS;
    for (const word of words) found.push(wordVote(model, word));
    return found;
  }
  let cache = model ? spanCaches.get(model) : noModelSpans;
  if (!cache) spanCaches.set(model!, (cache = new SpanCache<WordVote>()));
  spans.length = 0;
  wordSpans(text, spans);
  for (let k = 0; k < spans.length && found.length < MAX_WORDS; k += 2) {
    const from = spans[k]!;
    const to = spans[k + 1]!;
    if (to - from < 2 && !oneLetterCounts(text.charCodeAt(from))) continue;
    const h = spanHash(text, from, to);
    let v = cache.get(text, from, to, h);
    if (v === undefined) {
      const word = text.slice(from, to);
      cache.set(word, h, (v = wordVote(model, word)));
    }
    found.push(v);
  }
  return found;
}

/** The language of a text; with no model, only the letters decide (a first guess). */
export function identifyLanguage(model: SoftmaxModel | null, text: string): LanguageResult {
  const script = scriptOf(text);
  const wordVotes = votesOf(model, text);
  if (wordVotes.length === 0) return { language: 'kk', dominant: 'kk', script, confidence: 0 };
  const votes = [0, 0, 0];
  const mass = [0, 0, 0];
  for (const { vote, logs } of wordVotes) {
    // A word votes only when it leans clearly one way.
    if (vote >= 0) votes[vote]!++;
    for (let i = 0; i < 3; i++) mass[i]! += logs[i]!;
  }
  const order = [0, 1, 2].sort((a, b) => votes[b]! - votes[a]! || mass[b]! - mass[a]!);
  const first = order[0]!;
  const second = order[1]!;
  const dominant = WORD_LANGUAGES[first]!;
  const pair = new Set([first, second]);
  const voting = votes[0]! + votes[1]! + votes[2]!;
  const mixed = pair.has(0) && pair.has(1) && votes[second]! >= 2 && votes[second]! / Math.max(voting, 1) >= MIXED_SHARE;
  if (mixed) return { language: 'mixed', dominant, script, confidence: round((votes[first]! + votes[second]!) / voting) };
  // Confidence: the winner's share of the words that voted (no vote at all: the summed probabilities decide, weakly).
  if (voting === 0) {
    const top = mass.indexOf(Math.max(...mass));
    return { language: WORD_LANGUAGES[top]!, dominant: WORD_LANGUAGES[top]!, script, confidence: 0.34 };
  }
  return { language: dominant, dominant, script, confidence: round(votes[first]! / voting) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Enough words to tell; a long text is not read to its end for its language. */
const MAX_WORDS = 400;
// Function words for the no-model guess (folded case; Kazakh with its letters and without).
const RUSSIAN_WORDS = new Set(['не', 'нет', 'что', 'это', 'уже', 'как', 'все', 'всё', 'для', 'мы', 'у', 'нас', 'вас', 'есть', 'был', 'была', 'были', 'или', 'но', 'очень', 'когда', 'где', 'почему', 'только', 'еще', 'ещё', 'тоже', 'часа', 'дней', 'день', 'дома', 'улице', 'просим', 'прошу', 'пожалуйста', 'здравствуйте', 'спасибо']);
const KAZAKH_WORDS = new Set(['жоқ', 'жок', 'бар', 'және', 'жане', 'емес', 'керек', 'бізде', 'бизде', 'біз', 'биз', 'мен', 'сіз', 'сиз', 'үшін', 'ушин', 'қалай', 'калай', 'неге', 'қашан', 'кашан', 'жатыр', 'тұр', 'тур', 'болды', 'бала', 'балалар', 'үй', 'уй', 'көше', 'коше', 'рахмет', 'сәлем', 'салем', 'сәлеметсіз', 'салеметсиз', 'өтінемін', 'отинемин', 'ғой', 'гой', 'jok', 'joq', 'bar', 'jane', 'emes', 'kerek', 'bizde', 'jatyr', 'balalar', 'bala', 'üi', 'uide', 'üide', 'rahmet', 'salem']);
const ENGLISH_WORDS = new Set(['the', 'and', 'is', 'are', 'was', 'there', 'no', 'not', 'for', 'our', 'we', 'my', 'in', 'on', 'at', 'of', 'to', 'please', 'has', 'have', 'been', 'from', 'with', 'this', 'that']);

/** The language to file a case under without a trained model: the letters and the function words decide. */
export const detectLanguage = (text: string): DetectedLanguage => identifyLanguage(null, text).dominant;
