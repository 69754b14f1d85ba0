import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { readCaseWithDeadlines } from '../../../core/case-access.ts';
import { DomainError } from '../../../core/errors.ts';
import { presentCase } from '../../presenters/case.ts';
import { errorResponses } from '../common-schema.ts';
import { CaseResponse } from './schema.ts';

/** An anonymous applicant opens their case with its secret code, sent in a header (never in the URL, which gets logged). */
export const trackRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/track', {
    schema: {
      tags: ['cases'],
      summary: 'The case behind an X-Tracking-Code header',
      headers: Type.Object({ 'x-tracking-code': Type.String({ minLength: 1 }) }),
      response: { 200: CaseResponse, ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const principal = request.principal;
    if (principal.type !== 'tracking') throw new DomainError('ERR_INVALID_TRACKING_CODE');
    const { record, deadlines } = await readCaseWithDeadlines(platform.read, principal, principal.caseId);
    return presentCase(record, principal, platform.reference, { deadlines });
  });
};
