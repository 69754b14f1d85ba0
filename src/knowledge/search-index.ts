/**
 * BM25 over the articles' folded prefix terms (analyse.ts). One document per article holds all three
 * languages, so a query in any language or script, or in a mix of Kazakh and Russian, meets the article;
 * the title counts three times and the keywords twice. Besides the score, each hit says how much of the
 * query it covers (the idf-weighted share of the query's words it contains): the suggestion threshold.
 */
import { languages } from '../core/model.ts';
import type { Article } from './article.ts';
import { documentTerms, queryWords, termsOfWord } from './analyse.ts';

const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 3;
const KEYWORD_WEIGHT = 2;

interface Doc {
  article: Article;
  tf: Map<string, number>;
  length: number;
}

export interface Hit {
  article: Article;
  score: number;
  /** The idf-weighted share of the query's words found in the article (0–1). */
  coverage: number;
  /** How many of the query's words the article contains. */
  matchedWords: number;
  /** The terms that matched, for the snippet. */
  matchedTerms: ReadonlySet<string>;
}

export class SearchIndex {
  private readonly docs: Doc[] = [];
  private readonly df = new Map<string, number>();
  private readonly averageLength: number;

  constructor(articles: readonly Article[]) {
    let total = 0;
    for (const article of articles) {
      const tf = new Map<string, number>();
      const add = (text: string, weight: number): void => {
        for (const t of documentTerms(text)) tf.set(t, (tf.get(t) ?? 0) + weight);
      };
      for (const l of languages) {
        add(article.title[l], TITLE_WEIGHT);
        add(article.keywords[l].join(' '), KEYWORD_WEIGHT);
        add(article.body[l], 1);
      }
      let length = 0;
      for (const n of tf.values()) length += n;
      total += length;
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.docs.push({ article, tf, length });
    }
    this.averageLength = this.docs.length > 0 ? total / this.docs.length : 1;
  }

  get size(): number {
    return this.docs.length;
  }

  idf(term: string): number {
    const n = this.docs.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The articles that match at least one query word, best first (only those `include` admits). */
  search(query: string, include: (a: Article) => boolean = () => true): Hit[] {
    const words = queryWords(query);
    if (words.length === 0) return [];
    // A word weighs the idf of its terms: an unknown word weighs a lot, which keeps an unrelated text's
    // coverage low even when one of its words happens to match. A word with two readings weighs as the
    // reading that matched, or as its lighter reading when none did.
    const readings = words.map((rs) =>
      rs.map((r) => {
        const terms = termsOfWord(r).map((term) => ({ term, idf: this.idf(term) }));
        return { terms, weight: terms.reduce((s, t) => s + t.idf, 0) };
      }),
    );
    const hits: Hit[] = [];
    for (const doc of this.docs) {
      if (!include(doc.article)) continue;
      let score = 0;
      let covered = 0;
      let totalWeight = 0;
      let matchedWords = 0;
      const matchedTerms = new Set<string>();
      const norm = K1 * (1 - B + (B * doc.length) / this.averageLength);
      for (const rs of readings) {
        let best = { score: 0, covered: 0, weight: Math.min(...rs.map((r) => r.weight)), terms: [] as string[] };
        for (const r of rs) {
          let s = 0;
          let c = 0;
          const found: string[] = [];
          for (const { term, idf } of r.terms) {
            const f = doc.tf.get(term);
            if (!f) continue;
            s += (idf * f * (K1 + 1)) / (f + norm);
            c += idf;
            found.push(term);
          }
          if (s > best.score) best = { score: s, covered: c, weight: r.weight, terms: found };
        }
        totalWeight += best.weight;
        if (best.score > 0) {
          score += best.score;
          covered += best.covered;
          matchedWords++;
          for (const t of best.terms) matchedTerms.add(t);
        }
      }
      if (score > 0) hits.push({ article: doc.article, score, coverage: totalWeight > 0 ? covered / totalWeight : 0, matchedWords, matchedTerms });
    }
    return hits.sort((a, b) => b.score - a.score || a.article.id.localeCompare(b.article.id));
  }
}
