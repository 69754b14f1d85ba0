import { Type } from 'typebox';
import { Nullable, Uuid } from '../common-schema.ts';
import { MessageResponse } from '../cases/schema.ts';

const Lang = Type.Union([Type.Literal('kk'), Type.Literal('ru'), Type.Literal('en')], { description: 'kk, ru or en' });
const Audience = Type.Union([Type.Literal('citizen'), Type.Literal('child'), Type.Literal('operator')], { description: 'operator articles are for staff only' });
const ArticleId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$' });

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 500, description: 'Any language or script; empty or absent lists the articles topic by topic' })),
    lang: Type.Optional(Lang),
    audience: Type.Optional(Audience),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  },
  { additionalProperties: false },
);

export const ArticleSummary = Type.Object({
  id: Type.String(),
  topic: Type.String(),
  audience: Type.String(),
  categories: Type.Array(Type.String()),
  language: Type.String(),
  title: Type.String(),
  snippet: Type.String({ description: 'The sentence that best matches the query, in the asked language' }),
  score: Type.Number({ description: 'Relevance (0 when listing without a query)' }),
});

export const SearchResponse = Type.Object({ language: Type.String(), items: Type.Array(ArticleSummary) });

export const ArticleParams = Type.Object({ id: ArticleId }, { additionalProperties: false });
export const ArticleQuery = Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false });

export const ArticleResponse = Type.Object({
  id: Type.String(),
  topic: Type.String(),
  audience: Type.String(),
  categories: Type.Array(Type.String()),
  language: Type.String(),
  title: Type.String(),
  body: Type.String(),
});

export const TopicsQuery = Type.Object({ audience: Type.Optional(Audience), lang: Type.Optional(Lang) }, { additionalProperties: false });

export const TopicsResponse = Type.Object({
  audience: Type.String(),
  language: Type.String(),
  topics: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      articles: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), summary: Type.String() })),
    }),
  ),
});

export const SuggestBody = Type.Object(
  { text: Type.String({ maxLength: 100_000 }), lang: Type.Optional(Lang) },
  { additionalProperties: false },
);

export const SuggestResponse = Type.Object({ language: Type.String(), suggestions: Type.Array(ArticleSummary) });

export const CaseParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const SendBody = Type.Object({ articleId: ArticleId, lang: Type.Optional(Lang) }, { additionalProperties: false });

export const SentResponse = Type.Object({ articleId: Type.String(), language: Type.String(), message: MessageResponse });

export const SimilarAnswersQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 20, default: 5 }) }, { additionalProperties: false });

export const SimilarAnswersResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      caseId: Uuid,
      registrationNumber: Type.String(),
      organisationId: Type.String(),
      similarity: Type.Number({ description: 'Cosine of the texts (0–1)' }),
      outcome: Nullable(Type.String()),
      answeredAt: Type.String({ format: 'date-time' }),
      question: Type.String({ description: 'The earlier case text, personal data masked' }),
      answer: Type.String({ description: 'Its answer, personal data masked' }),
    }),
  ),
});
