import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { DomainError } from '../../../core/errors.ts';
import { findSimilarCases } from '../../../core/similar.ts';
import { errorResponses, Nullable } from '../common-schema.ts';

const ClassifyBody = Type.Object(
  { id: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Number()])), text: Type.String({ maxLength: 1_000_000 }) },
  { additionalProperties: false },
);

const Understanding = Type.Object({
  id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  language: Type.String({ description: 'kk, ru, en or mixed' }),
  script: Type.String({ description: 'cyrl, latn, mixed or none' }),
  category: Type.String(),
  subcategory: Nullable(Type.String()),
  kind: Type.String(),
  urgency: Type.String(),
  relevant: Type.Boolean({ description: 'Reports a concrete problem a body could act on (social posts)' }),
  confidence: Type.Number({ description: 'Calibrated probability of the category' }),
  top: Type.Array(Type.Object({ category: Type.String(), probability: Type.Number() }), { description: 'The three most likely categories' }),
  why: Type.Array(Type.String(), { description: 'Features that weighed most for the category' }),
  urgencyRules: Type.Array(Type.String(), { description: 'Urgency rules that fired' }),
});

const SimilarBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 100_000 }),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    location: Type.Optional(Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false })),
    districtId: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { additionalProperties: false },
);

const SimilarCase = Type.Object({
  registrationNumber: Type.String(),
  category: Type.String(),
  state: Type.String(),
  registeredAt: Type.String({ format: 'date-time' }),
  distanceMeters: Nullable(Type.Integer()),
  similarity: Type.Number({ description: 'Text similarity, plus a little for the same category and closeness' }),
});

/** Understanding a text without filing it: for clients that suggest a category as the person types. */
export const understandingRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/classify', {
    schema: {
      tags: ['understanding'],
      summary: 'Language, category, kind, urgency and relevance of one text, with the confidence and the reasons',
      body: ClassifyBody,
      response: { 200: Understanding, ...errorResponses(400, 413, 503) },
    },
  }, async (request) => {
    const u = platform.understanding.understand(request.body.text);
    if (!u) throw new DomainError('ERR_SERVICE_UNAVAILABLE', 'No trained model is installed (npm run train)');
    return request.body.id === undefined ? u : { id: request.body.id, ...u };
  });

  app.post('/cases/similar', {
    schema: {
      tags: ['understanding'],
      summary: 'Open cases nearby that may already report the same problem (before submitting one)',
      body: SimilarBody,
      response: { 200: Type.Array(SimilarCase), ...errorResponses(400) },
    },
  }, async (request) => findSimilarCases(platform.work, request.body));
};
