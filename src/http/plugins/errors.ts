import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorCatalogue, type ErrorClass, type ErrorCode } from '../../core/errors.ts';

const STATUS: Record<ErrorClass, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  unprocessable: 422,
  too_many: 429,
  unavailable: 503,
  internal: 500,
};

export const statusOf = (code: ErrorCode): number => STATUS[errorCatalogue[code].class];

/** Fastify's own error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ERR_VALIDATION',
  FST_REQ_FILE_TOO_LARGE: 'ERR_ATTACHMENT_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_FILES_LIMIT: 'ERR_VALIDATION',
  FST_PARTS_LIMIT: 'ERR_VALIDATION',
  FST_FIELDS_LIMIT: 'ERR_VALIDATION',
  FST_PROTO_VIOLATION: 'ERR_VALIDATION',
  FST_ERR_VALIDATION: 'ERR_VALIDATION',
};

// Errors that mean the database is unreachable: the client should retry, not report a bug.
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300', '08006', '08001']);
// Characters PostgreSQL cannot store in text (U+0000): only a request can bring them, so they are the client's error.
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

function send(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown): FastifyReply {
  if (errorCatalogue[code].class === 'unavailable') reply.header('Retry-After', '5');
  return reply.status(statusOf(code)).send({ error: { code, message, details: details ?? null } });
}

function toDomain(error: FastifyError & { validation?: unknown }): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error.validation) {
    return new DomainError('ERR_VALIDATION', error.message, { context: (error as { validationContext?: string }).validationContext, errors: error.validation });
  }
  const mapped = FASTIFY_CODES[error.code];
  if (mapped) return new DomainError(mapped, error.message);
  if (UNAVAILABLE.has(error.code)) return new DomainError('ERR_SERVICE_UNAVAILABLE');
  if (UNSTORABLE_TEXT.has(error.code)) return new DomainError('ERR_VALIDATION', 'The request contains a character that cannot be stored (U+0000)');
  return null;
}

/** Every failure leaves as {"error": {"code", "message", "details"}}: stable codes, correct statuses, no stack. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const domain = toDomain(error);
    if (domain) return send(reply, domain.code, domain.message, domain.details);
    // A client error Fastify knows about (e.g. a malformed header) keeps its status, with our envelope.
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: { code: 'ERR_VALIDATION', message: error.message, details: { fastifyCode: error.code ?? null } } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'ERR_INTERNAL', errorCatalogue.ERR_INTERNAL.message);
  });
  app.setNotFoundHandler((request, reply) => send(reply, 'ERR_ROUTE_NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}`));
}

/**
 * Errors Fastify raises before routing (a path parameter over maxParamLength, a malformed percent-encoding):
 * without this they leave as Fastify's own JSON, outside the envelope. Passed as the frameworkErrors option.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') return send(reply, 'ERR_VALIDATION', error.message);
  request.log.error({ err: error }, 'framework error');
  return send(reply, 'ERR_INTERNAL', errorCatalogue.ERR_INTERNAL.message);
}
