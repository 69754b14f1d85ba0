/** The domain's vocabulary (docs/GLOSSARY.md): channels, kinds, urgencies, roles, the case itself. */

export const channels = ['appeal', 'police', 'city', 'child', 'social'] as const;
export type Channel = (typeof channels)[number];

export const caseKinds = ['complaint', 'application', 'proposal', 'inquiry', 'feedback'] as const;
export type CaseKind = (typeof caseKinds)[number];

export const urgencies = ['emergency', 'urgent', 'normal'] as const;
export type Urgency = (typeof urgencies)[number];

export const languages = ['kk', 'ru', 'en'] as const;
export type Language = (typeof languages)[number];

export const stateKinds = ['new', 'open', 'waiting', 'closed'] as const;
export type StateKind = (typeof stateKinds)[number];

export const staffRoles = ['registrar', 'head', 'executor', 'controller', 'dispatcher', 'psychologist', 'analyst', 'admin'] as const;
export const roles = ['applicant', ...staffRoles] as const;
export type StaffRole = (typeof staffRoles)[number];
export type Role = (typeof roles)[number];

export const outcomes = ['explained', 'satisfied', 'refused'] as const;
export type Outcome = (typeof outcomes)[number];

export const terminationReasons = [
  'no_substance',
  'repeat_without_new_arguments',
  'anonymous',
  'withdrawn_by_applicant',
  'court_act_exists',
  'administrative_decision_exists',
  'other_legal_ground',
] as const;
export type TerminationReason = (typeof terminationReasons)[number];

export const complaintSubjects = ['silence', 'answer'] as const;
export type ComplaintAbout = (typeof complaintSubjects)[number];

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface CaseRecord {
  id: string;
  registrationNumber: string;
  channel: Channel;
  kind: CaseKind;
  category: string;
  urgency: Urgency;
  language: Language;
  text: string;
  location: GeoPoint | null;
  address: string | null;
  city: string | null;
  districtId: string | null;
  applicantId: string | null;
  anonymous: boolean;
  organisationId: string;
  assigneeId: string | null;
  state: string;
  stateKind: StateKind;
  confidential: boolean;
  /** Sent to the processing centre because no routing rule matched or the category was unknown. */
  triage: boolean;
  outcome: Outcome | null;
  /** The case this one is about: a silence complaint links the appeal that got no answer. */
  relatedCaseId: string | null;
  /** The applicant agrees that silence (no answer in the term) files a complaint to the higher body for them. */
  complaintConsent: boolean;
  /** A complaint is about silence (no answer in the term) or about an answer; null for other cases. */
  complaintAbout: ComplaintAbout | null;
  /** For a complaint about an answer: the official who gave it. */
  contestedOfficialId: string | null;
  receivedAt: Date;
  registeredAt: Date;
  dueAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CaseEvent {
  id: number;
  caseId: string;
  type: string;
  actorId: string | null;
  actorRole: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export type NewCaseEvent = Omit<CaseEvent, 'id'>;

export interface CaseMessage {
  id: string;
  caseId: string;
  authorId: string | null;
  authorRole: string;
  visibility: 'dialog' | 'internal';
  body: string;
  createdAt: Date;
}

export interface CaseAttachment {
  id: string;
  caseId: string;
  messageId: string | null;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  fileName: string;
  uploadedBy: string | null;
  uploaderRole: string;
  createdAt: Date;
  /** A report's evidence (102): what the file's metadata says beside what the reporter said; absent for other files. */
  evidence?: AttachmentEvidence | null;
}

/** When and where a photo was taken (EXIF), beside when and where the reporter says it happened. */
export interface AttachmentEvidence {
  capturedAt: Date | null;
  capturedLocation: GeoPoint | null;
  /** The time of the incident the reporter gave, or when the report was received. */
  reportedAt: Date;
  reportedLocation: GeoPoint | null;
}

export interface Organisation {
  id: string;
  type: string;
  city: string | null;
  districtId: string | null;
  parentId: string | null;
  higherBodyId: string | null;
  names: Record<Language, string>;
}
