import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { DomainError } from '../../src/core/errors.ts';
import type { BlobStore } from '../../src/core/ports.ts';
import { createS3BlobStore, createS3Client, type S3Settings } from '../../src/storage/s3-blob-store.ts';
import { deadPort, startLocalS3, S3_BUCKET, S3_KEY_ID, S3_SECRET, type LocalS3 } from './support.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** The stable code of a failed call (and its details), or a failure of the test when it did not fail so. */
async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

let s3: LocalS3;
let settings: S3Settings;
let store: BlobStore;

beforeAll(async () => {
  s3 = await startLocalS3();
  settings = { endpoint: s3.endpoint, region: 'us-east-1', bucket: S3_BUCKET, accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, forcePathStyle: true };
  store = createS3BlobStore(settings, { prefix: 'blobs/' });
});
afterAll(async () => s3.stop());

describe('S3 blob store (against s3rver on 127.0.0.1)', () => {
  it('puts bytes under blobs/<sha256> and gets the identical bytes back', async () => {
    const bytes = bytesOf('a photo of a broken street light');
    const key = sha256(bytes);
    await store.put(key, bytes);
    expect(s3.created).toContain(`blobs/${key}`);
    expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(bytes));
  });

  it('writes the same bytes once: a second put of a stored key sends nothing', async () => {
    const bytes = bytesOf('the same evidence, uploaded twice');
    const key = sha256(bytes);
    const before = s3.created.length;
    await store.put(key, bytes);
    await store.put(key, bytes);
    await Promise.all([store.put(key, bytes), store.put(key, bytes)]);
    expect(s3.created.slice(before)).toEqual([`blobs/${key}`]);
  });

  it('answers null for a key nothing is stored under', async () => {
    expect(await store.get(sha256(bytesOf('never uploaded')))).toBeNull();
  });

  it('refuses a key that is not a lowercase SHA-256 before anything is sent', async () => {
    const before = s3.created.length;
    await expect(store.put('../../etc/passwd', bytesOf('x'))).rejects.toThrow(/SHA-256/);
    await expect(store.get('A'.repeat(64))).rejects.toThrow(/SHA-256/);
    expect(s3.created.length).toBe(before);
  });

  it('never serves bytes that no longer match their hash (ERR_MEDIA_CORRUPT)', async () => {
    const bytes = bytesOf('the original');
    const key = sha256(bytes);
    // Another writer (or a bit flip) puts other bytes under the key.
    await createS3Client(settings).send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `blobs/${key}`, Body: bytesOf('tampered') }));
    const err = await failure(store.get(key));
    expect(err.code).toBe('ERR_MEDIA_CORRUPT');
    expect(err.errorClass).toBe('unavailable');
  });

  it('keeps thumbnails in their own namespace, unverified (their key is the hash of the original)', async () => {
    const thumbs = createS3BlobStore(settings, { prefix: 'thumbnails/320/', verify: false });
    const key = sha256(bytesOf('the original photo'));
    await thumbs.put(key, bytesOf('a small webp'));
    expect(s3.created).toContain(`thumbnails/320/${key}`);
    expect(Buffer.from((await thumbs.get(key))!).toString()).toBe('a small webp');
    expect(await store.get(key)).toBeNull();
  });

  it('reports a missing bucket as ERR_MEDIA_UNAVAILABLE (a misconfiguration, not a missing file)', async () => {
    const wrong = createS3BlobStore({ ...settings, bucket: 'no-such-bucket' }, { prefix: 'blobs/' });
    const bytes = bytesOf('x');
    expect((await failure(wrong.get(sha256(bytes)))).details).toMatchObject({ store: 's3', reason: 'NoSuchBucket' });
    expect((await failure(wrong.put(sha256(bytes), bytes))).code).toBe('ERR_MEDIA_UNAVAILABLE');
  });

  it('reports an unreachable endpoint as ERR_MEDIA_UNAVAILABLE (503), and logs no credential', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } });
    const logger = createLogger({ LOG_LEVEL: 'trace' }, sink);
    const port = await deadPort();
    const dead = createS3BlobStore(
      { ...settings, endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'AKIAEXAMPLEKEYID', secretAccessKey: secret },
      { prefix: 'blobs/', log: logger },
    );
    const bytes = bytesOf('cannot be stored');
    for (const call of [() => dead.put(sha256(bytes), bytes), () => dead.get(sha256(bytes))]) {
      const err = await failure(call());
      expect(err.code).toBe('ERR_MEDIA_UNAVAILABLE');
      expect(err.details).toEqual({ store: 's3', reason: 'ECONNREFUSED' });
      expect(JSON.stringify(err.details) + err.message).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('')).toContain('ECONNREFUSED');
    expect(lines.join('')).not.toContain(secret);
  });
});

describe('S3 configuration', () => {
  const s3Env = { MEDIA_STORE: 's3', S3_BUCKET: 'tyndau-media', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: 'very-secret-value-0123456789' };
  const load = (env: Record<string, string>) => loadConfig({}, { SECRET_KEY: 'x'.repeat(32), ...env });
  const refusal = (env: Record<string, string>): string => {
    try {
      load(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('is local files by default', () => {
    expect(load({}).MEDIA_STORE).toBe('local');
  });

  it('accepts a loopback endpoint outside production', () => {
    const config = load({ ...s3Env, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' });
    expect(config).toMatchObject({ MEDIA_STORE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: true, S3_REGION: 'us-east-1' });
  });

  it.each([
    ['another host', 'https://s3.eu-central-1.amazonaws.com', /S3_ENDPOINT: .*loopback.*s3\.eu-central-1\.amazonaws\.com/],
    ['a private address', 'http://10.0.0.5:9000', /S3_ENDPOINT: .*loopback.*10\.0\.0\.5/],
  ])('refuses %s outside production', (_what, endpoint, message) => {
    expect(refusal({ ...s3Env, S3_ENDPOINT: endpoint })).toMatch(message);
  });

  it('refuses AWS itself (no endpoint) outside production, and accepts it in production', () => {
    expect(refusal(s3Env)).toMatch(/S3_ENDPOINT: .*AWS/);
    expect(load({ ...s3Env, NODE_ENV: 'production' }).S3_ENDPOINT).toBeUndefined();
  });

  it('needs a bucket, and both keys or neither; the message names the key, never the secret', () => {
    const { S3_BUCKET: _bucket, ...noBucket } = s3Env;
    expect(refusal({ ...noBucket, S3_ENDPOINT: 'http://localhost:9000' })).toMatch(/S3_BUCKET: is required/);
    const { S3_ACCESS_KEY_ID: _id, ...secretOnly } = s3Env;
    const message = refusal({ ...secretOnly, S3_ENDPOINT: 'http://localhost:9000' });
    expect(message).toMatch(/S3_SECRET_ACCESS_KEY/);
    expect(message).not.toContain(s3Env.S3_SECRET_ACCESS_KEY);
    expect(refusal({ ...s3Env, S3_ENDPOINT: 'ftp://localhost', S3_BUCKET: 'Bad_Bucket' })).toMatch(/S3_ENDPOINT[\s\S]*S3_BUCKET|S3_BUCKET[\s\S]*S3_ENDPOINT/);
  });
});
