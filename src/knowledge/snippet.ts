/**
 * A snippet of an article in the asked language: the sentence with the most of the query's terms (the
 * first sentence when none match), cut on a word boundary.
 */
import { documentTerms } from './analyse.ts';

export const SNIPPET_CHARS = 240;

const SENTENCE_END = /(?<=[.!?…])\s+|\n+/u;

export function cut(text: string, max = SNIPPET_CHARS): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:—-]+$/u, '')}…`;
}

/** The first sentence: what a list shows when there is no query. */
export const summaryOf = (body: string): string => cut(body.split(SENTENCE_END).find((s) => s.trim().length > 0)?.trim() ?? body);

export interface Sentence {
  text: string;
  terms: ReadonlySet<string>;
}

/** A body's sentences with their terms: worked out once per article and language, then reused by every query. */
export const sentencesOf = (body: string): Sentence[] =>
  body
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((text) => ({ text, terms: new Set(documentTerms(text)) }));

export function snippetOf(body: string, sentences: readonly Sentence[], matchedTerms: ReadonlySet<string>): string {
  let best: Sentence | undefined;
  let bestCount = 0;
  for (const sentence of sentences) {
    let count = 0;
    for (const t of matchedTerms) if (sentence.terms.has(t)) count++;
    if (count > bestCount) {
      best = sentence;
      bestCount = count;
    }
  }
  return best ? cut(best.text) : summaryOf(body);
}
