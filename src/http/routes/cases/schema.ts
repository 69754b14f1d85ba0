import { Type, type Static } from 'typebox';
import { caseKinds, channels, languages, outcomes, stateKinds, terminationReasons, urgencies } from '../../../core/model.ts';
import { deadlineStates } from '../../../core/sla/deadline-rules.ts';
import { obligationSchema } from '../../../core/sla/terms.ts';
import { errorResponses, Names, Nullable, Uuid } from '../common-schema.ts';

const obligations = obligationSchema.options;

const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const CaseParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const Submission = Type.Object(
  {
    channel: literals(channels),
    text: Type.String({ minLength: 1, maxLength: 100_000, description: 'What happened, in the person\'s own words (kk, ru, en or a mix)' }),
    category: Type.Optional(Type.String({ maxLength: 100, description: 'A taxonomy code; when absent the classifier or the triage queue decides' })),
    kind: Type.Optional(literals(caseKinds)),
    urgency: Type.Optional(literals(urgencies)),
    language: Type.Optional(literals(languages)),
    location: Type.Optional(
      Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false }),
    ),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    districtId: Type.Optional(Type.String({ maxLength: 100 })),
    city: Type.Optional(Type.String({ maxLength: 50 })),
    confidential: Type.Optional(Type.Boolean()),
    applicantPhone: Type.Optional(Type.String({ maxLength: 32, description: 'Staff registering for a walk-in applicant' })),
    complaintConsent: Type.Optional(
      Type.Boolean({
        description: 'Appeals: when the body does not answer in its term (silence = refusal), file a complaint to the higher body for the applicant. Default true.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SubmissionBody = Static<typeof Submission>;

const OrganisationRef = Type.Object({ id: Type.String(), name: Nullable(Names) });

export const ReceiptResponse = Type.Object({
  caseId: Uuid,
  registrationNumber: Type.String({ examples: ['ЖТ-2026-00000742'] }),
  channel: Type.String(),
  category: Type.String(),
  triage: Type.Boolean(),
  organisation: OrganisationRef,
  state: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  registeredAt: Type.String({ format: 'date-time' }),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  anonymous: Type.Boolean(),
  trackingCode: Type.Optional(Type.String({ description: 'Anonymous cases only: the secret that opens the case (X-Tracking-Code header)' })),
});

export const CaseResponse = Type.Object({
  id: Uuid,
  registrationNumber: Type.String(),
  channel: Type.String(),
  kind: Type.String(),
  category: Type.String(),
  urgency: Type.String(),
  language: Type.String(),
  text: Nullable(Type.String()),
  location: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number() })),
  address: Nullable(Type.String()),
  city: Nullable(Type.String()),
  districtId: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  organisation: OrganisationRef,
  assigneeId: Nullable(Type.String()),
  state: Type.String(),
  stateKind: literals(stateKinds),
  confidential: Type.Boolean(),
  triage: Type.Boolean(),
  outcome: Nullable(Type.String()),
  receivedAt: Type.String({ format: 'date-time' }),
  registeredAt: Type.String({ format: 'date-time' }),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  relatedCaseId: Nullable(Type.String({ description: 'For a complaint: the case it is about' })),
  complaintAbout: Nullable(Type.String({ description: 'silence (no answer in the term) or answer' })),
  actions: Type.Array(Type.String(), { description: 'Workflow actions the caller may take now' }),
  deadlines: Type.Optional(
    Type.Array(
      Type.Object({
        obligation: literals(obligations),
        dueAt: Type.String({ format: 'date-time' }),
        state: literals(deadlineStates),
        originalDueAt: Nullable(Type.String({ format: 'date-time', description: 'The due time before the first extension' })),
        pausedAt: Nullable(Type.String({ format: 'date-time', description: 'Set while the clock waits for the applicant' })),
      }),
      { description: 'The legal clock of the case (reading one case only): each obligation, when it falls due, and its state' },
    ),
  ),
  windows: Type.Optional(
    Type.Object(
      {
        redirectUntil: Nullable(Type.String({ format: 'date-time' })),
        notFixedUntil: Nullable(Type.String({ format: 'date-time' })),
      },
      { description: 'Until when the body may redirect the case, and the applicant may report it not fixed' },
    ),
  ),
});

