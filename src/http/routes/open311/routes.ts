import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Platform } from '../../../app/platform.ts';
import {
  authenticateClient,
  fileRequest,
  getRequest,
  isOfferedService,
  listRequests,
  listUpdates,
  postUpdate,
  requestOfToken,
} from '../../../channels/open311/commands.ts';
import { apiKeyOf, checkPlainQuery, parseCreateRequest, parseLocale, parseRequestsQuery, parseUpdate, parseUpdatesQuery, type Fields } from '../../../channels/open311/input.ts';
import { listServices, serviceDefinition } from '../../../channels/open311/services.ts';
import { DomainError, errorCatalogue, type ErrorCode } from '../../../core/errors.ts';
import { formatOfUrl, send, sendError, sendList, splitResource } from './format.ts';

/** The spec's discovery document: this endpoint, its formats, and where keys come from. */
const CHANGESET = '2026-11-25T00:00:00Z';
const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_MALFORMED_JSON',
};
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300', '08006', '08001']);

function toDomain(error: FastifyError): DomainError | null {
  if (error instanceof DomainError) return error;
  const mapped = FRAMEWORK_CODES[error.code];
  if (mapped) return new DomainError(mapped);
  if (UNAVAILABLE.has(error.code)) return new DomainError('ERR_SERVICE_UNAVAILABLE');
  // Characters PostgreSQL cannot store (U+0000) come only from a request.
  if (error.code === '22021' || error.code === '22P05') return new DomainError('ERR_GEOREPORT_FIELD_INVALID', 'a field contains a character that cannot be stored (U+0000)');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new DomainError('ERR_VALIDATION', error.message);
  return null;
}

/** Query and form fields together (the spec's swagger puts POST fields in the query; clients send a form). */
function fieldsOf(request: FastifyRequest): Fields {
  if (request.headers['content-type']?.toLowerCase().startsWith('multipart/')) {
    throw new DomainError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the fields as application/x-www-form-urlencoded; media goes by media_url');
  }
  const query = (request.query ?? {}) as Fields;
  const body = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new DomainError('ERR_GEOREPORT_FIELD_INVALID', 'body: send the fields form-encoded (application/x-www-form-urlencoded)', { field: 'body' });
  }
  const form = (body ?? {}) as Fields;
  const twice = Object.keys(query).find((k) => Object.hasOwn(form, k));
  if (twice !== undefined) throw new DomainError('ERR_GEOREPORT_FIELD_INVALID', `${twice}: given more than once`, { field: twice });
  return { ...query, ...form };
}

const localeOf = (fields: Fields) => parseLocale(fields['locale']);

type FileParams = { Params: { file: string } };

/**
 * Open311 GeoReport v2 at /open311/v2 (docs/OPEN311.md), with the page/page_size extension and FixMyStreet's
 * servicerequestupdates. Its own errors (the spec's list), its own form parser, its own auth (api_key).
 */
