import type { AttachmentEvidence, CaseAttachment, GeoPoint } from '../core/model.ts';
import type { Queryable } from './db.ts';

/** A report's evidence facts beside its attachment (table case_evidence, migration 0008). */
export async function insertEvidence(q: Queryable, a: Pick<CaseAttachment, 'id' | 'caseId' | 'createdAt'>, e: AttachmentEvidence): Promise<void> {
  await q.query(
    `INSERT INTO case_evidence (attachment_id, case_id, captured_at, captured_lat, captured_lon, reported_at, reported_lat, reported_lon, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [a.id, a.caseId, e.capturedAt, e.capturedLocation?.lat ?? null, e.capturedLocation?.lon ?? null, e.reportedAt, e.reportedLocation?.lat ?? null, e.reportedLocation?.lon ?? null, a.createdAt],
  );
}

/** Reads attachments with their evidence, if any: `${ATTACHMENTS_WITH_EVIDENCE} WHERE a.case_id = $1`. */
export const ATTACHMENTS_WITH_EVIDENCE = `SELECT a.*, e.attachment_id AS evidence_id, e.captured_at, e.captured_lat, e.captured_lon,
  e.reported_at, e.reported_lat, e.reported_lon
  FROM case_attachments a LEFT JOIN case_evidence e ON e.attachment_id = a.id`;

export interface EvidenceColumns {
  evidence_id: string | null;
  captured_at: Date | null;
  captured_lat: number | null;
  captured_lon: number | null;
  reported_at: Date | null;
  reported_lat: number | null;
  reported_lon: number | null;
}

const point = (lat: number | null, lon: number | null): GeoPoint | null => (lat === null || lon === null ? null : { lat: Number(lat), lon: Number(lon) });

/** The attachment with its evidence when the row has some (a 102 report's file). */
export function withEvidence<T extends CaseAttachment>(attachment: T, r: EvidenceColumns): T {
  if (r.evidence_id === null || r.reported_at === null) return attachment;
  return {
    ...attachment,
    evidence: {
      capturedAt: r.captured_at,
      capturedLocation: point(r.captured_lat, r.captured_lon),
      reportedAt: r.reported_at,
      reportedLocation: point(r.reported_lat, r.reported_lon),
    },
  };
}
