/**
 * The knowledge base: the articles, their index, and the questions asked of it: search (operators, the
 * citizen form, the child channel), one article, the self-help topics, and the suggestion for a citizen's
 * text (offered only when the match is strong). Who sees which audience is decided here: operator articles
 * are staff guidance, never shown to the public.
 */
import { DomainError } from '../core/errors.ts';
import type { Language } from '../core/model.ts';
import { isStaff, type Principal } from '../core/principal.ts';
import type { Article, Audience, Topic } from './article.ts';
import { SearchIndex, type Hit } from './search-index.ts';
import { sentencesOf, snippetOf, summaryOf, type Sentence } from './snippet.ts';

/** What the classifier reads in a query: the likely categories with their probabilities. */
export type CategoryGuess = (text: string) => readonly { category: string; probability: number }[];

/** A category the classifier names raises its articles by up to this share of their score. */
const CATEGORY_BOOST = 0.6;
/** A suggestion needs this share of the (idf-weighted) question in the article… */
export const SUGGEST_MIN_COVERAGE = 0.6;
/** …and at least this many of its words: one shared word is a coincidence, not a known question. */
export const SUGGEST_MIN_WORDS = 2;
const SUGGEST_LIMIT = 3;

export interface ArticleHit {
  article: Article;
  language: Language;
  title: string;
  snippet: string;
  score: number;
}

export interface SearchRequest {
  q?: string | undefined;
  lang?: Language | undefined;
  audience?: Audience | undefined;
  category?: string | undefined;
  limit?: number | undefined;
}

export interface KnowledgeBase {
  readonly size: number;
  search(principal: Principal, request: SearchRequest, detectLanguage: (text: string) => Language): ArticleHit[];
  suggest(text: string, language: Language): ArticleHit[];
  article(principal: Principal, id: string): Article;
  /** Any article by id, whoever asks (commands that check access themselves). */
  find(id: string): Article | undefined;
  topics(principal: Principal, audience: Audience, language: Language): { code: string; name: string; articles: { id: string; title: string; summary: string }[] }[];
}

const PUBLIC_AUDIENCES: ReadonlySet<Audience> = new Set(['citizen', 'child']);

/** The audiences a principal may read: staff every one, everybody else the citizen and child articles. */
export const readableAudiences = (p: Principal): ReadonlySet<Audience> => (isStaff(p) ? new Set(['citizen', 'child', 'operator']) : PUBLIC_AUDIENCES);

function requireAudience(p: Principal, audience: Audience | undefined): void {
  if (audience === undefined || readableAudiences(p).has(audience)) return;
  throw new DomainError(p.type === 'public' ? 'ERR_UNAUTHENTICATED' : 'ERR_FORBIDDEN', 'Operator articles are for staff');
}

export function createKnowledgeBase(articles: readonly Article[], topicList: readonly Topic[], guessCategory: CategoryGuess = () => []): KnowledgeBase {
  const index = new SearchIndex(articles);
  const byId = new Map(articles.map((a) => [a.id, a]));
  const topicOrder = new Map(topicList.map((t, i) => [t.code, i]));
  const sentences = new Map<string, Sentence[]>();
  const snippet = (a: Article, language: Language, matched: ReadonlySet<string>): string => {
    const key = `${a.id}|${language}`;
    let list = sentences.get(key);
    if (!list) sentences.set(key, (list = sentencesOf(a.body[language])));
    return snippetOf(a.body[language], list, matched);
  };

  const present = (a: Article, language: Language, snippet: string, score: number): ArticleHit => ({
    article: a,
    language,
    title: a.title[language],
    snippet,
    score: Math.round(score * 1000) / 1000,
  });

  /** Ranked hits: BM25, raised for the categories the classifier reads in the query. */
  function ranked(q: string, include: (a: Article) => boolean): Hit[] {
    const hits = index.search(q, include);
    if (hits.length === 0) return hits;
    const guesses = guessCategory(q);
    if (guesses.length === 0) return hits;
    for (const h of hits) {
      const p = guesses.filter((g) => h.article.categories.includes(g.category)).reduce((s, g) => s + g.probability, 0);
      h.score *= 1 + CATEGORY_BOOST * Math.min(1, p);
    }
    return hits.sort((a, b) => b.score - a.score || a.article.id.localeCompare(b.article.id));
  }

  const browseOrder = (language: Language) => (a: Article, b: Article): number =>
    (topicOrder.get(a.topic) ?? 999) - (topicOrder.get(b.topic) ?? 999) || a.title[language].localeCompare(b.title[language], language);

  return {
    size: index.size,

    search(principal, request, detectLanguage) {
      requireAudience(principal, request.audience);
      const audiences = readableAudiences(principal);
      const include = (a: Article): boolean =>
        audiences.has(a.audience) && (request.audience === undefined || a.audience === request.audience) && (request.category === undefined || a.categories.includes(request.category));
      const limit = request.limit ?? 10;
      const q = request.q?.trim() ?? '';
      if (!q) {
        // No question: the shelf, topic by topic.
        const language = request.lang ?? 'kk';
        return articles.filter(include).sort(browseOrder(language)).slice(0, limit).map((a) => present(a, language, summaryOf(a.body[language]), 0));
      }
      const language = request.lang ?? detectLanguage(q);
      return ranked(q, include)
        .slice(0, limit)
        .map((h) => present(h.article, language, snippet(h.article, language, h.matchedTerms), h.score));
    },

    suggest(text, language) {
      // The citizen form: public articles, and only those that answer the question (a strong match).
      return ranked(text, (a) => PUBLIC_AUDIENCES.has(a.audience))
        .filter((h) => h.coverage >= SUGGEST_MIN_COVERAGE && h.matchedWords >= SUGGEST_MIN_WORDS)
        .slice(0, SUGGEST_LIMIT)
        .map((h) => present(h.article, language, snippet(h.article, language, h.matchedTerms), h.score));
    },

    article(principal, id) {
      const a = byId.get(id);
      // An operator article is "not found" to the public, like an invisible case.
      if (!a || !readableAudiences(principal).has(a.audience)) throw new DomainError('ERR_ARTICLE_NOT_FOUND', undefined, { id });
      return a;
    },

    find: (id) => byId.get(id),

    topics(principal, audience, language) {
      requireAudience(principal, audience);
      return topicList
        .map((t) => ({
          code: t.code,
          name: t.names[language],
          articles: articles
            .filter((a) => a.topic === t.code && a.audience === audience)
            .sort(browseOrder(language))
            .map((a) => ({ id: a.id, title: a.title[language], summary: summaryOf(a.body[language]) })),
        }))
        .filter((t) => t.articles.length > 0);
    },
  };
}

/**
 * The knowledge base read on first use: a command that never searches (migrate, seed, calendar) does not
 * read the files; a broken file fails the first request loudly and is read again by the next one.
 */
export function lazyKnowledgeBase(load: () => { articles: readonly Article[]; topics: readonly Topic[] }, guessCategory?: CategoryGuess): KnowledgeBase {
  let base: KnowledgeBase | undefined;
  const get = (): KnowledgeBase => {
    if (!base) {
      const { articles, topics } = load();
      base = createKnowledgeBase(articles, topics, guessCategory);
    }
    return base;
  };
  return {
    get size() {
      return get().size;
    },
    search: (principal, request, detectLanguage) => get().search(principal, request, detectLanguage),
    suggest: (text, language) => get().suggest(text, language),
    article: (principal, id) => get().article(principal, id),
    find: (id) => get().find(id),
    topics: (principal, audience, language) => get().topics(principal, audience, language),
  };
}
