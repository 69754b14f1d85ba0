/**
 * The error catalogue: every code the platform can return, with the class of failure it belongs to.
 * The core speaks in codes and classes; http/ maps a class to a status. docs/ERRORS.md lists each code
 * and a test keeps them in sync.
 */
export type ErrorClass =
  | 'invalid' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported_type' // 415
  | 'unprocessable' // 422
  | 'too_many' // 429
  | 'unavailable' // 503
  | 'internal'; // 500

export const errorCatalogue = {
  ERR_VALIDATION: { class: 'invalid', message: 'The request does not match the schema' },
  ERR_MALFORMED_JSON: { class: 'invalid', message: 'The body is not valid JSON' },
  ERR_BODY_TOO_LARGE: { class: 'too_large', message: 'The request body is larger than allowed' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { class: 'unsupported_type', message: 'The Content-Type is not accepted here' },
  ERR_ROUTE_NOT_FOUND: { class: 'not_found', message: 'No such endpoint' },
  ERR_TEXT_EMPTY: { class: 'invalid', message: 'The text is empty after normalisation' },
  ERR_TEXT_TOO_LONG: { class: 'invalid', message: 'The text is longer than allowed' },
  ERR_UNKNOWN_CATEGORY: { class: 'invalid', message: 'The category is not in the taxonomy' },
  ERR_UNKNOWN_DISTRICT: { class: 'invalid', message: 'The district is not known' },
  ERR_UNKNOWN_ORGANISATION: { class: 'invalid', message: 'The organisation is not known' },
  ERR_UNKNOWN_CHANNEL: { class: 'invalid', message: 'The channel is not known' },
  ERR_INVALID_LOCATION: { class: 'invalid', message: 'The location is not a valid WGS84 point' },
  ERR_LOCATION_REQUIRED: { class: 'invalid', message: 'A police report needs the point where it happened (lat and lon)' },
  ERR_LOCATION_OUTSIDE_KAZAKHSTAN: { class: 'invalid', message: 'The point lies outside Kazakhstan' },
  ERR_INVALID_PHONE: { class: 'invalid', message: 'The phone number is not a valid Kazakhstan mobile number' },
  ERR_INVALID_CURSOR: { class: 'invalid', message: 'The pagination cursor is not valid' },
  ERR_ANONYMOUS_NOT_ALLOWED: { class: 'invalid', message: 'This channel does not accept anonymous submissions for this category' },
  ERR_IDEMPOTENCY_KEY_INVALID: { class: 'invalid', message: 'The Idempotency-Key header must be 8–128 visible ASCII characters' },
  ERR_IDEMPOTENCY_KEY_REUSED: { class: 'unprocessable', message: 'The Idempotency-Key was already used with a different request' },
  ERR_UNAUTHENTICATED: { class: 'unauthenticated', message: 'Sign in first' },
  ERR_INVALID_CREDENTIALS: { class: 'unauthenticated', message: 'The username or password is wrong' },
  ERR_INVALID_TOKEN: { class: 'unauthenticated', message: 'The token is unknown, expired or revoked' },
  ERR_NOT_A_SESSION: { class: 'invalid', message: 'An API key is not signed out; an admin revokes it (DELETE /api/v1/admin/api-keys/:id)' },
  ERR_INVALID_TRACKING_CODE: { class: 'unauthenticated', message: 'The tracking code is not valid' },
  ERR_BOARD_TICKET_INVALID: { class: 'unauthenticated', message: 'The board ticket is unknown, used or expired; ask for a new one' },
  ERR_OTP_INVALID: { class: 'unauthenticated', message: 'The one-time code is wrong or expired' },
  ERR_OTP_TOO_MANY_ATTEMPTS: { class: 'too_many', message: 'Too many wrong codes; request a new one' },
  ERR_FORBIDDEN: { class: 'forbidden', message: 'Your role or organisation does not allow this' },
  ERR_CASE_NOT_FOUND: { class: 'not_found', message: 'No such case, or it is not visible to you' },
  ERR_USER_NOT_FOUND: { class: 'not_found', message: 'No such user' },
  ERR_API_KEY_NOT_FOUND: { class: 'not_found', message: 'No active API key with this id within your organisations' },
  ERR_ATTACHMENT_NOT_FOUND: { class: 'not_found', message: 'No such attachment on this case' },
  ERR_ACTION_UNKNOWN: { class: 'invalid', message: 'The workflow of this case has no such action' },
  ERR_ACTION_NOT_ALLOWED_IN_STATE: { class: 'conflict', message: 'The action cannot be taken in the current state' },
  ERR_ACTION_NOT_ALLOWED_FOR_ROLE: { class: 'forbidden', message: 'Your role may not take this action' },
  ERR_ACTION_INPUT: { class: 'invalid', message: 'The action needs more input' },
  ERR_ASSIGNEE_INVALID: { class: 'invalid', message: 'The assignee must be active staff of the responsible organisation' },
  ERR_CASE_CLOSED: { class: 'conflict', message: 'The case is closed' },
  ERR_CONCURRENT_UPDATE: { class: 'conflict', message: 'The case changed meanwhile; reload and try again' },
  ERR_REDIRECT_WINDOW_CLOSED: { class: 'conflict', message: 'The redirect window (working days after registration) has closed; the body answers on the merits' },
  ERR_EXTENSION_NOT_AVAILABLE: { class: 'conflict', message: 'This case has no answer term that can be extended' },
  ERR_EXTENSION_TOO_LATE: { class: 'conflict', message: 'The term is already over (or paused); it can no longer be extended' },
  ERR_EXTENSION_DATE_INVALID: { class: 'invalid', message: 'The new due date must be a later working day' },
  ERR_EXTENSION_LIMIT: { class: 'unprocessable', message: 'Extensions may not total more than the legal maximum' },
  ERR_RESPOND_BY_INVALID: { class: 'invalid', message: "The applicant's deadline must be a working day after today" },
  ERR_HEARING_REQUIRED: { class: 'conflict', message: 'An adverse decision needs a hearing notice to the applicant first' },
  ERR_HEARING_PERIOD_RUNNING: { class: 'conflict', message: 'The applicant may still comment on the preliminary decision' },
  ERR_OUTCOME_NOT_ALLOWED: { class: 'invalid', message: 'This action does not allow this outcome' },
  ERR_PROOF_REQUIRED: { class: 'unprocessable', message: 'Closing needs proof: a photo or an act uploaded by staff' },
  ERR_PROOF_INVALID: { class: 'invalid', message: 'Proof must be an image or PDF attached to this case by staff' },
  ERR_NOT_FIXED_WINDOW_CLOSED: { class: 'conflict', message: 'The days to report a case not fixed are over' },
  ERR_NOT_ANSWERED: { class: 'conflict', message: 'The case has no answer yet' },
  ERR_COMPLAINT_NOT_AVAILABLE: { class: 'conflict', message: "This case's answer cannot be complained about here" },
  ERR_COMPLAINT_EXISTS: { class: 'conflict', message: 'A complaint about this answer is already being considered' },
  ERR_NO_HIGHER_BODY: { class: 'unprocessable', message: 'The organisation has no higher body to complain to' },
  ERR_SURVEY_NOT_AVAILABLE: { class: 'conflict', message: 'No survey is open for this case' },
  ERR_ATTACHMENT_EMPTY: { class: 'invalid', message: 'The file is empty' },
  ERR_ATTACHMENT_TOO_LARGE: { class: 'too_large', message: 'The file is larger than allowed' },
  ERR_ATTACHMENT_TYPE: { class: 'unsupported_type', message: 'The file type (sniffed from its bytes) is not accepted' },
  ERR_ATTACHMENT_COUNT: { class: 'invalid', message: 'Too many files in one report' },
  ERR_MEDIA_UNAVAILABLE: { class: 'unavailable', message: 'The media store cannot be reached; retry later' },
  ERR_MEDIA_CORRUPT: { class: 'unavailable', message: 'The stored file does not match its SHA-256; it cannot be served' },
  ERR_THUMBNAIL_UNSUPPORTED: { class: 'unsupported_type', message: 'This file has no thumbnail: only JPEG, PNG, WebP, GIF, AVIF and TIFF images do' },
  ERR_IMAGE_TOO_MANY_PIXELS: { class: 'unprocessable', message: 'The image declares more pixels than a thumbnail is made from' },
  ERR_IMAGE_UNREADABLE: { class: 'unprocessable', message: 'The image cannot be decoded' },
  ERR_ARTICLE_NOT_FOUND: { class: 'not_found', message: 'No such knowledge-base article, or it is not visible to you' },
  ERR_ARTICLE_NOT_SENDABLE: { class: 'unprocessable', message: 'This article is guidance for staff and is not sent to applicants' },
  ERR_UNKNOWN_SCHOOL: { class: 'invalid', message: 'The school code is not known' },
  ERR_SCHOOL_NOT_FOUND: { class: 'not_found', message: 'No school with this code' },
  ERR_CHAT_NOT_AVAILABLE: { class: 'conflict', message: 'This case has no live chat: only child cases do' },
  ERR_CHAT_TICKET_INVALID: { class: 'unauthenticated', message: 'The chat ticket is unknown, expired, already used or for another case' },
  ERR_ON_CALL_SHIFT_INVALID: { class: 'invalid', message: 'The on-call shift is not valid' },
  ERR_ON_CALL_SHIFT_NOT_FOUND: { class: 'not_found', message: 'No such on-call shift in this service' },
  ERR_CALENDAR_DATE_INVALID: { class: 'invalid', message: 'The date must be a real date YYYY-MM-DD from 2000-01-01 to 2100-12-31' },
  ERR_CALENDAR_RANGE_INVALID: { class: 'invalid', message: 'The range must run forward (from ≤ to) and span at most 366 days' },
  ERR_CALENDAR_REASON_INVALID: { class: 'invalid', message: 'A reason of 1–500 characters on one line is required' },
  ERR_CALENDAR_OVERRIDE_NOOP: { class: 'conflict', message: 'The day already is what the override would make it' },
  ERR_CALENDAR_OVERRIDE_NOT_FOUND: { class: 'not_found', message: 'No admin override on this date' },
  // Open311 GeoReport v2 (/open311/v2, docs/OPEN311.md): answered as the spec's [{code, description}] list.
  ERR_GEOREPORT_API_KEY_REQUIRED: { class: 'forbidden', message: 'api_key is required to create a request or post an update' },
  ERR_GEOREPORT_API_KEY_INVALID: { class: 'forbidden', message: 'The api_key is unknown, revoked or not an API key' },
  ERR_GEOREPORT_SERVICE_CODE_INVALID: { class: 'invalid', message: 'service_code is missing or is not one of the services (GET services)' },
  ERR_GEOREPORT_SERVICE_NOT_FOUND: { class: 'not_found', message: 'No such service' },
  ERR_GEOREPORT_LOCATION_REQUIRED: { class: 'invalid', message: 'A location is required: lat and long, address_string or address_id' },
  ERR_GEOREPORT_FIELD_INVALID: { class: 'invalid', message: 'A field is unknown, repeated, missing or malformed' },
  ERR_GEOREPORT_DATE_INVALID: { class: 'invalid', message: 'start_date and end_date must be W3C date-times, in order, at most 90 days apart' },
  ERR_GEOREPORT_PAGING_INVALID: { class: 'invalid', message: 'page must be a whole number from 1 and page_size from 1 to 1000' },
  ERR_GEOREPORT_STATUS_INVALID: { class: 'invalid', message: 'The status is not one this endpoint accepts' },
  ERR_GEOREPORT_FORMAT_NOT_FOUND: { class: 'not_found', message: 'Unknown format: add .json or .xml to the resource' },
  ERR_GEOREPORT_JURISDICTION_NOT_FOUND: { class: 'not_found', message: 'No such jurisdiction_id (astana, almaty or shymkent)' },
  ERR_GEOREPORT_TOKEN_NOT_FOUND: { class: 'not_found', message: 'No request was filed with this token' },
  ERR_TELEGRAM_DISABLED: { class: 'not_found', message: 'The Telegram door is not configured here' },
  ERR_TELEGRAM_SECRET_MISSING: { class: 'unauthenticated', message: 'The X-Telegram-Bot-Api-Secret-Token header is missing' },
  ERR_TELEGRAM_SECRET_INVALID: { class: 'forbidden', message: 'The X-Telegram-Bot-Api-Secret-Token header is wrong' },
  ERR_TELEGRAM_UPDATE_INVALID: { class: 'invalid', message: 'The body is not a Telegram Bot API Update' },
  // Social listening's ingestion (src/social/, docs/SOCIAL-JSONL.md).
  ERR_SOCIAL_FORMAT_UNKNOWN: { class: 'invalid', message: 'The import format must be jsonl, telegram-export or whatsapp' },
  ERR_SOCIAL_EXPORT_INVALID: { class: 'invalid', message: 'The file is not a readable export of the given format' },
  ERR_SOCIAL_IMPORT_TOO_LARGE: { class: 'too_large', message: 'The export file is larger than SOCIAL_IMPORT_MAX_BYTES' },
  ERR_SOCIAL_POSTS_INVALID: { class: 'invalid', message: 'Some posts of the batch are malformed; nothing was stored' },
  ERR_SOCIAL_TOKEN_INVALID: { class: 'forbidden', message: 'The X-Social-Token header is wrong' },
  ERR_SOCIAL_ISSUE_NOT_FOUND: { class: 'not_found', message: 'No such social issue' },
  ERR_SERVICE_UNAVAILABLE: { class: 'unavailable', message: 'The service is temporarily unavailable; retry later' },
  ERR_INTERNAL: { class: 'internal', message: 'Something went wrong on our side; it has been logged' },
} as const satisfies Record<string, { class: ErrorClass; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? errorCatalogue[code].message);
  }

  get errorClass(): ErrorClass {
    return errorCatalogue[this.code].class;
  }
}

export const fail = (code: ErrorCode, message?: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};
