/**
 * A photo from a chat: getFile, download (stopped past the size limit), type sniffed from the bytes (only
 * images the platform accepts), kept in the blob store under its SHA-256. The case does not exist yet, so
 * the draft keeps the hash; the attachment is made when the report is registered. A blob of a report that
 * is never sent stays unreferenced, which is harmless (the store is content-addressed).
 */
import { createHash } from 'node:crypto';
import { cleanFileName } from '../../core/attachments.ts';
import type { BlobStore } from '../../core/ports.ts';
import { BotApiError, FileTooLargeError, type BotApi } from './bot-api.ts';
import type { Input } from './conversation.ts';
import type { IncomingFile } from './update.ts';

export interface PhotoDeps {
  botApi: BotApi;
  blobs: BlobStore;
  sniffType: (bytes: Uint8Array) => Promise<string | null>;
  maxBytes: number;
  /** The platform's accepted attachment types; of those the bot takes only images. */
  allowedTypes: readonly string[];
}

const EXTENSIONS: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic' };

export async function fetchPhoto(deps: PhotoDeps, file: IncomingFile): Promise<Extract<Input, { type: 'photo' | 'photo_refused' }>> {
  if (file.sizeBytes !== null && file.sizeBytes > deps.maxBytes) return { type: 'photo_refused', reason: 'too_large' };
  let bytes: Uint8Array;
  try {
    const found = await deps.botApi.getFile(file.fileId);
    if (found.sizeBytes !== null && found.sizeBytes > deps.maxBytes) return { type: 'photo_refused', reason: 'too_large' };
    bytes = await deps.botApi.downloadFile(found.filePath, deps.maxBytes);
  } catch (err) {
    if (err instanceof FileTooLargeError) return { type: 'photo_refused', reason: 'too_large' };
    if (err instanceof BotApiError) return { type: 'photo_refused', reason: 'unavailable' };
    throw err;
  }
  if (bytes.byteLength === 0) return { type: 'photo_refused', reason: 'not_image' };
  const mediaType = await deps.sniffType(bytes);
  if (!mediaType || !mediaType.startsWith('image/') || !deps.allowedTypes.includes(mediaType)) return { type: 'photo_refused', reason: 'not_image' };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await deps.blobs.put(sha256, bytes);
  const given = file.fileName.includes('.') ? file.fileName : `telegram-photo.${EXTENSIONS[mediaType] ?? 'img'}`;
  return { type: 'photo', photo: { sha256, mediaType, sizeBytes: bytes.byteLength, fileName: cleanFileName(given) } };
}