export const ListQuery = Type.Object(
  {
    stateKind: Type.Optional(literals(stateKinds)),
    channel: Type.Optional(literals(channels)),
    category: Type.Optional(Type.String({ maxLength: 100, description: 'A code, or a prefix such as safety.*' })),
    organisationId: Type.Optional(Type.String({ maxLength: 100 })),
    districtId: Type.Optional(Type.String({ maxLength: 100 })),
    assigneeId: Type.Optional(Uuid),
    triage: Type.Optional(Type.Boolean()),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ListResponse = Type.Object({ items: Type.Array(CaseResponse), nextCursor: Nullable(Type.String()) });

export const ActionParams = Type.Object({ id: Uuid, action: Type.String({ pattern: '^[a-z_]{1,40}$' }) }, { additionalProperties: false });

export const ActionBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 5000 })),
    organisationId: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(literals(outcomes)),
    answer: Type.Optional(Type.String({ maxLength: 100_000 })),
    terminationReason: Type.Optional(literals(terminationReasons)),
    message: Type.Optional(Type.String({ maxLength: 100_000 })),
    until: Type.Optional(Type.String({ format: 'date', description: 'extend: the new last day of the term (a working day)' })),
    respondBy: Type.Optional(Type.String({ format: 'date', description: "request_documents: the applicant's deadline; the procedure's default when absent" })),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'dispatch (102): the police unit sent, e.g. a patrol call sign' })),
    proofAttachmentIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20, description: 'resolve: photos or an act proving the fix, attached by staff' })),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const RatingBody = Type.Object(
  { score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const RatingResponse = Type.Object({ caseId: Uuid, score: Type.Integer(), comment: Nullable(Type.String()), ratedAt: Type.String({ format: 'date-time' }) });

export const ComplaintBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 100_000 }) }, { additionalProperties: false });

export const SurveyBody = Type.Object(
  { fixed: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const AssignBody = Type.Object({ assigneeId: Uuid }, { additionalProperties: false });

export const EventResponse = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  actorId: Nullable(Type.String()),
  actorRole: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  occurredAt: Type.String({ format: 'date-time' }),
});

export const MessageBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 100_000 }), visibility: Type.Union([Type.Literal('dialog'), Type.Literal('internal')], { default: 'dialog' }) },
  { additionalProperties: false },
);

export const MessageResponse = Type.Object({
  id: Uuid,
  authorId: Nullable(Type.String()),
  authorRole: Type.String(),
  visibility: Type.String(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

const Point = Type.Object({ lat: Type.Number(), lon: Type.Number() });

export const EvidenceResponse = Type.Object(
  {
    capturedAt: Nullable(Type.String({ format: 'date-time', description: "EXIF capture time (the camera's offset, else Kazakhstan time)" })),
    capturedLocation: Nullable(Point),
    reportedAt: Type.String({ format: 'date-time', description: 'When the reporter says it happened, else when the report was received' }),
    reportedLocation: Nullable(Point),
    distanceMeters: Nullable(Type.Integer({ description: 'From the EXIF GPS point to the reported point' })),
    secondsFromReported: Nullable(Type.Integer({ description: 'Capture time minus reported time (negative: taken before)' })),
  },
  { description: "A report's evidence (102): what the file's metadata says beside what the reporter said" },
);

export const AttachmentResponse = Type.Object({
  id: Uuid,
  sha256: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  fileName: Type.String(),
  uploaderRole: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  evidence: Type.Optional(EvidenceResponse),
});

export const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'Makes a retried submission return the first case (8–128 visible ASCII characters)' })),
});

export const caseErrors = errorResponses(400, 401, 403, 404, 409, 422);
