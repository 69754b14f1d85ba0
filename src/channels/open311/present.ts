import type { Language } from '../../core/model.ts';
import type { PublicCaseRow, PublicStepRow } from '../../storage/open311-store.ts';
import { maskPii } from '../../nlp/pii.ts';
import { describeStep, requestStatus, updateStatus, type ExtendedStatus } from './status.ts';

/**
 * The public view of a case, as GeoReport v2 and FixMyStreet's updates show it. Only what the public
 * may see: no applicant, no tracking code; text, address and staff notes masked of personal data.
 */

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface PresentContext {
  locale: Language;
  serviceName(code: string, locale: Language): string | null;
  organisationName(id: string, locale: Language): string | null;
}

/** The spec's limit on description; longer texts end with an ellipsis. */
const MAX_DESCRIPTION = 4000;
const MEDIA_LINE = 'media_url: ';
const MEDIA_AT_END = /\n*media_url: (https?:\/\/\S+)\s*$/;

/** A request's text as stored: the description, and the client's media URL on a line of its own for staff to open. */
export const caseText = (description: string, mediaUrl: string | undefined): string =>
  mediaUrl ? `${description}\n\n${MEDIA_LINE}${mediaUrl}` : description;

/** The description and media URL back out of a stored text. */
export function splitCaseText(text: string): { description: string; mediaUrl: string | null } {
  const m = MEDIA_AT_END.exec(text);
  return m ? { description: text.slice(0, m.index).trimEnd(), mediaUrl: m[1]! } : { description: text, mediaUrl: null };
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Personal data masked; null stays null. A URL with personal data in it is dropped rather than half-masked. */
const masked = (text: string | null, max = MAX_DESCRIPTION): string | null => (text === null ? null : clip(maskPii(text), max));
const safeUrl = (url: string | null): string | null => (url !== null && maskPii(url) === url ? url : null);

export function toOpen311Request(row: PublicCaseRow, ctx: PresentContext): Open311Request {
  const { description, mediaUrl } = splitCaseText(row.text);
  const closed = row.stateKind === 'closed';
  return {
    service_request_id: row.registrationNumber,
    status: requestStatus(row.stateKind),
    status_notes: masked(row.staffNote),
    service_name: ctx.serviceName(row.category, ctx.locale),
    service_code: row.category,
    description: masked(description),
    agency_responsible: ctx.organisationName(row.organisationId, ctx.locale),
    service_notice: null,
    requested_datetime: row.receivedAt.toISOString(),
    // For a closed request the spec wants the time it was closed.
    updated_datetime: (closed && row.closedAt ? row.closedAt : row.updatedAt).toISOString(),
    expected_datetime: row.dueAt ? row.dueAt.toISOString() : null,
    address: masked(row.address, 500),
    address_id: row.districtId,
    zipcode: null,
    lat: row.lat,
    long: row.lon,
    media_url: safeUrl(mediaUrl),
  };
}

/** One entry of GET servicerequestupdates (mySociety's format: every field present, media_url '' when none). */
export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: ExtendedStatus;
  updated_datetime: string;
  description: string;
  media_url: string;
}

export function toOpen311Update(row: PublicStepRow): Open311Update {
  return {
    update_id: row.eventId,
    service_request_id: row.registrationNumber,
    status: updateStatus({ channel: row.channel, payload: row.payload }),
    updated_datetime: row.occurredAt.toISOString(),
    description: masked(row.message) ?? describeStep(row.payload),
    media_url: '',
  };
}

/** What the client hears back on POST requests: the id at once, and when the body must act by. */
export function serviceNotice(registrationNumber: string, organisation: string | null, dueAt: string | null): string {
  const by = organisation ? ` It is with ${organisation}.` : '';
  return `Registered as ${registrationNumber}.${by}${dueAt ? ` Expected by ${dueAt}.` : ''}`;
}
