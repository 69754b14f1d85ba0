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

  /** Per token: the entries (in their key's order) whose first word the token starts with; bounded. */
  private readonly starting = new Map<string, readonly Entry[]>();

  private entriesStarting(token: string): readonly Entry[] {
    let list = this.starting.get(token);
    if (list === undefined) {
      list = this.startingEntries(token);
      if (this.starting.size >= STARTING_LIMIT) this.starting.clear();
      this.starting.set(token, list);
    }
    return list;
  }

  /** The entries (in their key's order) whose first word the token starts with: the only ones a match at it can be. */
  startingEntries(token: string): readonly Entry[] {
    const list = (this.byKey.get(token.slice(0, KEY)) ?? []).filter((e) => token.startsWith(e.words[0]!));
    return list.length === 0 ? NONE : list;
  }

  /** The concepts present in the folded tokens, each once, in order of first appearance. */
  match(tokens: readonly string[]): string[] {
    return this.matchStarting(tokens, tokens.map((t) => ({ concepts: this.entriesStarting(t) })));
  }

  /** match() with each token's startingEntries() known already (as `concepts`). */
  matchStarting(tokens: readonly string[], starting: ArrayLike<{ readonly concepts: readonly Entry[] }>): string[] {
    const found: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = starting[i]!.concepts;
      for (let j = 0; j < candidates.length; j++) {
        const e = candidates[j]!;
        if (found.includes(e.concept)) continue;
        let all = true;
        for (let k = 1; k < e.words.length && all; k++) all = tokens[i + k]?.startsWith(e.words[k]!) === true;
        if (all) found.push(e.concept);
      }
    }
    return found;
  }
}

export type Entry = Lexicon['entries'][number];
const NONE: readonly Entry[] = [];
const STARTING_LIMIT = 300_000;
const conceptTokens = new Map<string, string>();
/** The token of a concept, built once. */
export function conceptToken(concept: string): string {
  let token = conceptTokens.get(concept);
  if (token === undefined) conceptTokens.set(concept, (token = `<c:${concept}>`));
  return token;
}

/** The tokens the model reads: the folded words, then one <c:concept> token per concept found. */
export const withConcepts = (matcher: ConceptMatcher | null, tokens: readonly string[]): string[] =>
  matcher ? [...tokens, ...matcher.match(tokens).map((c) => `<c:${c}>`)] : [...tokens];
