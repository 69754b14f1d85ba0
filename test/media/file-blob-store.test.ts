import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { createFileBlobStore } from '../../src/storage/blob-store.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const tempRoot = (): string => mkdtempSync(path.join(tmpdir(), 'tyndau-blobs-'));

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe('local file blob store', () => {
  it('stores concurrent puts of the same bytes as one file, with no temporary file left', async () => {
    const root = tempRoot();
    const store = createFileBlobStore(root);
    const bytes = bytesOf('one photo, uploaded by three people at once');
    const key = sha256(bytes);
    await Promise.all([store.put(key, bytes), store.put(key, bytes), store.put(key, bytes)]);
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
    expect(files).toEqual([key]);
    expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(bytes));
  });

  it('never serves a file whose bytes no longer match its name (ERR_MEDIA_CORRUPT)', async () => {
    const root = tempRoot();
    const store = createFileBlobStore(root);
    const bytes = bytesOf('the original');
    const key = sha256(bytes);
    await store.put(key, bytes);
    writeFileSync(path.join(root, key.slice(0, 2), key.slice(2, 4), key), 'tampered');
    expect((await failure(store.get(key))).code).toBe('ERR_MEDIA_CORRUPT');
    // A store keyed by something else than the bytes' own hash (thumbnails) does not check.
    expect(Buffer.from((await createFileBlobStore(root, { verify: false }).get(key))!).toString()).toBe('tampered');
  });

  it('reports a folder it cannot write or read as ERR_MEDIA_UNAVAILABLE, not a crash', async () => {
    const notAFolder = path.join(tempRoot(), 'file');
    writeFileSync(notAFolder, 'a file where the folder should be');
    const store = createFileBlobStore(notAFolder);
    const bytes = bytesOf('x');
    const put = await failure(store.put(sha256(bytes), bytes));
    expect(put.code).toBe('ERR_MEDIA_UNAVAILABLE');
    expect(put.details).toMatchObject({ store: 'local', reason: 'ENOTDIR' });
    expect((await failure(store.get(sha256(bytes)))).code).toBe('ERR_MEDIA_UNAVAILABLE');
  });
});
