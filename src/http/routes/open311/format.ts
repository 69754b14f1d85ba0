import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../core/errors.ts';
import { statusOf } from '../../plugins/errors.ts';

/** GeoReport v2 answers in the format the resource's extension names: .json or .xml (XML is the spec's must). */
export type Format = 'json' | 'xml';

const FORMATS: readonly Format[] = ['json', 'xml'];

/** "services.json" → services, json; no or an unknown extension → the spec's 404. */
export function splitResource(file: string): { name: string; format: Format } {
  const dot = file.lastIndexOf('.');
  const format = dot < 0 ? '' : file.slice(dot + 1);
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new DomainError('ERR_GEOREPORT_FORMAT_NOT_FOUND', undefined, { resource: file.slice(0, 100), formats: FORMATS });
  }
  return { name: file.slice(0, dot), format: format as Format };
}

/** The format of a request's URL for its error, whatever went wrong: JSON unless it asked for XML. */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0] ?? '';
  return path.endsWith('.xml') ? 'xml' : 'json';
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: true });

// Characters XML 1.0 cannot carry at all (stored text has none; a path echoed in an error might).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** XML has no null or boolean: null is an empty element, booleans are words. */
function xmlReady(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.map(xmlReady);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlReady(v)]));
  return value;
}

export const toXml = (document: Record<string, unknown>): string => `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(xmlReady(document)) as string}`;

/**
 * Sends one answer: `json` as it is, or the XML document. Lists in XML are a root element with one child
 * element per item (<services><service>…), which is why each call names both shapes.
 */
export function send(reply: FastifyReply, format: Format, status: number, json: unknown, xml: Record<string, unknown>): FastifyReply {
  if (format === 'xml') return reply.status(status).type('text/xml; charset=utf-8').send(toXml(xml));
  return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(json));
}

export function sendList(reply: FastifyReply, format: Format, root: string, item: string, items: readonly unknown[], status = 200): FastifyReply {
  return send(reply, format, status, items, { [root]: { [item]: items } });
}

/**
 * The spec's error list: [{code, description}] / <errors><error><code/><description/></error></errors>.
 * code is the HTTP status (as the spec's examples); the description starts with our stable error code.
 */
export function sendError(reply: FastifyReply, format: Format, error: DomainError): FastifyReply {
  const status = statusOf(error.code);
  if (error.code === 'ERR_SERVICE_UNAVAILABLE') reply.header('Retry-After', '5');
  const errors = [{ code: status, description: `${error.code}: ${error.message}` }];
  return send(reply, format, status, errors, { errors: { error: errors } });
}
