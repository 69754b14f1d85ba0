import { DomainError } from '../../core/errors.ts';
import { languages, type GeoPoint, type Language } from '../../core/model.ts';

/**
 * Reading Open311's form fields and query strings: every field known, given once, of the right form; a bad
 * one is named in the error. Pure: the route hands in the parsed body or query, this returns typed input.
 */

export type Fields = Readonly<Record<string, unknown>>;

const field = (name: string, message: string): DomainError => new DomainError('ERR_GEOREPORT_FIELD_INVALID', `${name}: ${message}`, { field: name });

/** The fields as single strings (or lists for the repeatable ones); an unknown, repeated or non-text field is an error. */
function readFields(input: unknown, allowed: ReadonlySet<string>, repeatable: ReadonlySet<string> = new Set()): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input)) throw field('body', 'send the fields form-encoded (application/x-www-form-urlencoded)');
  for (const [name, raw] of Object.entries(input as Fields)) {
    if (raw === undefined) continue;
    if (!allowed.has(name)) {
      throw name.startsWith('attribute[') ? field(name, 'no service defines attributes (GET services/{code})') : field(name, 'unknown field');
    }
    const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) throw field(name, 'must be text');
    if (values.length > 1 && !repeatable.has(name)) throw field(name, 'given more than once');
    out.set(name, values.map(String));
  }
  return out;
}

const one = (fields: Map<string, string[]>, name: string): string | undefined => {
  const v = fields.get(name)?.[0]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

function bounded(fields: Map<string, string[]>, name: string, max: number, pattern?: RegExp): string | undefined {
  const v = one(fields, name);
  if (v === undefined) return undefined;
  if (v.length > max) throw field(name, `at most ${max} characters`);
  if (pattern && !pattern.test(v)) throw field(name, 'malformed');
  return v;
}

/** The api_key of a form or query: absent is undefined (the caller answers 403). */
export function apiKeyOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const raw = (input as Fields)['api_key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw field('api_key', 'given more than once');
  return raw.trim() || undefined;
}

export function parseLocale(value: unknown): Language {
  if (value === undefined) return 'en';
  if (typeof value !== 'string' || !(languages as readonly string[]).includes(value)) throw field('locale', 'kk, ru or en');
  return value as Language;
}

// ---------------------------------------------------------------------------------------------
// POST requests

const CREATE_FIELDS = new Set([
  'api_key', 'jurisdiction_id', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'email', 'device_id',
  'account_id', 'first_name', 'last_name', 'phone', 'description', 'media_url', 'locale',
]);

/** Kazakhstan's bounding box: a point outside it is not one of ours (and most likely swapped lat/long). */
const KAZAKHSTAN = { minLat: 40.5, maxLat: 55.5, minLon: 46.4, maxLon: 87.4 };
const DECIMAL = /^[+-]?\d{1,3}(?:\.\d{1,15})?$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const PHONE = /^[+\d\s().-]{3,32}$/;

export interface PlaceContext {
  hasDistrict(id: string): boolean;
  cityOfDistrict(id: string): string | null;
  jurisdictions: ReadonlySet<string>;
}

/** Places as Open311 names them: address_id is a district id, jurisdiction_id a city (from the district data). */
export function placeContext(districts: readonly { id: string; city: string }[]): PlaceContext {
  const cityOf = new Map(districts.map((d) => [d.id, d.city]));
  return { hasDistrict: (id) => cityOf.has(id), cityOfDistrict: (id) => cityOf.get(id) ?? null, jurisdictions: new Set(cityOf.values()) };
}

export interface CreateRequestInput {
  serviceCode: string;
  description: string;
  location?: GeoPoint;
  address?: string;
  districtId?: string;
  city?: string;
  mediaUrl?: string;
}

export function parseJurisdiction(value: string | undefined, ctx: PlaceContext): string | undefined {
  if (value === undefined) return undefined;
  if (!ctx.jurisdictions.has(value)) throw new DomainError('ERR_GEOREPORT_JURISDICTION_NOT_FOUND', undefined, { jurisdiction_id: value });
  return value;
}

function parsePoint(fields: Map<string, string[]>): GeoPoint | undefined {
  const lat = one(fields, 'lat');
  const lon = one(fields, 'long');
  if (lat === undefined && lon === undefined) return undefined;
  if (lat === undefined || lon === undefined) throw new DomainError('ERR_INVALID_LOCATION', 'lat and long come together', { lat: lat ?? null, long: lon ?? null });
  if (!DECIMAL.test(lat) || !DECIMAL.test(lon)) throw new DomainError('ERR_INVALID_LOCATION', 'lat and long must be decimal degrees (WGS84)', { lat, long: lon });
  const point = { lat: Number(lat), lon: Number(lon) };
  if (Math.abs(point.lat) > 90 || Math.abs(point.lon) > 180) throw new DomainError('ERR_INVALID_LOCATION', undefined, { lat, long: lon });
  const k = KAZAKHSTAN;
  if (point.lat < k.minLat || point.lat > k.maxLat || point.lon < k.minLon || point.lon > k.maxLon) {
    throw new DomainError('ERR_INVALID_LOCATION', 'The point is outside Kazakhstan (lat and long swapped?)', { lat, long: lon });
  }
  return point;
}

export function parseMediaUrl(value: string | undefined, name = 'media_url'): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > 2000 || /\s/.test(value)) throw field(name, 'a URL of at most 2000 characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw field(name, 'not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw field(name, 'an http or https URL');
  return url.href;
}

