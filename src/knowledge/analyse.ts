/**
 * The search's view of a text: folded words (src/nlp/fold.ts: Kazakh Latin and Russian-keyboard Kazakh
 * become one Cyrillic skeleton), stop words dropped, and each word as two prefix terms (4 and 6 letters).
 * Kazakh and Russian change word endings a lot ("анықтама", "анықтамасы"; "справка", "справку"): a shared
 * prefix finds the word whatever its ending, and the longer prefix ranks the closer form higher.
 */
import { foldLetters, foldTokens } from '../nlp/fold.ts';

/** Folded like the text, so "қалай" and "калай" are both dropped. */
const STOP_WORDS = new Set(
  [
    // ru
    'и', 'в', 'во', 'на', 'с', 'со', 'к', 'ко', 'у', 'о', 'об', 'от', 'до', 'из', 'за', 'по', 'при', 'для', 'не', 'ни', 'но', 'а', 'или',
    'ли', 'же', 'бы', 'то', 'это', 'этот', 'эта', 'что', 'как', 'где', 'когда', 'куда', 'какой', 'какая', 'какие', 'кто', 'я', 'мы', 'вы',
    'ты', 'он', 'она', 'они', 'мне', 'меня', 'мой', 'моя', 'мои', 'нас', 'наш', 'вам', 'вас', 'его', 'ее', 'её', 'их', 'там', 'тут', 'здесь',
    'если', 'чтобы', 'так', 'уже', 'еще', 'ещё', 'очень', 'все', 'всё', 'есть', 'был', 'была', 'было', 'были', 'быть', 'можно', 'нужно',
    'нужна', 'нужен', 'надо', 'подскажите', 'скажите', 'пожалуйста', 'здравствуйте', 'добрый', 'день', 'вечер', 'утро', 'спасибо', 'помогите',
    // kk
    'мен', 'сен', 'ол', 'біз', 'сіз', 'олар', 'мені', 'маған', 'менің', 'сені', 'саған', 'сенің', 'және', 'бұл', 'осы', 'сол', 'да', 'де',
    'та', 'те', 'ма', 'ме', 'ба', 'бе', 'па', 'пе', 'ғой', 'ғана', 'үшін', 'қалай', 'қайда', 'қашан', 'неге', 'не', 'қандай', 'кім', 'бар',
    'жоқ', 'еді', 'екен', 'әлде', 'немесе', 'сәлеметсіз', 'бе', 'сәлем', 'рахмет', 'өтінемін', 'керек', 'болады', 'бола', 'ме',
    // how people ask ("how can I get…", "what should I do"): the same in every question, so no help in telling them apart
    'алу', 'аламын', 'алам', 'алсам', 'алуға', 'істеймін', 'істеу', 'істесем', 'жасау', 'мүмкін', 'білгім', 'келеді', 'хочу', 'хотел',
    'хотела', 'узнать', 'могу', 'делать', 'get', 'want', 'know', 'need',
    // en
    'the', 'a', 'an', 'to', 'of', 'in', 'on', 'at', 'for', 'is', 'are', 'was', 'were', 'be', 'i', 'my', 'me', 'we', 'our', 'you', 'your',
    'he', 'she', 'it', 'they', 'them', 'how', 'what', 'where', 'when', 'who', 'which', 'do', 'does', 'did', 'and', 'or', 'but', 'not', 'with',
    'by', 'from', 'can', 'could', 'should', 'would', 'will', 'this', 'that', 'there', 'here', 'please', 'hello', 'hi', 'thanks', 'thank', 'if',
    'so', 'as', 'about', 'have', 'has', 'had', 'am',
  ].map((w) => foldLetters(w)),
);

const SHORT_PREFIX = 4;
const LONG_PREFIX = 6;

/** The terms of one folded word: its 4-letter prefix, and its 6-letter prefix when it is that long. */
export function termsOfWord(word: string): string[] {
  if (word.length <= SHORT_PREFIX) return [word];
  const short = word.slice(0, SHORT_PREFIX);
  return word.length >= LONG_PREFIX ? [short, `${word.slice(0, LONG_PREFIX)}…`] : [short, `${word}…`];
}

const isContent = (w: string): boolean => w.length >= 2 && !w.startsWith('<') && !STOP_WORDS.has(w);

/** The terms of a document text (an article): every occurrence, words read as written (English stays English). */
export function documentTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of foldTokens(text)) if (isContent(w)) out.push(...termsOfWord(w));
  return out;
}

/**
 * The words of a query, each with its readings: a Latin word may be English ("lift") or Kazakh typed in
 * Latin ("anyqtama" → "аныктама"), so both readings are tried and the better one counts. Repeated words
 * count once; at most `maxWords` distinct words are kept, so a pasted essay costs no more than a question.
 */
export function queryWords(text: string, maxWords = 64): string[][] {
  const plain = foldTokens(text);
  const kazakh = foldTokens(text, { latinIsKazakh: true });
  const words: string[][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < plain.length && words.length < maxWords; i++) {
    const all = [...new Set([plain[i]!, kazakh[i] ?? plain[i]!])];
    // A stop word in either reading ("kerek" is Kazakh "керек") is dropped: its other reading is noise.
    const readings = all.every(isContent) ? all : [];
    const key = readings.join('|');
    if (readings.length === 0 || seen.has(key)) continue;
    seen.add(key);
    words.push(readings);
  }
  return words;
}
