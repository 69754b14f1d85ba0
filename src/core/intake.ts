import { createHash } from 'node:crypto';
import { channelPolicies, formatRegistrationNumber, isConfidentialCategory, isCrimeReport } from './channels.ts';
import { DomainError } from './errors.ts';
import { normalisePhone } from './identity/phone.ts';
import type { CaseKind, CaseRecord, Channel, GeoPoint, Language, NewCaseEvent, Urgency } from './model.ts';
import { urgencies } from './model.ts';
import type { Principal } from './principal.ts';
import { actorOf, isStaff } from './principal.ts';
import { canRegisterOnBehalf } from './policy.ts';
import type {
  CaseStore, CaseTransaction, Classification, Classifier, Clock, IdGenerator, LegalClock, Locator, NewDeadline, ReferenceData, Registration, SimilarCases, StaffDirectory,
} from './ports.ts';
import { warnAtFor } from './sla/deadline-rules.ts';
import { route } from './routing.ts';

export interface Submission {
  channel: Channel;
  text: string;
  category?: string | undefined;
  kind?: CaseKind | undefined;
  urgency?: Urgency | undefined;
  language?: Language | undefined;
  location?: GeoPoint | undefined;
  address?: string | undefined;
  districtId?: string | undefined;
  city?: string | undefined;
  anonymous?: boolean | undefined;
  /** The applicant may ask for confidentiality (e.g. sexual violence); it can only be raised, never lowered. */
  confidential?: boolean | undefined;
  /** Staff registering for somebody else (a walk-in, a phone call): the applicant's phone. */
  applicantPhone?: string | undefined;
  /** Whether silence (no answer in the term) files a complaint to the higher body for the applicant; default yes. */
  complaintConsent?: boolean | undefined;
}

export interface Receipt {
  caseId: string;
  registrationNumber: string;
  channel: Channel;
  category: string;
  triage: boolean;
  organisationId: string;
  state: string;
  receivedAt: string;
  registeredAt: string;
  dueAt: string | null;
  anonymous: boolean;
  /** Only for anonymous cases: the secret that is the only key to the case. */
  trackingCode?: string;
}

export interface IntakeDeps {
  store: CaseStore;
  reference: ReferenceData;
  classifier: Classifier;
  locator: Locator;
  legalClock: LegalClock;
  staff: StaffDirectory;
  clock: Clock;
  ids: IdGenerator;
  normalise: (text: string) => string;
  detectLanguage: (text: string) => Language;
  textMaxChars: number;
  /** Open cases by text, place and time; fed by every registration (optional: not every process keeps one). */
  similarCases?: SimilarCases;
  /** Produces the initial state of a channel's workflow. */
  initialState: (channel: Channel) => { state: string; stateKind: CaseRecord['stateKind'] };
}

export interface IntakeOptions {
  idempotencyKey?: string | undefined;
  /** A door's own rows that must commit with the registration (a report's evidence files). */
  alongside?: Alongside | undefined;
}

export interface Alongside {
  /** What the door adds to the request, for the Idempotency-Key's comparison (e.g. the files' hashes). */
  fingerprint: string;
  /** Runs in the registration's transaction after the case is written; a failure leaves nothing registered. */
  write: (tx: CaseTransaction, record: CaseRecord) => Promise<void>;
}

const raise = (a: Urgency, b: Urgency | undefined): Urgency =>
  b !== undefined && urgencies.indexOf(b) < urgencies.indexOf(a) ? b : a;

function validate(deps: IntakeDeps, s: Submission): string {
  const text = deps.normalise(s.text);
  if (text.length === 0) throw new DomainError('ERR_TEXT_EMPTY');
  if (text.length > deps.textMaxChars) {
    throw new DomainError('ERR_TEXT_TOO_LONG', undefined, { maxChars: deps.textMaxChars, chars: text.length });
  }
  if (s.category !== undefined && !deps.reference.hasCategory(s.category)) {
    throw new DomainError('ERR_UNKNOWN_CATEGORY', undefined, { category: s.category });
  }
  if (s.districtId !== undefined && !deps.reference.hasDistrict(s.districtId)) {
    throw new DomainError('ERR_UNKNOWN_DISTRICT', undefined, { districtId: s.districtId });
  }
  if (s.location && !isValidPoint(s.location)) throw new DomainError('ERR_INVALID_LOCATION', undefined, { location: s.location });
  return text;
}

