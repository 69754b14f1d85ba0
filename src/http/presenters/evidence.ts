import { compareEvidence } from '../../core/evidence.ts';
import type { AttachmentEvidence } from '../../core/model.ts';

/** A report's evidence: the capture (EXIF) beside the report, with how far apart they are in space and time. */
export const presentEvidence = (e: AttachmentEvidence) => ({
  capturedAt: e.capturedAt?.toISOString() ?? null,
  capturedLocation: e.capturedLocation,
  reportedAt: e.reportedAt.toISOString(),
  reportedLocation: e.reportedLocation,
  ...compareEvidence(e),
});
