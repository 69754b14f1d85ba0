import type { CaseAttachment, CaseEvent, CaseMessage, CaseRecord } from '../core/model.ts';
import type { Deadline } from '../core/sla/deadline-rules.ts';

/** Row ↔ record mapping for the case tables: the only place that knows the column names. */
export interface CaseRow {
  id: string;
  registration_number: string;
  channel: string;
  kind: string;
  category: string;
  urgency: string;
  language: string;
  text: string;
  lat: number | null;
  lon: number | null;
  address: string | null;
  city: string | null;
  district_id: string | null;
  applicant_id: string | null;
  anonymous: boolean;
  organisation_id: string;
  assignee_id: string | null;
  state: string;
  state_kind: string;
  confidential: boolean;
  triage: boolean;
  outcome: string | null;
  received_at: Date;
  registered_at: Date;
  due_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  related_case_id: string | null;
  complaint_consent: boolean;
  complaint_about: string | null;
  contested_official_id: string | null;
}

export const CASE_COLUMNS =
  'id, registration_number, channel, kind, category, urgency, language, text, lat, lon, address, city, district_id, ' +
  'applicant_id, anonymous, organisation_id, assignee_id, state, state_kind, confidential, triage, outcome, ' +
  'received_at, registered_at, due_at, closed_at, created_at, updated_at, version, related_case_id, complaint_consent, ' +
  'complaint_about, contested_official_id';
export const CASE_COLUMN_COUNT = CASE_COLUMNS.split(',').length;

export function caseFromRow(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    registrationNumber: r.registration_number,
    channel: r.channel as CaseRecord['channel'],
    kind: r.kind as CaseRecord['kind'],
    category: r.category,
    urgency: r.urgency as CaseRecord['urgency'],
    language: r.language as CaseRecord['language'],
    text: r.text,
    location: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
    address: r.address,
    city: r.city,
    districtId: r.district_id,
    applicantId: r.applicant_id,
    anonymous: r.anonymous,
    organisationId: r.organisation_id,
    assigneeId: r.assignee_id,
    state: r.state,
    stateKind: r.state_kind as CaseRecord['stateKind'],
    confidential: r.confidential,
    triage: r.triage,
    outcome: r.outcome as CaseRecord['outcome'],
    receivedAt: r.received_at,
    registeredAt: r.registered_at,
    dueAt: r.due_at,
    closedAt: r.closed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    relatedCaseId: r.related_case_id,
    complaintConsent: r.complaint_consent,
    complaintAbout: r.complaint_about as CaseRecord['complaintAbout'],
    contestedOfficialId: r.contested_official_id,
  };
}

/** Parameters in CASE_COLUMNS order (tracking_code_hash is written separately). */
export function caseParams(c: CaseRecord): unknown[] {
  return [
    c.id, c.registrationNumber, c.channel, c.kind, c.category, c.urgency, c.language, c.text,
    c.location?.lat ?? null, c.location?.lon ?? null, c.address, c.city, c.districtId,
    c.applicantId, c.anonymous, c.organisationId, c.assigneeId, c.state, c.stateKind, c.confidential, c.triage, c.outcome,
    c.receivedAt, c.registeredAt, c.dueAt, c.closedAt, c.createdAt, c.updatedAt, c.version, c.relatedCaseId, c.complaintConsent,
    c.complaintAbout, c.contestedOfficialId,
  ];
}

export interface DeadlineRow {
  id: number | string;
  case_id: string;
  obligation: string;
  due_at: Date;
  warn_at: Date;
  state: string;
  warned_at: Date | null;
  breached_at: Date | null;
  met_at: Date | null;
  next_check_at: Date | null;
  created_at: Date;
  counting: string;
  original_due_at: Date | null;
  paused_at: Date | null;
}

export const DEADLINE_COLUMNS =
  'id, case_id, obligation, due_at, warn_at, state, warned_at, breached_at, met_at, next_check_at, created_at, counting, original_due_at, paused_at';

export const deadlineFromRow = (r: DeadlineRow): Deadline => ({
  id: Number(r.id),
  caseId: r.case_id,
  obligation: r.obligation as Deadline['obligation'],
  dueAt: r.due_at,
  warnAt: r.warn_at,
  state: r.state as Deadline['state'],
  warnedAt: r.warned_at,
  breachedAt: r.breached_at,
  metAt: r.met_at,
  nextCheckAt: r.next_check_at,
  createdAt: r.created_at,
  counting: r.counting as Deadline['counting'],
  originalDueAt: r.original_due_at,
  pausedAt: r.paused_at,
});

export interface EventRow {
  id: number | string;
  case_id: string;
  type: string;
  actor_id: string | null;
  actor_role: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

export const eventFromRow = (r: EventRow): CaseEvent => ({
  id: Number(r.id),
  caseId: r.case_id,
  type: r.type,
  actorId: r.actor_id,
  actorRole: r.actor_role,
  payload: r.payload,
  occurredAt: r.occurred_at,
});

export interface MessageRow {
  id: string;
  case_id: string;
  author_id: string | null;
  author_role: string;
  visibility: 'dialog' | 'internal';
  body: string;
  created_at: Date;
}

export const messageFromRow = (r: MessageRow): CaseMessage => ({
  id: r.id,
  caseId: r.case_id,
  authorId: r.author_id,
  authorRole: r.author_role,
  visibility: r.visibility,
  body: r.body,
  createdAt: r.created_at,
});

export interface AttachmentRow {
  id: string;
  case_id: string;
  message_id: string | null;
  sha256: string;
  media_type: string;
  size_bytes: number;
  file_name: string;
  uploaded_by: string | null;
  uploader_role: string;
  created_at: Date;
}

export const attachmentFromRow = (r: AttachmentRow): CaseAttachment => ({
  id: r.id,
  caseId: r.case_id,
  messageId: r.message_id,
  sha256: r.sha256,
  mediaType: r.media_type,
  sizeBytes: r.size_bytes,
  fileName: r.file_name,
  uploadedBy: r.uploaded_by,
  uploaderRole: r.uploader_role,
  createdAt: r.created_at,
});
