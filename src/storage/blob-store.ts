import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../core/ports.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files under DATA_DIR/blobs/ab/cd/<sha256>. The same bytes are stored once; a write
 * goes to a temporary file and is renamed into place, so a crash never leaves half a file under a hash.
 */
export function createFileBlobStore(root: string): BlobStore {
  const fileOf = (sha256: string): string => {
    if (!SHA256.test(sha256)) throw new Error('blob key must be a lowercase SHA-256');
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  return {
    async put(sha256, bytes) {
      const file = fileOf(sha256);
      if (await stat(file).then(() => true, () => false)) return;
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    },
    async get(sha256) {
      return readFile(fileOf(sha256)).then((b) => new Uint8Array(b), (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
    },
  };
}
