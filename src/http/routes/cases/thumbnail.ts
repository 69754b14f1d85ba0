import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { readCase } from '../../../core/case-access.ts';
import { DomainError } from '../../../core/errors.ts';
import { errorResponses } from '../common-schema.ts';
import * as S from './schema.ts';

/**
 * GET /cases/:id/attachments/:attachmentId/thumbnail: a small WebP of an image attachment. The same access
 * as the download (readCase: invisible is 404, a confidential read is an event before any byte leaves).
 */
export const thumbnailRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/cases/:id/attachments/:attachmentId/thumbnail', {
    schema: {
      tags: ['attachments'],
      summary: 'A thumbnail of an image (WebP, at most 320 px on its longest side, upright, without metadata)',
      params: S.AttachmentParams,
      response: errorResponses(400, 401, 404, 415, 422, 503),
    },
  }, async (request, reply) => {
    const record = await readCase(platform.read, request.principal, request.params.id, 'thumbnail');
    const attachment = await platform.read.store.attachment(request.params.id, request.params.attachmentId);
    if (!attachment) throw new DomainError('ERR_ATTACHMENT_NOT_FOUND');
    const thumbnail = await platform.thumbnails.of(attachment);
    return reply
      .header('content-type', thumbnail.mediaType)
      .header('content-disposition', 'inline')
      .header('x-content-type-options', 'nosniff')
      // A browser's copy would be a read that leaves no event: a confidential case's thumbnail is never kept.
      .header('cache-control', record.confidential ? 'private, no-store' : 'private, max-age=86400')
      .send(Buffer.from(thumbnail.bytes.buffer, thumbnail.bytes.byteOffset, thumbnail.bytes.byteLength));
  });
};
