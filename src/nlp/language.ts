export type DetectedLanguage = 'kk' | 'ru' | 'en';

const KAZAKH_CYRILLIC = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/g;
const CYRILLIC = /[\u0400-\u04FF]/g;
const LATIN = /[A-Za-z]/g;
// Letters of the 2021 Kazakh Latin alphabet (and the 2018 acute draft) that English does not use.
const KAZAKH_LATIN = /[äğñöūüıÄĞÑÖŪÜ]/g;
const KAZAKH_LATIN_WORDS = /\b(jane|men|bul|mektep|bala|zhane|qala|uy|kosh|rahmet|salem|kömek|komek|jol|su|jaryq)\b/gi;

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/**
 * A script-based first guess at the language of a submission, used until the classifier's language
 * identifier (issue 5) replaces it. Kazakh-only letters decide for Kazakh, since Russian never uses them.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const cyrillic = count(text, CYRILLIC);
  const latin = count(text, LATIN);
  if (cyrillic === 0 && latin === 0) return 'kk';
  if (cyrillic >= latin) return count(text, KAZAKH_CYRILLIC) > 0 ? 'kk' : 'ru';
  const kazakhLatin = count(text, KAZAKH_LATIN) + count(text, KAZAKH_LATIN_WORDS);
  return kazakhLatin > 0 ? 'kk' : 'en';
}
