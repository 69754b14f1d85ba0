import { createHash } from 'node:crypto';
import { DomainError } from './errors.ts';
import { checkEvidence, type CheckedEvidence, type EvidenceDeps, type EvidenceUpload } from './evidence.ts';
import { submitCase, type IntakeDeps, type Receipt } from './intake.ts';
import type { AttachmentEvidence, CaseAttachment, CaseRecord, GeoPoint, Urgency } from './model.ts';
import type { BlobStore, CaseTransaction } from './ports.ts';
import { actorOf, type Principal } from './principal.ts';

/** A 102 report as the police door reads it: a point is required, files are evidence. */
export interface PoliceReport {
  text: string;
  location: GeoPoint | undefined;
  category?: string | undefined;
  urgency?: Urgency | undefined;
  /** The reporter asks to stay anonymous: allowed only for a report of a crime (the law's exception). */
  anonymous?: boolean | undefined;
  address?: string | undefined;
  /** When the reporter says it happened; the time received when absent. */
  occurredAt?: Date | undefined;
  files: readonly EvidenceUpload[];
}

export interface PoliceDeps extends EvidenceDeps {
  intake: IntakeDeps;
  blobs: BlobStore;
  /** Whether a point lies in Kazakhstan (the country's polygon); the bounding box below when absent. */
  inCountry?: ((point: GeoPoint) => boolean) | undefined;
}

export interface PoliceReceipt extends Receipt {
  attachments: CaseAttachment[];
}

/**
 * Kazakhstan's bounding box (WGS84), with a small margin: a coarse refusal of points that cannot be ours
 * (0,0 from a phone without a fix, swapped coordinates, another country far away). The district index
 * places points inside precisely; a point inside the box but outside every district still reaches the city
 * police or the triage queue.
 */
const KAZAKHSTAN = { minLat: 40.5, maxLat: 55.5, minLon: 46.4, maxLon: 87.4 };
/** A report may say it happened a little "in the future": phone clocks drift. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const inKazakhstan = (p: GeoPoint): boolean =>
  p.lat >= KAZAKHSTAN.minLat && p.lat <= KAZAKHSTAN.maxLat && p.lon >= KAZAKHSTAN.minLon && p.lon <= KAZAKHSTAN.maxLon;

function checkPoint(deps: PoliceDeps, location: GeoPoint | undefined): GeoPoint {
  if (!location) throw new DomainError('ERR_LOCATION_REQUIRED');
  const { lat, lon } = location;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    throw new DomainError('ERR_INVALID_LOCATION', undefined, { location });
  }
  if (!inKazakhstan(location) || (deps.inCountry && !deps.inCountry(location))) throw new DomainError('ERR_LOCATION_OUTSIDE_KAZAKHSTAN', undefined, { location });
  return { lat, lon };
}

function checkOccurredAt(occurredAt: Date | undefined, now: Date): void {
  if (occurredAt === undefined) return;
  if (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new DomainError('ERR_VALIDATION', 'occurredAt must be a time that has already passed', { occurredAt: Number.isNaN(occurredAt.getTime()) ? null : occurredAt.toISOString() });
  }
}

/** The files' hashes and names: a retry with the same Idempotency-Key but other files is a different request. */
const fingerprintOf = (files: readonly CheckedEvidence[]): string =>
  createHash('sha256').update(files.map((f) => `${f.sha256}:${f.fileName}`).join('\n')).digest('hex');

/**
 * Registers a 102 report with its evidence. Everything is checked first (the point, the time, every file's
 * type, size and hash, and intake's own rules: a signed-in reporter or an anonymous crime report); then,
 * in the registration's transaction, the bytes are written (an orphan blob is harmless) before the rows
 * that point at them, with one `case.attachment_added` event per file carrying its SHA-256 as evidence.
 */
export async function submitPoliceReport(
  deps: PoliceDeps,
  principal: Principal,
  report: PoliceReport,
  options: { idempotencyKey?: string | undefined } = {},
): Promise<PoliceReceipt> {
  const location = checkPoint(deps, report.location);
  checkOccurredAt(report.occurredAt, deps.intake.clock.now());
  const files = await checkEvidence(deps, report.files);
  // Asking for anonymity files the report as nobody's: intake then applies the channel's rule (crimes only).
  const filer: Principal = report.anonymous ? { type: 'public' } : principal;
  const attachments: CaseAttachment[] = [];
  const receipt = await submitCase(
    deps.intake,
    filer,
    {
      channel: 'police',
      text: report.text,
      category: report.category,
      urgency: report.urgency,
      location,
      address: report.address,
      anonymous: report.anonymous,
    },
    {
      idempotencyKey: options.idempotencyKey,
      alongside: {
        fingerprint: fingerprintOf(files),
        write: async (tx, record) => {
          attachments.push(...(await storeEvidence(deps, tx, filer, record, files, report.occurredAt)));
        },
      },
    },
  );
  // A replayed receipt (same Idempotency-Key) wrote nothing now: its files are those of the first request.
  const stored = attachments.length > 0 && attachments[0]!.caseId === receipt.caseId ? attachments : await deps.intake.store.attachments(receipt.caseId);
  return { ...receipt, attachments: stored };
}

async function storeEvidence(
  deps: PoliceDeps,
  tx: CaseTransaction,
  filer: Principal,
  record: CaseRecord,
  files: readonly CheckedEvidence[],
  occurredAt: Date | undefined,
): Promise<CaseAttachment[]> {
  // Bytes first: a failed write leaves no row pointing at nothing, and the whole registration rolls back.
  await Promise.all(files.map((f) => deps.blobs.put(f.sha256, f.bytes)));
  const { actorId, actorRole } = actorOf(filer);
  const now = record.receivedAt;
  const out: CaseAttachment[] = [];
  for (const f of files) {
    const evidence: AttachmentEvidence = {
      capturedAt: f.capture.capturedAt,
      capturedLocation: f.capture.location,
      reportedAt: occurredAt ?? record.receivedAt,
      reportedLocation: record.location,
    };
    const attachment: CaseAttachment = {
      id: deps.intake.ids.uuid(),
      caseId: record.id,
      messageId: null,
      sha256: f.sha256,
      mediaType: f.mediaType,
      sizeBytes: f.bytes.byteLength,
      fileName: f.fileName,
      uploadedBy: actorId,
      uploaderRole: actorRole,
      createdAt: now,
    };
    await tx.insertAttachment(attachment);
    await tx.insertEvidence(attachment, evidence);
    await tx.appendEvent({
      caseId: record.id,
      type: 'case.attachment_added',
      actorId,
      actorRole,
      occurredAt: now,
      payload: {
        attachmentId: attachment.id,
        sha256: f.sha256,
        mediaType: f.mediaType,
        sizeBytes: attachment.sizeBytes,
        evidence: {
          capturedAt: evidence.capturedAt?.toISOString() ?? null,
          capturedLocation: evidence.capturedLocation,
          reportedAt: evidence.reportedAt.toISOString(),
        },
      },
    });
    out.push({ ...attachment, evidence });
  }
  return out;
}
