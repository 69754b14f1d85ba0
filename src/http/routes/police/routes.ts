import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { DomainError } from '../../../core/errors.ts';
import { submitPoliceReport } from '../../../core/police.ts';
import { presentAttachment, presentReceipt } from '../../presenters/case.ts';
import { errorResponses } from '../common-schema.ts';
import { idempotencyKey } from '../cases/routes.ts';
import { multipartError, readReportForm, refuseDeclaredSize, toReport } from './form.ts';
import * as S from './schema.ts';

/** The police door (102): a multipart report with its evidence → the one intake, channel 'police'. */
export const policeRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const { police, reference, config } = platform;
  const limits = { policy: police.policy, textMaxChars: config.TEXT_MAX_CHARS, sniffType: police.sniffType };

  app.post('/police/reports', {
    schema: {
      tags: ['police'],
      summary: 'Report an incident to the police (102) with photos or videos as evidence',
      description: S.REPORT_FORM_DESCRIPTION,
      consumes: ['multipart/form-data'],
      headers: S.ReportHeaders,
      response: { 201: S.PoliceReceiptResponse, ...errorResponses(400, 401, 403, 413, 415, 422) },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new DomainError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the report as multipart/form-data');
    let key: string | undefined;
    let form;
    try {
      key = idempotencyKey(request.headers['idempotency-key']);
      refuseDeclaredSize(request, police.policy);
      form = await readReportForm(request, limits);
    } catch (err) {
      // The rest of a refused upload is never read: the parser lets go of it, and the connection closes after the answer.
      if (!request.raw.complete) {
        request.raw.unpipe();
        request.raw.pause();
        reply.header('connection', 'close');
      }
      throw multipartError(err, police.policy) ?? err;
    }
    const receipt = await submitPoliceReport(police, request.principal, toReport(form.fields, form.files), { idempotencyKey: key });
    const { attachments, ...rest } = receipt;
    return reply.status(201).send({ ...presentReceipt(rest, reference), attachments: attachments.map(presentAttachment) });
  });
};
