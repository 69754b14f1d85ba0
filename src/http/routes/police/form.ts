import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../../core/errors.ts';
import { largestEvidence, maxBytesOf, refuseCount, refuseSize, refuseType, type EvidenceKind, type EvidencePolicy, type EvidenceUpload } from '../../../core/evidence.ts';
import { urgencies, type Urgency } from '../../../core/model.ts';
import type { PoliceReport } from '../../../core/police.ts';
import { parseInstant } from '../../presenters/cursor.ts';
import { FILE_FIELD, REPORT_FIELDS, type ReportField } from './schema.ts';

/** file-type's own sample size: the first bytes are enough to know the format. */
const SNIFF_BYTES = 4100;
/** Room for the form's text fields and the multipart boundaries, beside the files. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

export interface FormLimits {
  policy: EvidencePolicy;
  textMaxChars: number;
  sniffType: (bytes: Uint8Array) => Promise<string | null>;
}

/** The most a report can weigh: every file at the largest size, plus the form. */
export const requestCeiling = (policy: EvidencePolicy): number => policy.maxFiles * largestEvidence(policy) + FORM_OVERHEAD_BYTES;

/**
 * A declared body larger than any report can be is refused before a byte of it is read (a 2 GB upload);
 * a body without a length is bounded while it streams (readReportForm).
 */
export function refuseDeclaredSize(request: FastifyRequest, policy: EvidencePolicy): void {
  const declared = Number(request.headers['content-length']);
  const ceiling = requestCeiling(policy);
  if (Number.isFinite(declared) && declared > ceiling) {
    throw new DomainError('ERR_BODY_TOO_LARGE', undefined, { maxBytes: ceiling, declaredBytes: declared });
  }
}

/**
 * Reads one file, refusing as early as possible: the type from its first bytes (an executable stops
 * after 4 KB), then the size against its kind's limit (a photo stops past 10 MB, a video past 100 MB).
 */
async function readEvidence(stream: Readable & { truncated?: boolean }, fileName: string, limits: FormLimits): Promise<EvidenceUpload> {
  const { policy } = limits;
  const chunks: Buffer[] = [];
  // Hashed as it streams in: the evidence hash costs nothing after the last byte.
  const hash = createHash('sha256');
  let size = 0;
  let kind: EvidenceKind | null = null;
  const sniff = async (): Promise<EvidenceKind> => {
    const head = Buffer.concat(chunks, size).subarray(0, SNIFF_BYTES);
    return refuseType(policy, await limits.sniffType(head), fileName);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    hash.update(chunk);
    size += chunk.length;
    if (kind === null && size >= SNIFF_BYTES) kind = await sniff();
    if (size > (kind ? maxBytesOf(policy, kind) : largestEvidence(policy))) refuseSize(policy, kind ?? 'video', size, fileName);
  }
  if (stream.truncated) refuseSize(policy, kind ?? 'video', size + 1, fileName);
  if (size > 0 && kind === null) await sniff();
  return { bytes: Buffer.concat(chunks, size), fileName, sha256: hash.digest('hex') };
}

type Fields = Partial<Record<ReportField, string>>;

const isReportField = (name: string): name is ReportField => (REPORT_FIELDS as readonly string[]).includes(name);

