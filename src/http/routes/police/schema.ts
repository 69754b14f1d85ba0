import { Type } from 'typebox';
import { AttachmentResponse, IdempotencyHeaders, ReceiptResponse } from '../cases/schema.ts';

/** The text fields of the multipart form (each at most once); files go in FILE_FIELD. */
export const REPORT_FIELDS = ['text', 'lat', 'lon', 'category', 'urgency', 'anonymous', 'address', 'occurredAt'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];
export const FILE_FIELD = 'files';

export const ReportHeaders = IdempotencyHeaders;

export const PoliceReceiptResponse = Type.Object({
  ...ReceiptResponse.properties,
  attachments: Type.Array(AttachmentResponse, { description: 'The evidence stored, each with its SHA-256 and EXIF facts beside the reported ones' }),
});

export const REPORT_FORM_DESCRIPTION = [
  'multipart/form-data with the fields:',
  '`text` (required: what happened), `lat` and `lon` (required: WGS84, inside Kazakhstan),',
  '`category` (a taxonomy code; the classifier decides when absent), `urgency` (emergency | urgent | normal: it can only raise',
  'what the classifier reads), `anonymous` (true: allowed only for a report of a crime), `address`,',
  '`occurredAt` (ISO 8601 with zone: when it happened), and up to 5 files in `files`',
  '(photos ≤ 10 MB, videos ≤ 100 MB; the type is sniffed from the bytes, never the name).',
  'Without `anonymous` the reporter must be signed in unless the report is of a crime.',
].join(' ');
