import { createHash } from 'node:crypto';
import { DomainError } from './errors.ts';
import type { CaseAttachment } from './model.ts';
import type { BlobStore } from './ports.ts';
import { actorOf, type Principal } from './principal.ts';
import { withWorkableCase, type WorkDeps } from './case-work.ts';

export interface AttachmentDeps extends WorkDeps {
  blobs: BlobStore;
  /** The media type read from the bytes themselves; null when they match no known format. */
  sniffType: (bytes: Uint8Array) => Promise<string | null>;
  maxBytes: number;
  allowedTypes: readonly string[];
}

const SAFE_NAME = /[^\p{L}\p{N}._ -]/gu;

/** A file name is shown back to people: keep letters, digits and a few marks, and a sane length. */
export const cleanFileName = (name: string): string => name.normalize('NFC').replace(SAFE_NAME, '_').slice(-120).trim() || 'file';

/**
 * Stores a file on a case: the type is sniffed from the bytes (never trusted from the name or header),
 * the bytes are kept once per SHA-256, and the hash goes into the event as evidence.
 */
export async function addAttachment(
  deps: AttachmentDeps,
  principal: Principal,
  caseId: string,
  file: { bytes: Uint8Array; fileName: string },
): Promise<CaseAttachment> {
  if (file.bytes.byteLength === 0) throw new DomainError('ERR_ATTACHMENT_EMPTY');
  if (file.bytes.byteLength > deps.maxBytes) {
    throw new DomainError('ERR_ATTACHMENT_TOO_LARGE', undefined, { maxBytes: deps.maxBytes, sizeBytes: file.bytes.byteLength });
  }
  const mediaType = await deps.sniffType(file.bytes);
  if (!mediaType || !deps.allowedTypes.includes(mediaType)) {
    throw new DomainError('ERR_ATTACHMENT_TYPE', undefined, { detected: mediaType, allowed: deps.allowedTypes });
  }
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  return withWorkableCase(deps, principal, caseId, async (tx, record) => {
    if (record.stateKind === 'closed') throw new DomainError('ERR_CASE_CLOSED');
    // Bytes first: a failed write leaves no row pointing at nothing; an orphan blob is harmless.
    await deps.blobs.put(sha256, file.bytes);
    const now = deps.clock.now();
    const { actorId, actorRole } = actorOf(principal);
    const attachment: CaseAttachment = {
      id: deps.ids.uuid(),
      caseId,
      messageId: null,
      sha256,
      mediaType,
      sizeBytes: file.bytes.byteLength,
      fileName: cleanFileName(file.fileName),
      uploadedBy: actorId,
      uploaderRole: actorRole,
      createdAt: now,
    };
    await tx.insertAttachment(attachment);
    await tx.appendEvent({
      caseId,
      type: 'case.attachment_added',
      actorId,
      actorRole,
      occurredAt: now,
      payload: { attachmentId: attachment.id, sha256, mediaType, sizeBytes: attachment.sizeBytes },
    });
    return attachment;
  });
}