/**
 * A new request's fields. The contact fields (email, phone, names, device and account ids) are checked and
 * then dropped: the platform keeps no personal data from a third-party client (docs/OPEN311.md).
 */
export function parseCreateRequest(input: unknown, ctx: PlaceContext): CreateRequestInput {
  const fields = readFields(input, CREATE_FIELDS, new Set(['media_url']));
  const serviceCode = one(fields, 'service_code');
  if (serviceCode === undefined) throw new DomainError('ERR_GEOREPORT_SERVICE_CODE_INVALID', 'service_code is required');
  if (serviceCode.length > 100) throw new DomainError('ERR_GEOREPORT_SERVICE_CODE_INVALID', undefined, { service_code: serviceCode.slice(0, 100) });
  const jurisdiction = parseJurisdiction(bounded(fields, 'jurisdiction_id', 100), ctx);
  const location = parsePoint(fields);
  const address = bounded(fields, 'address_string', 500);
  const districtId = bounded(fields, 'address_id', 100);
  if (districtId !== undefined && !ctx.hasDistrict(districtId)) throw new DomainError('ERR_UNKNOWN_DISTRICT', 'address_id must be a district id (docs/OPEN311.md)', { address_id: districtId });
  const districtCity = districtId === undefined ? null : ctx.cityOfDistrict(districtId);
  if (jurisdiction !== undefined && districtCity !== null && districtCity !== jurisdiction) throw field('address_id', `the district is not in ${jurisdiction}`);
  if (!location && !address && !districtId) throw new DomainError('ERR_GEOREPORT_LOCATION_REQUIRED');
  bounded(fields, 'email', 254, EMAIL);
  bounded(fields, 'phone', 32, PHONE);
  for (const name of ['first_name', 'last_name', 'device_id', 'account_id']) bounded(fields, name, 100);
  const description = one(fields, 'description');
  // A case is its text: the spec leaves description optional, this jurisdiction needs it.
  if (description === undefined) throw field('description', 'required (what is wrong, where)');
  const media = (fields.get('media_url') ?? []).filter((v) => v.trim() !== '');
  if (media.length > 1) throw field('media_url', 'one URL per request');
  const mediaUrl = parseMediaUrl(media[0]?.trim());
  const city = districtCity ?? jurisdiction;
  return {
    serviceCode,
    description,
    ...(location ? { location } : {}),
    ...(address ? { address } : {}),
    ...(districtId ? { districtId } : {}),
    ...(city ? { city } : {}),
    ...(mediaUrl ? { mediaUrl } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Dates, windows and pages

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 90;
export const MAX_PAGE_SIZE = 1000;

/**
 * A W3C date-time (ISO 8601 with a zone, as the spec asks) or a bare date (midnight in Kazakhstan, UTC+5).
 * A '+' of the offset that arrived unescaped in a query string reads as a space: it is taken back.
 */
export function parseW3cDate(name: string, raw: string): Date {
  const text = raw.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  const m = W3C.exec(text);
  const bad = () => new DomainError('ERR_GEOREPORT_DATE_INVALID', `${name} is not a W3C date-time (e.g. 2026-11-25T10:00:00+05:00)`, { [name]: raw.slice(0, 64) });
  if (!m) throw bad();
  const [, y, mo, d, h = '00', mi = '00', s = '00', , zone = '+05:00'] = m;
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  const offsetHours = zone === 'Z' ? 0 : Number(zone.slice(1, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || offsetHours > 14) throw bad();
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${m[7] ?? ''}${zone}`);
  if (Number.isNaN(at.getTime()) || Number(y) < 1970) throw bad();
  return at;
}

export interface Window {
  from: Date;
  to: Date;
}

/** start_date / end_date: by default the last 90 days; a range runs forward and spans at most 90 days. */
export function parseWindow(start: string | undefined, end: string | undefined, now: Date): Window {
  const span = MAX_WINDOW_DAYS * DAY_MS;
  const from = start === undefined ? undefined : parseW3cDate('start_date', start);
  const to = end === undefined ? undefined : parseW3cDate('end_date', end);
  if (from && to) {
    if (to.getTime() <= from.getTime()) throw new DomainError('ERR_GEOREPORT_DATE_INVALID', 'end_date must be after start_date');
    if (to.getTime() - from.getTime() > span) throw new DomainError('ERR_GEOREPORT_DATE_INVALID', `start_date and end_date may not span more than ${MAX_WINDOW_DAYS} days`);
    return { from, to };
  }
  if (from) return { from, to: new Date(from.getTime() + span) };
  if (to) return { from: new Date(to.getTime() - span), to };
  return { from: new Date(now.getTime() - span), to: new Date(now.getTime() + 1) };
}

export interface Page {
  page: number;
  pageSize: number;
}

const WHOLE = /^\d{1,7}$/;

/** The page / page_size extension: pages count from 1; a page holds at most 1,000 (the spec's limit). */
export function parsePage(page: string | undefined, pageSize: string | undefined): Page {
  const bad = () => new DomainError('ERR_GEOREPORT_PAGING_INVALID', undefined, { page: page ?? null, page_size: pageSize ?? null, maxPageSize: MAX_PAGE_SIZE });
  const p = page === undefined ? 1 : WHOLE.test(page) ? Number(page) : NaN;
  const size = pageSize === undefined ? MAX_PAGE_SIZE : WHOLE.test(pageSize) ? Number(pageSize) : NaN;
  if (!(p >= 1) || !(size >= 1 && size <= MAX_PAGE_SIZE)) throw bad();
  return { page: p, pageSize: size };
}

// ---------------------------------------------------------------------------------------------
// GET requests, GET servicerequestupdates

const REQUESTS_QUERY = new Set(['api_key', 'jurisdiction_id', 'service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'page', 'page_size', 'locale']);
const MAX_IDS = 200;

export interface RequestsQuery {
  /** service_request_id: when given, it overrides every other filter (the spec's rule). */
  ids: string[] | null;
  serviceCodes: string[] | null;
  statuses: ('open' | 'closed')[] | null;
  city: string | null;
  window: Window;
  page: Page;
}

const list = (value: string | undefined): string[] | null =>
  value === undefined ? null : [...new Set(value.split(',').map((v) => v.trim()).filter((v) => v !== ''))];

export function parseRequestsQuery(query: unknown, now: Date, ctx: { isService(code: string): boolean; places: PlaceContext }): RequestsQuery {
  const fields = readFields(query, REQUESTS_QUERY);
  const ids = list(bounded(fields, 'service_request_id', MAX_IDS * 40));
  if (ids && ids.length > MAX_IDS) throw field('service_request_id', `at most ${MAX_IDS} ids`);
  const serviceCodes = list(bounded(fields, 'service_code', 4000));
  const unknown = serviceCodes?.find((c) => !ctx.isService(c));
  if (unknown !== undefined) throw new DomainError('ERR_GEOREPORT_SERVICE_CODE_INVALID', undefined, { service_code: unknown.slice(0, 100) });
  const statuses = list(bounded(fields, 'status', 100));
  const badStatus = statuses?.find((s) => s !== 'open' && s !== 'closed');
  if (badStatus !== undefined) throw new DomainError('ERR_GEOREPORT_STATUS_INVALID', 'status is open, closed or both (comma-separated)', { status: badStatus.slice(0, 40) });
  return {
    ids,
    serviceCodes,
    statuses: statuses as ('open' | 'closed')[] | null,
    city: parseJurisdiction(bounded(fields, 'jurisdiction_id', 100), ctx.places) ?? null,
    window: parseWindow(one(fields, 'start_date'), one(fields, 'end_date'), now),
    page: parsePage(one(fields, 'page'), one(fields, 'page_size')),
  };
}

const UPDATES_QUERY = new Set(['api_key', 'jurisdiction_id', 'start_date', 'end_date', 'page', 'page_size', 'locale']);

export function parseUpdatesQuery(query: unknown, now: Date, places: PlaceContext): { window: Window; page: Page; city: string | null } {
  const fields = readFields(query, UPDATES_QUERY);
  return {
    window: parseWindow(one(fields, 'start_date'), one(fields, 'end_date'), now),
    page: parsePage(one(fields, 'page'), one(fields, 'page_size')),
    city: parseJurisdiction(bounded(fields, 'jurisdiction_id', 100), places) ?? null,
  };
}

/** Query strings of the other GET resources: only jurisdiction_id, api_key and locale. */
export function checkPlainQuery(query: unknown, places: PlaceContext): void {
  const fields = readFields(query, new Set(['api_key', 'jurisdiction_id', 'locale']));
  parseJurisdiction(bounded(fields, 'jurisdiction_id', 100), places);
}

// ---------------------------------------------------------------------------------------------
// POST servicerequestupdates (FixMyStreet)

const UPDATE_FIELDS = new Set([
  'api_key', 'jurisdiction_id', 'service_request_id', 'update_id', 'status', 'updated_datetime', 'description', 'email',
  'phone', 'first_name', 'last_name', 'title', 'media_url', 'account_id', 'service_code', 'service_request_id_ext',
  'public_anonymity_required', 'email_alerts_requested', 'locale',
]);

export const UPDATE_STATUSES = [
  'OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'ACTION_SCHEDULED', 'INVESTIGATING', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION', 'INTERNAL_REFERRAL', 'REOPEN', 'FOR_TRIAGE',
] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

export interface UpdateInput {
  serviceRequestId: string;
  updateId: string;
  status: UpdateStatus;
  updatedAt: Date;
  description: string;
  mediaUrl?: string;
}

/** An update from the client's side (its user's comment, "still not fixed", "fixed, thanks"). */
export function parseUpdate(input: unknown): UpdateInput {
  const fields = readFields(input, UPDATE_FIELDS, new Set(['media_url']));
  const required = (name: string, max: number): string => {
    const v = bounded(fields, name, max);
    if (v === undefined) throw field(name, 'required');
    return v;
  };
  const serviceRequestId = required('service_request_id', 64);
  const updateId = required('update_id', 100);
  const status = required('status', 40).toUpperCase();
  if (!(UPDATE_STATUSES as readonly string[]).includes(status)) {
    throw new DomainError('ERR_GEOREPORT_STATUS_INVALID', `status is one of ${UPDATE_STATUSES.join(', ')}`, { status: status.slice(0, 40) });
  }
  const updatedAt = parseW3cDate('updated_datetime', required('updated_datetime', 64));
  const description = required('description', 100_000);
  bounded(fields, 'email', 254, EMAIL);
  bounded(fields, 'phone', 32, PHONE);
  for (const name of ['first_name', 'last_name', 'title', 'account_id', 'service_code', 'service_request_id_ext', 'jurisdiction_id']) bounded(fields, name, 100);
  for (const name of ['public_anonymity_required', 'email_alerts_requested']) bounded(fields, name, 5, /^(TRUE|FALSE|true|false)$/);
  const media = (fields.get('media_url') ?? []).filter((v) => v.trim() !== '');
  if (media.length > 1) throw field('media_url', 'one URL per update');
  const mediaUrl = parseMediaUrl(media[0]?.trim());
  return { serviceRequestId, updateId, status: status as UpdateStatus, updatedAt, description, ...(mediaUrl ? { mediaUrl } : {}) };
}
