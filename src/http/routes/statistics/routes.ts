import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { clockStatistics } from '../../../core/statistics.ts';
import { errorResponses, Nullable } from '../common-schema.ts';

const Query = Type.Object(
  {
    organisationId: Type.String({ minLength: 1, maxLength: 100 }),
    from: Type.String({ format: 'date', description: 'First local date of receipt' }),
    to: Type.String({ format: 'date', description: 'Local date after the last one (exclusive)' }),
    includeSubtree: Type.Boolean({ default: false, description: 'Add the organisations below (within your reach)' }),
  },
  { additionalProperties: false },
);

const Response = Type.Object({
  organisationId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  includeSubtree: Type.Boolean(),
  received: Type.Integer(),
  answered: Type.Integer(),
  answeredOnTime: Type.Integer(),
  answeredLate: Type.Integer(),
  overdue: Type.Integer({ description: 'Unanswered after the answer term ran out' }),
  extended: Type.Integer(),
  redirected: Type.Integer(),
  silenceRefusals: Type.Integer(),
  averageHoursToAnswer: Nullable(Type.Number()),
  complainedShare: Nullable(Type.Number({ description: 'Answers complained about, over answers given (0–1)' })),
  averageRating: Nullable(Type.Number()),
  ratings: Type.Integer(),
});

/** How organisations keep the legal clock: for their heads, controllers, analysts and admins. */
export const statisticsRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/statistics/clock', {
    schema: { tags: ['statistics'], summary: 'Clock statistics of an organisation over a period', querystring: Query, response: { 200: Response, ...errorResponses(400, 401, 403) } },
  }, async (request) => clockStatistics(platform.statistics, request.principal, request.query));
};