const isValidPoint = (p: GeoPoint): boolean =>
  Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;

/**
 * Every case is classified. The submitter's category and kind win; the model's guess is recorded beside
 * them. Without a category of their own, a confident guess routes the case, an unsure one sends it to
 * triage with the suggestions.
 */
async function understand(deps: IntakeDeps, s: Submission, text: string, language: Language) {
  const predicted = await deps.classifier.classify({ text, language, channel: s.channel });
  const category = s.category ?? (predicted?.confident ? predicted.category : 'other');
  // Rules and models may raise urgency, never lower what the person said.
  const urgency = raise(predicted?.urgency ?? 'normal', s.urgency);
  const kind = s.kind ?? (predicted?.confident ? predicted.kind : channelPolicies[s.channel].defaultKind);
  return { category, urgency, kind, predicted };
}

/** How intake found the district (recorded in the registration event): given, from the point, or named in the address or text. */
export type LocatedBy = 'given' | 'point' | 'address' | 'text' | 'none';

interface Located {
  place: { districtId: string | null; city: string | null };
  by: LocatedBy;
  /** The gazetteer names matched in the address or text. */
  names: readonly string[];
}

function locate(deps: IntakeDeps, s: Submission, text: string): Located {
  if (s.districtId) return { place: { districtId: s.districtId, city: deps.locator.cityOfDistrict(s.districtId) }, by: 'given', names: [] };
  // A free-text city is cleaned like the text: no NUL (the database refuses it), no bidi or zero-width tricks.
  const city = s.city ? deps.normalise(s.city) || null : null;
  const given: Located = { place: { districtId: null, city }, by: city ? 'given' : 'none', names: [] };
  if (s.location) {
    const found = deps.locator.districtAt(s.location);
    if (found) return { place: found, by: 'point', names: [] };
    const near = deps.locator.cityAt?.(s.location) ?? null;
    return near ? { place: { districtId: null, city: near }, by: 'point', names: [] } : given;
  }
  // No point: the gazetteer reads the address, then the text; a district from either beats the city alone.
  const named = s.address ? deps.locator.districtOfAddress?.(s.address, city) : null;
  if (named?.districtId) return { place: named, by: 'address', names: named.matched };
  const inText = deps.locator.districtOfAddress?.(text, named?.city ?? city);
  if (inText?.districtId) return { place: inText, by: 'text', names: inText.matched };
  // Only a city: the one the person gave stays as written.
  if (city) return given;
  if (named) return { place: named, by: 'address', names: named.matched };
  return inText ? { place: inText, by: 'text', names: inText.matched } : given;
}

async function resolveApplicant(deps: IntakeDeps, principal: Principal, s: Submission, category: string) {
  if (principal.type === 'citizen') return { applicantId: principal.userId, anonymous: false };
  if (isStaff(principal) && s.applicantPhone) {
    if (!canRegisterOnBehalf(principal)) throw new DomainError('ERR_FORBIDDEN', 'Your role may not register cases for others');
    // Normalised like a sign-in phone, so the applicant later signs in as the same citizen.
    return { applicantId: await deps.staff.findOrCreateCitizen(normalisePhone(s.applicantPhone), deps.clock.now()), anonymous: false };
  }
  const policy = channelPolicies[s.channel].anonymous;
  if (policy === 'never' || (policy === 'crime_only' && !isCrimeReport(category))) {
    throw new DomainError('ERR_ANONYMOUS_NOT_ALLOWED', undefined, { channel: s.channel, category });
  }
  return { applicantId: null, anonymous: true };
}

