import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { DomainError } from '../../../core/errors.ts';
import type { Language } from '../../../core/model.ts';
import type { ArticleHit } from '../../../knowledge/knowledge-base.ts';
import { sendArticle } from '../../../knowledge/send-article.ts';
import { similarAnswers } from '../../../knowledge/similar-answers.ts';
import { presentMessage } from '../../presenters/case.ts';
import { errorResponses } from '../common-schema.ts';
import * as S from './schema.ts';

/** Without a query or a language the state language is shown. */
const DEFAULT_LANGUAGE: Language = 'kk';

const presentHit = (h: ArticleHit) => ({
  id: h.article.id,
  topic: h.article.topic,
  audience: h.article.audience,
  categories: [...h.article.categories],
  language: h.language,
  title: h.title,
  snippet: h.snippet,
  score: h.score,
});

/** The knowledge base: search, one article, the child channel's self-help, suggestions, and sending an article into a case. */
export const knowledgeRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const { base, answers } = platform.knowledge;
  const detectLanguage = (text: string): Language => platform.understanding.detectLanguage(text);

  app.get('/knowledge/articles', {
    schema: {
      tags: ['knowledge'],
      summary: 'Search the knowledge base in kk, ru or en, whatever the script (operator articles for staff only)',
      querystring: S.SearchQuery,
      response: { 200: S.SearchResponse, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const { category } = request.query;
    if (category !== undefined && !platform.reference.hasCategory(category)) throw new DomainError('ERR_UNKNOWN_CATEGORY', undefined, { category });
    const items = base.search(request.principal, request.query, detectLanguage);
    const q = request.query.q?.trim();
    return { language: request.query.lang ?? (q ? detectLanguage(q) : DEFAULT_LANGUAGE), items: items.map(presentHit) };
  });

  app.get('/knowledge/articles/:id', {
    schema: { tags: ['knowledge'], summary: 'One article in one language', params: S.ArticleParams, querystring: S.ArticleQuery, response: { 200: S.ArticleResponse, ...errorResponses(400, 404) } },
  }, async (request) => {
    const a = base.article(request.principal, request.params.id);
    const language = request.query.lang ?? DEFAULT_LANGUAGE;
    return { id: a.id, topic: a.topic, audience: a.audience, categories: [...a.categories], language, title: a.title[language], body: a.body[language] };
  });

  app.get('/knowledge/topics', {
    schema: {
      tags: ['knowledge'],
      summary: 'Self-help grouped by topic (the child channel asks audience=child, the default)',
      querystring: S.TopicsQuery,
      response: { 200: S.TopicsResponse, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const audience = request.query.audience ?? 'child';
    const language = request.query.lang ?? DEFAULT_LANGUAGE;
    return { audience, language, topics: base.topics(request.principal, audience, language) };
  });

  app.post('/knowledge/suggest', {
    schema: {
      tags: ['knowledge'],
      summary: 'Articles that answer a known question (the citizen form): only strong matches, often none',
      body: S.SuggestBody,
      response: { 200: S.SuggestResponse, ...errorResponses(400, 413) },
    },
  }, async (request) => {
    const text = platform.work.normalise(request.body.text);
    if (!text) throw new DomainError('ERR_TEXT_EMPTY', undefined, { field: 'text' });
    const language = request.body.lang ?? detectLanguage(text);
    return { language, suggestions: base.suggest(text, language).map(presentHit) };
  });

  app.post('/cases/:id/knowledge', {
    schema: {
      tags: ['knowledge'],
      summary: "Send an article into the case's dialog (staff); records case.article_sent",
      params: S.CaseParams,
      body: S.SendBody,
      response: { 201: S.SentResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const sent = await sendArticle({ work: platform.work, findArticle: (id) => base.find(id) }, request.principal, request.params.id, request.body.articleId, request.body.lang);
    return reply.status(201).send({ articleId: sent.articleId, language: sent.language, message: presentMessage(sent.message) });
  });

  app.get('/cases/:id/similar-answers', {
    schema: {
      tags: ['knowledge'],
      summary: 'Earlier answers to similar inquiries of the same category (staff who work on the case; personal data masked)',
      params: S.CaseParams,
      querystring: S.SimilarAnswersQuery,
      response: { 200: S.SimilarAnswersResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const items = await similarAnswers({ store: platform.read.store, answers }, request.principal, request.params.id, request.query.limit);
    return { items: items.map((i) => ({ ...i, answeredAt: i.answeredAt.toISOString() })) };
  });
};
