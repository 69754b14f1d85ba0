import { createHash } from 'node:crypto';
import { cleanFileName } from './attachments.ts';
import { DomainError } from './errors.ts';
import type { AttachmentEvidence, GeoPoint } from './model.ts';

/**
 * Evidence: the photos and videos of a report. Each file is checked before anything is stored: its type
 * sniffed from the bytes (never the name), its size against the limit of its kind (photo or video), its
 * SHA-256 taken for the event, and the capture time and place read from its own metadata (EXIF).
 */
export interface EvidencePolicy {
  maxFiles: number;
  photoMaxBytes: number;
  videoMaxBytes: number;
  /** Media types accepted as photos / as videos, as sniffed from the bytes. */
  photoTypes: readonly string[];
  videoTypes: readonly string[];
}

/** What a file's own metadata says: when and where it was taken (null when it does not say). */
export interface CaptureFacts {
  capturedAt: Date | null;
  location: GeoPoint | null;
}

export interface EvidenceDeps {
  policy: EvidencePolicy;
  /** The media type read from the bytes themselves; null when they match no known format. */
  sniffType: (bytes: Uint8Array) => Promise<string | null>;
  /** The capture time and GPS point of a photo (an adapter: src/media/exif.ts). */
  readCapture: (bytes: Uint8Array, mediaType: string) => Promise<CaptureFacts>;
}

export interface EvidenceUpload {
  bytes: Uint8Array;
  fileName: string;
  /** The SHA-256 of `bytes`, when the door hashed them as they streamed in (else computed here). */
  sha256?: string | undefined;
}

export interface CheckedEvidence {
  bytes: Uint8Array;
  fileName: string;
  mediaType: string;
  kind: 'photo' | 'video';
  sha256: string;
  capture: CaptureFacts;
}

export type EvidenceKind = 'photo' | 'video';

export function evidenceKind(policy: EvidencePolicy, mediaType: string | null): EvidenceKind | null {
  if (mediaType === null) return null;
  if (policy.photoTypes.includes(mediaType)) return 'photo';
  if (policy.videoTypes.includes(mediaType)) return 'video';
  return null;
}

export const maxBytesOf = (policy: EvidencePolicy, kind: EvidenceKind): number => (kind === 'photo' ? policy.photoMaxBytes : policy.videoMaxBytes);

/** The largest file any kind allows: what a door may read of one file before it knows the kind. */
export const largestEvidence = (policy: EvidencePolicy): number => Math.max(policy.photoMaxBytes, policy.videoMaxBytes);

/** Refuses a type that is not a photo or video we accept (an executable, a document, unknown bytes). */
export function refuseType(policy: EvidencePolicy, mediaType: string | null, fileName: string): EvidenceKind {
  const kind = evidenceKind(policy, mediaType);
  if (!kind) {
    throw new DomainError('ERR_ATTACHMENT_TYPE', undefined, {
      detected: mediaType,
      fileName: cleanFileName(fileName),
      allowed: [...policy.photoTypes, ...policy.videoTypes],
    });
  }
  return kind;
}

export function refuseSize(policy: EvidencePolicy, kind: EvidenceKind, sizeBytes: number, fileName: string): void {
  const maxBytes = maxBytesOf(policy, kind);
  if (sizeBytes > maxBytes) {
    throw new DomainError('ERR_ATTACHMENT_TOO_LARGE', undefined, { kind, maxBytes, sizeBytes, fileName: cleanFileName(fileName) });
  }
}

export function refuseCount(policy: EvidencePolicy, count: number): void {
  if (count > policy.maxFiles) throw new DomainError('ERR_ATTACHMENT_COUNT', undefined, { maxFiles: policy.maxFiles, files: count });
}

/** Checks every file (count, emptiness, type, size), hashes it and reads its capture facts: all before anything is written. */
export async function checkEvidence(deps: EvidenceDeps, files: readonly EvidenceUpload[]): Promise<CheckedEvidence[]> {
  refuseCount(deps.policy, files.length);
  const checked: CheckedEvidence[] = [];
  for (const file of files) {
    if (file.bytes.byteLength === 0) throw new DomainError('ERR_ATTACHMENT_EMPTY', undefined, { fileName: cleanFileName(file.fileName) });
    const mediaType = await deps.sniffType(file.bytes);
    const kind = refuseType(deps.policy, mediaType, file.fileName);
    refuseSize(deps.policy, kind, file.bytes.byteLength, file.fileName);
    checked.push({
      bytes: file.bytes,
      fileName: cleanFileName(file.fileName),
      mediaType: mediaType!,
      kind,
      sha256: file.sha256 ?? createHash('sha256').update(file.bytes).digest('hex'),
      capture: kind === 'photo' ? await deps.readCapture(file.bytes, mediaType!) : { capturedAt: null, location: null },
    });
  }
  return checked;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance (haversine, mean Earth radius): metres between where a photo was taken and the reported point. */
export function distanceMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The evidence as compared: capture beside report, the distance in whole metres and the time apart in seconds. */
export function compareEvidence(e: AttachmentEvidence): { distanceMeters: number | null; secondsFromReported: number | null } {
  return {
    distanceMeters: e.capturedLocation && e.reportedLocation ? Math.round(distanceMeters(e.capturedLocation, e.reportedLocation)) : null,
    secondsFromReported: e.capturedAt ? Math.round((e.capturedAt.getTime() - e.reportedAt.getTime()) / 1000) : null,
  };
}