export const open311Routes = (platform: Platform): FastifyPluginAsync => async (app: FastifyInstance) => {
  const deps = platform.open311;
  await app.register(formbody, { bodyLimit: platform.config.BODY_LIMIT_BYTES });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const domain = toDomain(error);
    if (domain) return sendError(reply, formatOfUrl(request.url), domain);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, formatOfUrl(request.url), new DomainError('ERR_INTERNAL', errorCatalogue.ERR_INTERNAL.message));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    return sendError(reply, formatOfUrl(request.url), new DomainError('ERR_ROUTE_NOT_FOUND', `No endpoint ${request.method} ${path.slice(0, 200)}`));
  });

  const discovery = (request: FastifyRequest) => {
    const endpoint = {
      specification: SPECIFICATION,
      url: `${request.protocol}://${request.host}/open311/v2`,
      changeset: CHANGESET,
      type: 'production',
      formats: ['application/json', 'text/xml'],
    };
    const about = {
      changeset: CHANGESET,
      contact: 'The operator of this Tyndau installation (docs/OPEN311.md)',
      key_service: 'Reading is open to all. To file requests, ask the operator for an API key (tyndau apikeys create --name <client>).',
    };
    return {
      json: { ...about, endpoints: [endpoint] },
      xml: { discovery: { ...about, endpoints: { endpoint: [{ ...endpoint, formats: { format: endpoint.formats } }] } } },
    };
  };

  const getHidden = { schema: { hide: true } };

  app.get<FileParams>('/:file', getHidden, async (request, reply) => {
    const { name, format } = splitResource(request.params.file);
    const now = platform.clock.now();
    switch (name) {
      case 'discovery': {
        checkPlainQuery(request.query, deps.places);
        const d = discovery(request);
        return send(reply, format, 200, d.json, d.xml);
      }
      case 'services': {
        checkPlainQuery(request.query, deps.places);
        const services = listServices(deps.catalog.categories.filter((c) => deps.catalog.hasCategory(c.code)), localeOf(request.query as Fields));
        return sendList(reply, format, 'services', 'service', services);
      }
      case 'requests': {
        const query = parseRequestsQuery(request.query, now, { isService: (c) => isOfferedService(deps, c), places: deps.places });
        return sendList(reply, format, 'service_requests', 'request', await listRequests(deps, query, localeOf(request.query as Fields)));
      }
      case 'servicerequestupdates': {
        const updates = await listUpdates(deps, parseUpdatesQuery(request.query, now, deps.places));
        return sendList(reply, format, 'service_request_updates', 'request_update', updates);
      }
      default:
        throw new DomainError('ERR_ROUTE_NOT_FOUND', `No endpoint GET /open311/v2/${name.slice(0, 100)}.${format}`);
    }
  });

  app.post<FileParams>('/:file', getHidden, async (request, reply) => {
    const { name, format } = splitResource(request.params.file);
    if (name !== 'requests' && name !== 'servicerequestupdates') {
      throw new DomainError('ERR_ROUTE_NOT_FOUND', `No endpoint POST /open311/v2/${name.slice(0, 100)}.${format}`);
    }
    const fields = fieldsOf(request);
    // The spec's order: no (or a bad) api_key is 403 before anything else is looked at.
    const client = await authenticateClient(platform.identity, apiKeyOf(fields));
    if (name === 'requests') {
      const created = await fileRequest(deps, client, parseCreateRequest(fields, deps.places), localeOf(fields));
      // No account_id: the platform keeps no account for the client's user.
      return sendList(reply, format, 'service_requests', 'request', [created]);
    }
    const update = await postUpdate(deps, client, parseUpdate(fields));
    return sendList(reply, format, 'service_request_updates', 'request_update', [update]);
  });

  app.get<FileParams>('/services/:file', getHidden, async (request, reply) => {
    const { name, format } = splitResource(request.params.file);
    checkPlainQuery(request.query, deps.places);
    if (!isOfferedService(deps, name)) throw new DomainError('ERR_GEOREPORT_SERVICE_NOT_FOUND', undefined, { service_code: name.slice(0, 100) });
    const definition = serviceDefinition(name);
    return send(reply, format, 200, definition, { service_definition: { service_code: definition.service_code, attributes: { attribute: definition.attributes } } });
  });

  app.get<FileParams>('/requests/:file', getHidden, async (request, reply) => {
    const { name, format } = splitResource(request.params.file);
    checkPlainQuery(request.query, deps.places);
    return sendList(reply, format, 'service_requests', 'request', [await getRequest(deps, name, localeOf(request.query as Fields))]);
  });

  app.get<FileParams>('/tokens/:file', getHidden, async (request, reply) => {
    const { name, format } = splitResource(request.params.file);
    checkPlainQuery(request.query, deps.places);
    return sendList(reply, format, 'service_requests', 'request', [await requestOfToken(deps, name)]);
  });
};
