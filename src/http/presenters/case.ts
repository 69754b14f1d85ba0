import type { CaseAttachment, CaseEvent, CaseMessage, CaseRecord } from '../../core/model.ts';
import { workflowRole } from '../../core/policy.ts';
import { isStaff, type Principal } from '../../core/principal.ts';
import type { Receipt } from '../../core/intake.ts';
import { presentEvidence } from './evidence.ts';
import type { Deadline } from '../../core/sla/deadline-rules.ts';
import { availableActions } from '../../core/workflow/engine.ts';
import { workflows } from '../../core/workflow/registry.ts';
import type { ReferenceCatalog } from '../../storage/reference-store.ts';

/** Presenters: the only place wire shapes are built. Dates are ISO 8601 in UTC. */
const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

function organisationRef(reference: ReferenceCatalog, id: string) {
  const org = reference.organisation(id);
  return { id, name: org?.names ?? null };
}

export function presentCase(
  c: CaseRecord,
  principal: Principal,
  reference: ReferenceCatalog,
  options: { summary?: boolean; deadlines?: readonly Deadline[]; windows?: { redirectUntil: Date | null; notFixedUntil: Date | null } } = {},
) {
  const role = workflowRole(principal);
  // In a list a confidential case shows no text: reading it is a recorded act, done on the case itself.
  const hideText = options.summary === true && c.confidential;
  return {
    id: c.id,
    registrationNumber: c.registrationNumber,
    channel: c.channel,
    kind: c.kind,
    category: c.category,
    urgency: c.urgency,
    language: c.language,
    text: hideText ? null : c.text,
    location: c.location,
    address: hideText ? null : c.address,
    city: c.city,
    districtId: c.districtId,
    anonymous: c.anonymous,
    organisation: organisationRef(reference, c.organisationId),
    assigneeId: isStaff(principal) ? c.assigneeId : null,
    state: c.state,
    stateKind: c.stateKind,
    confidential: c.confidential,
    triage: c.triage,
    outcome: c.outcome,
    receivedAt: iso(c.receivedAt),
    registeredAt: iso(c.registeredAt),
    dueAt: isoOrNull(c.dueAt),
    closedAt: isoOrNull(c.closedAt),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    version: c.version,
    relatedCaseId: c.relatedCaseId,
    complaintAbout: c.complaintAbout,
    actions: role ? availableActions(workflows[c.channel], c.state, role) : [],
    ...(options.deadlines ? { deadlines: options.deadlines.map(presentDeadline) } : {}),
    ...(options.windows ? { windows: { redirectUntil: isoOrNull(options.windows.redirectUntil), notFixedUntil: isoOrNull(options.windows.notFixedUntil) } } : {}),
  };
}

export const presentDeadline = (d: Deadline) => ({
  obligation: d.obligation,
  dueAt: iso(d.dueAt),
  state: d.state,
  originalDueAt: isoOrNull(d.originalDueAt),
  pausedAt: isoOrNull(d.pausedAt),
});

export function presentReceipt(r: Receipt, reference: ReferenceCatalog) {
  const { organisationId, ...rest } = r;
  return { ...rest, organisation: organisationRef(reference, organisationId) };
}

export const presentEvent = (e: CaseEvent) => ({
  id: e.id,
  type: e.type,
  actorId: e.actorId,
  actorRole: e.actorRole,
  payload: e.payload,
  occurredAt: iso(e.occurredAt),
});

export const presentMessage = (m: CaseMessage) => ({
  id: m.id,
  authorId: m.authorId,
  authorRole: m.authorRole,
  visibility: m.visibility,
  body: m.body,
  createdAt: iso(m.createdAt),
});

export const presentAttachment = (a: CaseAttachment) => ({
  id: a.id,
  sha256: a.sha256,
  mediaType: a.mediaType,
  sizeBytes: a.sizeBytes,
  fileName: a.fileName,
  uploaderRole: a.uploaderRole,
  createdAt: iso(a.createdAt),
  ...(a.evidence ? { evidence: presentEvidence(a.evidence) } : {}),
});
