/**
 * Concepts shared across languages: "батарея", "жылу", "radiator" all signal the concept heating_system.
 * A concept that occurs adds the token <c:name> to the text, whose weight the model learns from every
 * language at once, so a category seen mostly in Russian is still recognised in English or Latin Kazakh.
 * Entries are word prefixes (a phrase is a run of prefixes), folded like the text (data/lexicon/concepts.json).
 */
import { foldTokens } from './fold.ts';

export interface Lexicon {
  /** concept → entries, each a list of folded word prefixes. */
  readonly entries: readonly { concept: string; words: readonly string[] }[];
}

const KEY = 3;

/** Folds the raw concept lists into matchable entries (the same folding as the text). */
export function compileLexicon(concepts: Readonly<Record<string, readonly string[]>>): Lexicon {
  const entries: { concept: string; words: string[] }[] = [];
  for (const [concept, list] of Object.entries(concepts)) {
    for (const raw of list) {
      const words = foldTokens(raw);
      if (words.length > 0 && words.every((w) => w.length >= 2)) entries.push({ concept, words });
    }
  }
  return { entries };
}

/** Entries by the first letters of their first word, so a token is compared with few entries. */
export class ConceptMatcher {
  private readonly byKey = new Map<string, { concept: string; words: readonly string[] }[]>();

  constructor(lexicon: Lexicon) {
    for (const e of lexicon.entries) {
      const key = e.words[0]!.slice(0, KEY);
      const list = this.byKey.get(key);
      if (list) list.push(e);
      else this.byKey.set(key, [e]);
    }
  }

  /** The concepts present in the folded tokens, each once, in order of first appearance. */
  match(tokens: readonly string[]): string[] {
    const found: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byKey.get(tokens[i]!.slice(0, KEY));
      if (!candidates) continue;
      for (const e of candidates) {
        if (found.includes(e.concept)) continue;
        if (e.words.every((w, k) => tokens[i + k]?.startsWith(w))) found.push(e.concept);
      }
    }
    return found;
  }
}

/** The tokens the model reads: the folded words, then one <c:concept> token per concept found. */
export const withConcepts = (matcher: ConceptMatcher | null, tokens: readonly string[]): string[] =>
  matcher ? [...tokens, ...matcher.match(tokens).map((c) => `<c:${c}>`)] : [...tokens];
