import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { answerSurvey, complainAboutAnswer, rateAnswer } from '../../../core/after-answer.ts';
import { presentCase, presentReceipt } from '../../presenters/case.ts';
import { errorResponses } from '../common-schema.ts';
import * as S from './schema.ts';

/** The applicant's word after the answer: a rating, a complaint to the higher body, the survey. */
export const afterAnswerRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const { reference } = platform;
  const errors = errorResponses(400, 401, 403, 404, 409, 422);

  app.put('/cases/:id/rating', {
    schema: { tags: ['after the answer'], summary: 'Rate the answer 1–5 (the applicant; a new rating replaces the old)', params: S.CaseParams, body: S.RatingBody, response: { 200: S.RatingResponse, ...errors } },
  }, async (request) => {
    const r = await rateAnswer(platform.afterAnswer, request.principal, request.params.id, request.body);
    return { caseId: r.caseId, score: r.score, comment: r.comment, ratedAt: r.ratedAt.toISOString() };
  });

  app.post('/cases/:id/complaints', {
    schema: {
      tags: ['after the answer'],
      summary: 'Complain about the answer to the higher body: registers a linked complaint with its own term',
      params: S.CaseParams,
      body: S.ComplaintBody,
      response: { 201: S.ReceiptResponse, ...errors },
    },
  }, async (request, reply) => {
    const receipt = await complainAboutAnswer(platform.afterAnswer, request.principal, request.params.id, request.body);
    return reply.status(201).send(presentReceipt(receipt, reference));
  });

  app.post('/cases/:id/survey', {
    schema: { tags: ['after the answer'], summary: 'Answer "is it fixed?"; "no" reopens the case', params: S.CaseParams, body: S.SurveyBody, response: { 200: S.CaseResponse, ...errors } },
  }, async (request) => presentCase(await answerSurvey(platform.afterAnswer, request.principal, request.params.id, request.body), request.principal, reference));
};
