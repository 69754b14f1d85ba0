import type {
  AttachmentEvidence,
  CaseAttachment,
  CaseEvent,
  CaseKind,
  CaseMessage,
  CaseRecord,
  Channel,
  GeoPoint,
  Language,
  NewCaseEvent,
  Organisation,
  StateKind,
  Urgency,
} from './model.ts';
import type { NewNotification } from './notifications.ts';
import type { ListScope } from './policy.ts';
import type { RoutingRule } from './routing.ts';
import type { Counting, Deadline } from './sla/deadline-rules.ts';
import type { Obligation } from './sla/terms.ts';

/** Interfaces the core needs from the outside world; storage/, geo/, nlp/ and sla/ implement them. */

export interface Clock {
  now(): Date;
}

export interface Classification {
  category: string;
  kind: CaseKind;
  urgency: Urgency;
  /** Calibrated probability of the category. */
  confidence: number;
  /** Below this confidence the case goes to the triage queue with `top` as suggestions. */
  confident: boolean;
  subcategory?: string | null;
  /** The most likely categories, best first. */
  top?: readonly { category: string; probability: number }[];
  /** Urgency rules that fired (a gas smell, a child in danger…). */
  urgencyRules?: readonly string[];
}

export interface Classifier {
  /** Null when the classifier has no opinion; the case then keeps the submitter's category or goes to triage. */
  classify(input: { text: string; language: Language; channel: Channel }): Promise<Classification | null>;
}

/** The index of open cases by text, place and time ("this may already be reported"). */
export interface SimilarCases {
  /** Remembers a newly registered open case. */
  add(record: CaseRecord): void;
  /** Forgets a case whose clock stopped (answered, resolved, closed). */
  close(caseId: string): void;
  similar(query: {
    text: string;
    category?: string | null;
    location?: GeoPoint | null;
    districtId?: string | null;
    at: Date;
    limit?: number;
  }): Promise<readonly { caseId: string; score: number; textSimilarity: number; distanceMeters: number | null }[]>;
}

/** One committed change of a case, as the live feed tells it (an event joined with the case as it is now). */
export interface CaseChange {
  eventId: number;
  caseId: string;
  /** The event type, e.g. case.registered, case.dispatched, case.message_posted. */
  type: string;
  occurredAt: Date;
  organisationId: string;
  /** For a redirect: the organisation the case left, which must hear that it is gone. */
  fromOrganisationId: string | null;
  channel: Channel;
  urgency: Urgency;
  state: string;
  stateKind: StateKind;
  confidential: boolean;
}

export interface LiveFeedFilter {
  organisationId?: string | undefined;
  caseId?: string | undefined;
  channel?: Channel | undefined;
}

/**
 * Committed case changes as they happen, on every node (boards, chats). Delivery is at most once per
 * subscriber and may lag by the poll interval; a subscriber that must not miss anything re-reads on connect.
 */
export interface LiveFeed {
  subscribe(filter: LiveFeedFilter, listener: (change: CaseChange) => void): () => void;
}

/** Where a point lies: in a district, only in a city (outside every district, within the city's extent), or outside the service area. */
export type PlaceOfPoint =
  | { readonly status: 'district'; readonly districtId: string; readonly city: string }
  | { readonly status: 'city'; readonly districtId: null; readonly city: string }
  | { readonly status: 'outside'; readonly districtId: null; readonly city: null };

/** A place named in an address or a message (the gazetteer): its district when the names agree on one, else only the city. */
export interface PlaceOfText {
  districtId: string | null;
  city: string;
  /** The gazetteer entries matched, as written in the text (for the event and for social listening). */
  matched: readonly string[];
}

export interface Locator {
  /** The district that contains the point, or null outside every district. */
  districtAt(point: GeoPoint): { districtId: string; city: string } | null;
  cityOfDistrict(districtId: string): string | null;
  /** The city whose extent holds a point outside every district (src/geo: the city polygon or 500 m around its districts). */
  cityAt?(point: GeoPoint): string | null;
  /** The place an address or a message names (src/geo/gazetteer.ts), within `city` when it is known. */
  districtOfAddress?(text: string, city?: string | null): PlaceOfText | null;
}

export interface LegalClock {
  /**
   * When a case received at `receivedAt` counts as registered, and which first obligation falls due when
   * (both null when no term policy applies).
   */
  schedule(input: { channel: Channel; kind: CaseKind; category: string; urgency: Urgency; receivedAt: Date }): {
    registeredAt: Date;
    /** The year of registration in Kazakhstan time: it numbers the registration series. */
    registrationYear: number;
    dueAt: Date | null;
    obligation: Obligation | null;
    counting: Counting;
  };
}

export interface ReferenceData {
  hasCategory(code: string): boolean;
  organisation(id: string): Organisation | undefined;
  hasDistrict(id: string): boolean;
  routingRules(): readonly RoutingRule[];
  /** The organisation whose triage queue receives cases no rule can route. */
  triageOrganisationId: string;
}

export interface CaseListQuery {
  stateKind?: StateKind | undefined;
  channel?: Channel | undefined;
  category?: string | undefined;
  organisationId?: string | undefined;
  districtId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  triage?: boolean | undefined;
  assigneeId?: string | undefined;
  limit: number;
  cursor?: { createdAt: Date; id: string } | undefined;
}

export interface IdempotentSubmission {
  requestHash: string;
  caseId: string;
  response: Record<string, unknown>;
}