/** The multipart form, read in one pass: text fields, then (or between them) up to the allowed number of files. */
export async function readReportForm(request: FastifyRequest, limits: FormLimits): Promise<{ fields: Fields; files: EvidenceUpload[] }> {
  const { policy } = limits;
  const fields: Fields = {};
  const files: EvidenceUpload[] = [];
  const parts = request.parts({
    limits: {
      // One byte more than any file may be: the door's own check speaks first, with the kind's limit.
      fileSize: largestEvidence(policy) + 1,
      files: policy.maxFiles + 1,
      fields: REPORT_FIELDS.length + 1,
      parts: policy.maxFiles + REPORT_FIELDS.length + 2,
      // A text of TEXT_MAX_CHARS characters may take four bytes each in UTF-8.
      fieldSize: limits.textMaxChars * 4,
    },
  });
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== FILE_FIELD) throw new DomainError('ERR_VALIDATION', `Files go in the "${FILE_FIELD}" field`, { field: part.fieldname });
      refuseCount(policy, files.length + 1);
      files.push(await readEvidence(part.file, part.filename ?? '', limits));
      continue;
    }
    const name = part.fieldname;
    if (!isReportField(name)) throw new DomainError('ERR_VALIDATION', `Unknown form field "${name}"`, { field: name, allowed: [...REPORT_FIELDS, FILE_FIELD] });
    if (fields[name] !== undefined) throw new DomainError('ERR_VALIDATION', `The field "${name}" is given twice`, { field: name });
    if (typeof part.value !== 'string') throw new DomainError('ERR_VALIDATION', `The field "${name}" must be plain text`, { field: name });
    if (part.valueTruncated) {
      if (name === 'text') throw new DomainError('ERR_TEXT_TOO_LONG', undefined, { maxChars: limits.textMaxChars });
      throw new DomainError('ERR_VALIDATION', `The field "${name}" is too long`, { field: name });
    }
    fields[name] = part.value;
  }
  return { fields, files };
}

/** Multipart's own limits, when they speak before the door's checks, in the catalogue's words. */
export function multipartError(err: unknown, policy: EvidencePolicy): DomainError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'FST_FILES_LIMIT') return new DomainError('ERR_ATTACHMENT_COUNT', undefined, { maxFiles: policy.maxFiles });
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new DomainError('ERR_ATTACHMENT_TOO_LARGE', undefined, { maxBytes: largestEvidence(policy) });
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new DomainError('ERR_VALIDATION', 'Too many form fields', { allowed: [...REPORT_FIELDS, FILE_FIELD] });
  return null;
}

const TRUE = new Set(['true', '1', 'on', 'yes']);
const FALSE = new Set(['false', '0', 'off', 'no', '']);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function coordinate(value: string | undefined, name: 'lat' | 'lon'): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!NUMBER.test(value.trim())) throw new DomainError('ERR_INVALID_LOCATION', `${name} is not a number`, { [name]: value.slice(0, 40) });
  return Number(value.trim());
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new DomainError('ERR_VALIDATION', 'anonymous must be true or false', { anonymous: value.slice(0, 20) });
}

function urgency(value: string | undefined): Urgency | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(urgencies as readonly string[]).includes(value)) throw new DomainError('ERR_VALIDATION', 'Unknown urgency', { urgency: value.slice(0, 40), allowed: urgencies });
  return value as Urgency;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A real calendar date and time of day: 31 February is refused, not rolled over into March. */
function realDateTime(m: RegExpExecArray): boolean {
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[7] ?? '0'].map(Number) as [number, number, number, number, number, number];
  return mo >= 1 && mo <= 12 && d >= 1 && d === new Date(Date.UTC(y, mo - 1, d)).getUTCDate() && h <= 23 && mi <= 59 && sec <= 59;
}

function instant(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const m = DATE_TIME.exec(value);
  const at = m && realDateTime(m) ? parseInstant(value) : null;
  if (!at) throw new DomainError('ERR_VALIDATION', 'occurredAt must be an ISO 8601 date-time with its zone', { occurredAt: value.slice(0, 40) });
  return at;
}

/** The form's text fields as the core's report (the files beside them). */
export function toReport(fields: Fields, files: EvidenceUpload[]): PoliceReport {
  if (fields.text === undefined) throw new DomainError('ERR_VALIDATION', 'The field "text" is required', { field: 'text' });
  const lat = coordinate(fields.lat, 'lat');
  const lon = coordinate(fields.lon, 'lon');
  const category = fields.category?.trim();
  const address = fields.address?.trim();
  return {
    text: fields.text,
    location: lat === undefined || lon === undefined ? undefined : { lat, lon },
    category: category || undefined,
    urgency: urgency(fields.urgency?.trim()),
    anonymous: flag(fields.anonymous),
    address: address || undefined,
    occurredAt: instant(fields.occurredAt?.trim()),
    files,
  };
}
