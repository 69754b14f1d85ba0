import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../core/errors.ts';
import type { BlobStore } from '../core/ports.ts';

const SHA256 = /^[0-9a-f]{64}$/;

export interface BlobStoreOptions {
  /**
   * Check on every read that the bytes still hash to their key (default). Off for a store whose key is
   * not the hash of its own bytes: thumbnails are keyed by the SHA-256 of their original.
   */
  verify?: boolean;
}

export function assertBlobKey(sha256: string): void {
  if (!SHA256.test(sha256)) throw new Error('blob key must be a lowercase SHA-256');
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Bytes read back under a hash they no longer match are never served (a flipped bit, a swapped file). */
export function verifiedBlob(sha256: string, bytes: Uint8Array, verify: boolean): Uint8Array {
  if (verify && sha256Hex(bytes) !== sha256) throw new DomainError('ERR_MEDIA_CORRUPT', undefined, { sha256 });
  return bytes;
}

/** An I/O failure of the store (not the absence of a file) is the store being unavailable, never a 500. */
function unavailable(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  return new DomainError('ERR_MEDIA_UNAVAILABLE', undefined, { store: 'local', reason: typeof code === 'string' ? code : 'io' });
}

/**
 * Content-addressed files under DATA_DIR/blobs/ab/cd/<sha256>. The same bytes are stored once; a write
 * goes to a temporary file and is renamed into place, so a crash never leaves half a file under a hash.
 */
export function createFileBlobStore(root: string, options: BlobStoreOptions = {}): BlobStore {
  const verify = options.verify ?? true;
  const fileOf = (sha256: string): string => {
    assertBlobKey(sha256);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  return {
    async put(sha256, bytes) {
      const file = fileOf(sha256);
      if (await stat(file).then(() => true, () => false)) return;
      // A unique temporary name: two writers of the same bytes never write into one file.
      const tmp = `${file}.${randomUUID()}.tmp`;
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(tmp, bytes);
        await rename(tmp, file);
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        throw unavailable(err);
      }
    },
    async get(sha256) {
      const bytes = await readFile(fileOf(sha256)).then((b) => new Uint8Array(b), (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw unavailable(err);
      });
      return bytes && verifiedBlob(sha256, bytes, verify);
    },
  };
}