/** JSON with object keys sorted at every depth: a nested field (location) counts as much as a top-level one. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

export function submissionHash(s: Submission, fingerprint?: string): string {
  return createHash('sha256').update(canonicalJson(fingerprint === undefined ? s : { submission: s, fingerprint })).digest('hex');
}

/** The registration and a door's own rows in one transaction; losing an idempotency race writes nothing. */
async function registerAlongside(deps: IntakeDeps, registration: Registration, alongside: Alongside): Promise<'registered' | 'duplicate'> {
  try {
    await deps.store.transaction(async (tx) => {
      await tx.register(registration);
      await alongside.write(tx, registration.record);
    });
    return 'registered';
  } catch (err) {
    const key = registration.idempotency;
    if (key && (await deps.store.findIdempotent(key.principal, key.key))) return 'duplicate';
    throw err;
  }
}

const principalKey = (p: Principal): string =>
  p.type === 'public' ? 'public' : p.type === 'tracking' ? `tracking:${p.caseId}` : `${p.type}:${p.userId}`;

/**
 * The one command every door calls: validate → normalise → understand → locate → route → register
 * (case + event + idempotency record in one transaction) → receipt.
 */
export async function submitCase(deps: IntakeDeps, principal: Principal, s: Submission, options: IntakeOptions = {}): Promise<Receipt> {
  const key = options.idempotencyKey;
  const hash = key ? submissionHash(s, options.alongside?.fingerprint) : '';
  if (key) {
    const earlier = await replay(deps, principalKey(principal), key, hash);
    if (earlier) return earlier;
  }
  const text = validate(deps, s);
  const language = s.language ?? deps.detectLanguage(text);
  const understood = await understand(deps, s, text, language);
  const located = locate(deps, s, text);
  const place = { districtId: located.place.districtId, city: located.place.city };
  const applicant = await resolveApplicant(deps, principal, s, understood.category);
  const rule = route(deps.reference.routingRules(), { category: understood.category, channel: s.channel, ...place });
  const organisationId = rule?.organisationId ?? deps.reference.triageOrganisationId;
  const { record, deadline } = await prepareRegistration(deps, {
    channel: s.channel,
    kind: understood.kind,
    category: understood.category,
    urgency: understood.urgency,
    language,
    text,
    location: s.location ?? null,
    address: s.address ? deps.normalise(s.address).slice(0, 500) || null : null,
    ...place,
    ...applicant,
    organisationId,
    confidential: Boolean(s.confidential) || channelPolicies[s.channel].confidential || isConfidentialCategory(understood.category),
    triage: rule === null || understood.category === 'other',
    relatedCaseId: null,
    complaintConsent: s.complaintConsent ?? true,
    complaintAbout: null,
    contestedOfficialId: null,
  });
  const trackingCode = applicant.anonymous ? deps.ids.trackingCodeFor(record.id) : null;
  const receipt = toReceipt(record);
  const registration: Registration = {
    record,
    trackingCodeHash: trackingCode ? hashTrackingCode(trackingCode) : null,
    event: withLocation(registrationEvent(actorOf(principal), record, rule ? 'rule' : 'triage', understood.predicted), located),
    idempotency: key ? { principal: principalKey(principal), key, requestHash: hash, response: { ...receipt } } : null,
    deadline,
  };
  const outcome = options.alongside ? await registerAlongside(deps, registration, options.alongside) : await deps.store.register(registration);
  if (outcome === 'registered' && !record.confidential) deps.similarCases?.add(record);
  if (outcome === 'duplicate' && key) {
    // An identical retry won the race: this attempt wrote nothing; answer with the winner's case.
    const earlier = await replay(deps, principalKey(principal), key, hash);
    if (earlier) return earlier;
  }
  return trackingCode ? { ...receipt, trackingCode } : receipt;
}

/** What intake has decided about a new case before the clock and the numbering: the same for every door and the worker. */
export type CaseDraft = Pick<
  CaseRecord,
  | 'channel' | 'kind' | 'category' | 'urgency' | 'language' | 'text' | 'location' | 'address' | 'districtId' | 'city'
  | 'applicantId' | 'anonymous' | 'organisationId' | 'confidential' | 'triage' | 'relatedCaseId' | 'complaintConsent'
  | 'complaintAbout' | 'contestedOfficialId'
