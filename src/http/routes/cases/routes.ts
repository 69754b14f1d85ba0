import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { addAttachment } from '../../../core/attachments.ts';
import { caseTimeline, listCases, readCase, readCaseWithDeadlines } from '../../../core/case-access.ts';
import { notFixedUntil, redirectWindowClosesAt } from '../../../core/clock-steps.ts';
import { assignCase, performAction, postMessage } from '../../../core/case-work.ts';
import { DomainError } from '../../../core/errors.ts';
import { submitCase } from '../../../core/intake.ts';
import { pageCrisisIfEmergency } from '../../../core/child-triage.ts';
import { canReadInternalNotes } from '../../../core/policy.ts';
import { requireSignedIn } from '../../plugins/auth.ts';
import { presentAttachment, presentCase, presentEvent, presentMessage, presentReceipt } from '../../presenters/case.ts';
import { decodeCursor, encodeCursor, parseInstant } from '../../presenters/cursor.ts';
import { errorResponses } from '../common-schema.ts';
import * as S from './schema.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/** A from/to filter: the schema checks the format, this the value (no leap second, within years 1–9999). */
function queryDate(name: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = parseInstant(value);
  if (!at) throw new DomainError('ERR_VALIDATION', `querystring/${name} is not a date that can be searched`, { [name]: value });
  return at;
}

export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) throw new DomainError('ERR_IDEMPOTENCY_KEY_INVALID');
  return header;
}

/** Cases: thin routes (validate → authorise → one command → present). */
export const caseRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const { reference } = platform;

  app.post('/cases', {
    schema: {
      tags: ['cases'],
      summary: 'Submit a case (every door calls this intake)',
      headers: S.IdempotencyHeaders,
      body: S.Submission,
      response: { 201: S.ReceiptResponse, ...errorResponses(400, 401, 403, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const receipt = await submitCase(platform.intake, request.principal, request.body, {
      idempotencyKey: idempotencyKey(request.headers['idempotency-key']),
    });
    // A child case filed here (not through the child door, which pages in the same transaction) still pages the
    // on-call psychologist when it is an emergency; paging is idempotent, and the 15-minute term runs regardless.
    if (receipt.channel === 'child') await platform.intake.store.transaction((tx) => pageCrisisIfEmergency(platform.child.intake, tx, receipt.caseId));
    return reply.status(201).send(presentReceipt(receipt, reference));
  });

  app.get('/cases', {
    schema: { tags: ['cases'], summary: 'List cases visible to the caller, newest first', querystring: S.ListQuery, response: { 200: S.ListResponse, ...S.caseErrors } },
  }, async (request) => {
    const q = request.query;
    const principal = requireSignedIn(request);
    const items = await listCases(platform.read, principal, {
      ...q,
      from: queryDate('from', q.from),
      to: queryDate('to', q.to),
      cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const last = items.length === q.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((c) => presentCase(c, principal, reference, { summary: true })),
      nextCursor: last ? encodeCursor(last.createdAt, last.id) : null,
    };
  });

  app.get('/cases/:id', { schema: { tags: ['cases'], summary: 'One case', params: S.CaseParams, response: { 200: S.CaseResponse, ...S.caseErrors } } }, async (request) => {
    const { record, deadlines } = await readCaseWithDeadlines(platform.read, request.principal, request.params.id);
    const windows = { redirectUntil: redirectWindowClosesAt(platform.work, record), notFixedUntil: notFixedUntil(platform.work, record) };
    return presentCase(record, request.principal, reference, { deadlines, windows });
  });

  app.get('/cases/:id/events', {
    schema: { tags: ['cases'], summary: 'The case timeline (append-only events)', params: S.CaseParams, response: { 200: Type.Array(S.EventResponse), ...S.caseErrors } },
  }, async (request) => (await caseTimeline(platform.read, request.principal, request.params.id)).map(presentEvent));

  app.post('/cases/:id/actions/:action', {
    schema: { tags: ['cases'], summary: 'Take a workflow action', params: S.ActionParams, body: S.ActionBody, response: { 200: S.CaseResponse, ...S.caseErrors } },
  }, async (request) => {
    const updated = await performAction(platform.work, request.principal, request.params.id, request.params.action, request.body);
    return presentCase(updated, request.principal, reference);
  });

  app.post('/cases/:id/assign', {
    schema: { tags: ['cases'], summary: 'Assign the case to staff of the responsible organisation', params: S.CaseParams, body: S.AssignBody, response: { 200: S.CaseResponse, ...S.caseErrors } },
  }, async (request) => presentCase(await assignCase(platform.work, request.principal, request.params.id, request.body.assigneeId), request.principal, reference));

  app.get('/cases/:id/messages', {
    schema: { tags: ['dialog'], summary: 'The dialog (and, for staff, internal notes)', params: S.CaseParams, response: { 200: Type.Array(S.MessageResponse), ...S.caseErrors } },
  }, async (request) => {
    await readCase(platform.read, request.principal, request.params.id, 'messages');
    const messages = await platform.read.store.messages(request.params.id, canReadInternalNotes(request.principal));
    return messages.map(presentMessage);
  });

  app.post('/cases/:id/messages', {
    schema: { tags: ['dialog'], summary: 'Write in the dialog, or add an internal note', params: S.CaseParams, body: S.MessageBody, response: { 201: S.MessageResponse, ...S.caseErrors } },
  }, async (request, reply) => {
    const message = await postMessage(platform.work, request.principal, request.params.id, request.body.body, request.body.visibility);
    return reply.status(201).send(presentMessage(message));
  });

  app.get('/cases/:id/attachments', {
    schema: { tags: ['attachments'], summary: 'Files on the case', params: S.CaseParams, response: { 200: Type.Array(S.AttachmentResponse), ...S.caseErrors } },
  }, async (request) => {
    await readCase(platform.read, request.principal, request.params.id, 'attachments');
    return (await platform.read.store.attachments(request.params.id)).map(presentAttachment);
  });

  app.post('/cases/:id/attachments', {
    schema: {
      tags: ['attachments'],
      summary: 'Upload one file (multipart/form-data, field "file"); its type is sniffed from the bytes',
      consumes: ['multipart/form-data'],
      params: S.CaseParams,
      response: { 201: S.AttachmentResponse, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new DomainError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
    const file = await request.file();
    if (!file) throw new DomainError('ERR_ATTACHMENT_EMPTY');
    const bytes = await file.toBuffer();
    const attachment = await addAttachment(platform.attachments, request.principal, request.params.id, { bytes, fileName: file.filename });
    return reply.status(201).send(presentAttachment(attachment));
  });

  app.get('/cases/:id/attachments/:attachmentId/content', {
    schema: { tags: ['attachments'], summary: 'Download a file', params: S.AttachmentParams, response: errorResponses(401, 403, 404) },
  }, async (request, reply) => {
    await readCase(platform.read, request.principal, request.params.id, 'attachment');
    const attachment = await platform.read.store.attachment(request.params.id, request.params.attachmentId);
    const bytes = attachment ? await platform.attachments.blobs.get(attachment.sha256) : null;
    if (!attachment || !bytes) throw new DomainError('ERR_ATTACHMENT_NOT_FOUND');
    return reply
      .header('content-type', attachment.mediaType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(bytes));
  });
};