/** Writes that must commit together: a case change and its event, never one without the other. */
export interface Registration {
  record: CaseRecord;
  trackingCodeHash: string | null;
  event: NewCaseEvent;
  idempotency: { principal: string; key: string; requestHash: string; response: Record<string, unknown> } | null;
  /** The first deadline of the case (none when no term applies); written in the same statement. */
  deadline: NewDeadline | null;
}

export interface NewDeadline {
  obligation: Obligation;
  dueAt: Date;
  warnAt: Date;
  counting: Counting;
}

export interface CaseTransaction {
  /** Reads the case and locks it until the transaction ends. */
  lockCase(id: string): Promise<CaseRecord | null>;
  /** Writes the record; fails with ERR_CONCURRENT_UPDATE unless the stored version is record.version - 1. */
  updateCase(record: CaseRecord): Promise<void>;
  appendEvent(event: NewCaseEvent): Promise<void>;
  insertMessage(message: CaseMessage): Promise<void>;
  insertAttachment(attachment: CaseAttachment): Promise<void>;
  /** Records a report's evidence facts (capture vs reported time and point) for an attachment inserted before. */
  insertEvidence(attachment: Pick<CaseAttachment, 'id' | 'caseId' | 'createdAt'>, evidence: AttachmentEvidence): Promise<void>;
  /** Registers a case inside this transaction (the same statement as CaseStore.register). */
  register(registration: Registration): Promise<void>;
  /** Reads and locks the case, or null when it does not exist or another transaction holds it. */
  tryLockCase(id: string): Promise<CaseRecord | null>;
  /** Marks the case's open (or paused) deadlines of these obligations met; returns them as they are now. */
  meetOpenDeadlines(caseId: string, obligations: readonly Obligation[], at: Date): Promise<Deadline[]>;
  /** Adds a deadline to a case (an extension notice, a timer, a new term after reopening). */
  insertDeadline(caseId: string, deadline: NewDeadline, at: Date): Promise<Deadline>;
  /** The case's deadlines, for a caller that holds the case's lock. */
  deadlinesOf(caseId: string): Promise<Deadline[]>;
  /** The case's latest event of one of these types. */
  latestEvent(caseId: string, types: readonly string[]): Promise<CaseEvent | null>;
  /** Records (or replaces) the applicant's rating of the answer. */
  saveRating(rating: { caseId: string; applicantId: string; score: number; comment: string | null; ratedAt: Date }): Promise<void>;
  /**
   * Claims up to `limit` open deadlines whose next check is due, oldest first, locking them until the
   * transaction ends; rows another transaction holds are skipped (several workers never take the same row).
   */
  claimDueDeadlines(now: Date, limit: number): Promise<Deadline[]>;
  /** Writes a deadline's state, due and warning times, timestamps and next check. */
  saveDeadline(deadline: Deadline): Promise<void>;
  /** Puts a notice for the applicant into the outbox; it commits with the step it reports. */
  enqueueNotification(notification: NewNotification, at: Date): Promise<void>;
}

export interface CaseStore {
  transaction<T>(fn: (tx: CaseTransaction) => Promise<T>): Promise<T>;
  /**
   * Writes a new case, its registration event and its idempotency record atomically. 'duplicate' when
   * the idempotency key was taken meanwhile by an identical retry: then nothing was written.
   */
  register(registration: Registration): Promise<'registered' | 'duplicate'>;
  /**
   * Next number of a registration series. Intake takes it outside any transaction, so numbers never
   * serialise intake (gaps are possible); inside a transaction it never fails for a new series.
   */
  nextRegistrationSequence(prefix: string, year: number): Promise<number>;
  get(id: string): Promise<CaseRecord | null>;
  getByRegistrationNumber(number: string): Promise<CaseRecord | null>;
  getByTrackingCodeHash(hash: string): Promise<CaseRecord | null>;
  list(query: CaseListQuery, scope: ListScope): Promise<CaseRecord[]>;
  events(caseId: string): Promise<CaseEvent[]>;
  /** The case's deadlines, in the order they were set. */
  deadlines(caseId: string): Promise<Deadline[]>;
  messages(caseId: string, includeInternal: boolean): Promise<CaseMessage[]>;
  attachments(caseId: string): Promise<CaseAttachment[]>;
  attachment(caseId: string, attachmentId: string): Promise<CaseAttachment | null>;
  findIdempotent(principal: string, key: string): Promise<IdempotentSubmission | null>;
}

export interface StaffDirectory {
  /** Active staff member of exactly this organisation, or null. */
  staffOf(userId: string, organisationId: string): Promise<{ id: string; role: string } | null>;
  findOrCreateCitizen(phone: string, at: Date): Promise<string>;
}

/**
 * Content-addressed bytes: stored once per SHA-256 (local files or an S3 bucket: MEDIA_STORE). A put of a
 * key already there writes nothing; a get checks the bytes against the key (ERR_MEDIA_CORRUPT) and answers
 * null when nothing is stored. A store that cannot be reached fails with ERR_MEDIA_UNAVAILABLE (503).
 */
export interface BlobStore {
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Uint8Array | null>;
}

export interface IdGenerator {
  uuid(): string;
  /**
   * The secret for an anonymous case: derived from the case id with a server key (never stored in clear),
   * high entropy, easy to read aloud and type.
   */
  trackingCodeFor(caseId: string): string;
}