>;

export type RegistrationDeps = Pick<IntakeDeps, 'store' | 'legalClock' | 'clock' | 'ids' | 'initialState'>;

/**
 * The legal clock and the numbering of a drafted case: its registration moment, first deadline (with its
 * warning at 75% of the term) and registration number. Writes nothing but the number's sequence.
 */
export async function prepareRegistration(deps: RegistrationDeps, draft: CaseDraft): Promise<{ record: CaseRecord; deadline: NewDeadline | null }> {
  const receivedAt = deps.clock.now();
  const schedule = deps.legalClock.schedule({ ...draft, receivedAt });
  const prefix = channelPolicies[draft.channel].registrationPrefix;
  const year = schedule.registrationYear;
  const record: CaseRecord = {
    ...draft,
    id: deps.ids.uuid(),
    registrationNumber: formatRegistrationNumber(prefix, year, await deps.store.nextRegistrationSequence(prefix, year)),
    assigneeId: null,
    ...deps.initialState(draft.channel),
    outcome: null,
    receivedAt,
    registeredAt: schedule.registeredAt,
    dueAt: schedule.dueAt,
    closedAt: null,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    version: 1,
  };
  const deadline =
    schedule.dueAt && schedule.obligation
      ? { obligation: schedule.obligation, dueAt: schedule.dueAt, warnAt: warnAtFor(receivedAt, schedule.dueAt), counting: schedule.counting }
      : null;
  return { record, deadline };
}

export function registrationEvent(
  actor: { actorId: string | null; actorRole: string },
  record: CaseRecord,
  routedBy: 'rule' | 'triage' | 'silence_refusal' | 'answer_complaint',
  predicted: Classification | null,
): NewCaseEvent {
  return {
    caseId: record.id,
    type: 'case.registered',
    ...actor,
    occurredAt: record.receivedAt,
    payload: {
      registrationNumber: record.registrationNumber,
      channel: record.channel,
      category: record.category,
      kind: record.kind,
      urgency: record.urgency,
      organisationId: record.organisationId,
      routedBy,
      classifier: predicted
        ? {
            category: predicted.category,
            subcategory: predicted.subcategory ?? null,
            kind: predicted.kind,
            urgency: predicted.urgency,
            confidence: predicted.confidence,
            top: predicted.top ?? [],
            urgencyRules: predicted.urgencyRules ?? [],
          }
        : null,
      dueAt: record.dueAt?.toISOString() ?? null,
      anonymous: record.anonymous,
      confidential: record.confidential,
      ...(record.relatedCaseId ? { relatedCaseId: record.relatedCaseId } : {}),
    },
  };
}


function withLocation(event: NewCaseEvent, located: Located): NewCaseEvent {
  return { ...event, payload: { ...event.payload, locatedBy: located.by, ...(located.names.length ? { placeNames: located.names } : {}) } };
}

async function replay(deps: IntakeDeps, principal: string, key: string, hash: string): Promise<Receipt | null> {
  const earlier = await deps.store.findIdempotent(principal, key);
  if (!earlier) return null;
  if (earlier.requestHash !== hash) throw new DomainError('ERR_IDEMPOTENCY_KEY_REUSED', undefined, { idempotencyKey: key });
  const receipt = earlier.response as unknown as Receipt;
  // The tracking code is never stored in clear; it is derived again for the holder of the same key.
  return receipt.anonymous ? { ...receipt, trackingCode: deps.ids.trackingCodeFor(earlier.caseId) } : receipt;
}

export function hashTrackingCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

export function toReceipt(c: CaseRecord): Receipt {
  return {
    caseId: c.id,
    registrationNumber: c.registrationNumber,
    channel: c.channel,
    category: c.category,
    triage: c.triage,
    organisationId: c.organisationId,
    state: c.state,
    receivedAt: c.receivedAt.toISOString(),
    registeredAt: c.registeredAt.toISOString(),
    dueAt: c.dueAt?.toISOString() ?? null,
    anonymous: c.anonymous,
  };
}
