import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DomainError } from '../core/errors.ts';
import type { BlobStore } from '../core/ports.ts';
import { assertBlobKey, sha256Hex, verifiedBlob, type BlobStoreOptions } from './blob-store.ts';

export interface S3Settings {
  /** Unset: AWS S3 itself. */
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  /** Both or neither; neither: the SDK's default credential chain (environment, profile, instance role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  forcePathStyle: boolean;
}

export interface S3BlobStoreOptions extends BlobStoreOptions {
  /** Keys are `<prefix><sha256>`: originals under "blobs/", thumbnails under "thumbnails/320/". */
  prefix: string;
  /** Where a failure is reported for the operator (the caller only sees the stable code). */
  log?: { warn(record: Record<string, unknown>, message: string): void };
  /** A store shares one client (one connection pool) with its sibling stores. */
  client?: S3Client;
}

// A dead endpoint must fail fast (connect), a slow one within a bound (no bytes for this long).
const CONNECT_TIMEOUT_MS = 3_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** One client per configuration; the credentials stay inside it and are never logged. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: SOCKET_TIMEOUT_MS },
    // Only the checksums S3 demands: S3-compatible services (MinIO, Ceph, s3rver) differ in the optional ones,
    // and every read is checked against its SHA-256 here anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    ...(settings.accessKeyId !== undefined && settings.secretAccessKey !== undefined
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
  });
}

const statusOf = (err: unknown): number | undefined => (err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined);

/** The object is not there (the bucket is: a missing bucket is a misconfiguration, reported as unavailable). */
const isAbsent = (err: unknown): boolean =>
  err instanceof S3ServiceException && (err.name === 'NoSuchKey' || (err.name === 'NotFound' && statusOf(err) === 404));

/** A conditional put lost to another writer of the same key: the same bytes are already stored. */
const isAlreadyThere = (err: unknown): boolean => {
  const status = statusOf(err);
  return status === 412 || (status === 409 && err instanceof S3ServiceException && err.name === 'ConditionalRequestConflict');
};

/** A name for the failure that carries no secret: the S3 error code, or the network error's code. */
function reasonOf(err: unknown): string {
  if (err instanceof S3ServiceException) return err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'unknown';
}

/**
 * Content-addressed bytes in an S3-compatible bucket. A put asks first whether the key is there (HEAD) and
 * writes only if not, conditionally (If-None-Match: *), with the SHA-256 for the service to check; a get
 * checks the bytes against their key. Any failure of the service or the network is ERR_MEDIA_UNAVAILABLE
 * (503): never a 500, never half a file.
 */
export function createS3BlobStore(settings: S3Settings, options: S3BlobStoreOptions): BlobStore {
  const client = options.client ?? createS3Client(settings);
  const verify = options.verify ?? true;
  const Bucket = settings.bucket;
  const keyOf = (sha256: string): string => {
    assertBlobKey(sha256);
    return `${options.prefix}${sha256}`;
  };
  const failed = (op: string, err: unknown): DomainError => {
    const reason = reasonOf(err);
    options.log?.warn({ store: 's3', op, bucket: Bucket, reason, status: statusOf(err) ?? null }, 'media store failed');
    return new DomainError('ERR_MEDIA_UNAVAILABLE', undefined, { store: 's3', reason });
  };

  async function exists(Key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key }));
      return true;
    } catch (err) {
      if (isAbsent(err)) return false;
      throw failed('head', err);
    }
  }

  return {
    async put(sha256, bytes) {
      const Key = keyOf(sha256);
      if (await exists(Key)) return;
      // The service checks the upload against this digest (S3 answers BadDigest to a corrupted body).
      const digest = verify ? sha256 : sha256Hex(bytes);
      try {
        await client.send(
          new PutObjectCommand({ Bucket, Key, Body: bytes, ContentLength: bytes.byteLength, IfNoneMatch: '*', ChecksumSHA256: Buffer.from(digest, 'hex').toString('base64') }),
        );
      } catch (err) {
        if (isAlreadyThere(err)) return;
        throw failed('put', err);
      }
    },
    async get(sha256) {
      const Key = keyOf(sha256);
      let bytes: Uint8Array;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key }));
        if (!object.Body) return null;
        bytes = await object.Body.transformToByteArray();
      } catch (err) {
        if (isAbsent(err)) return null;
        throw failed('get', err);
      }
      return verifiedBlob(sha256, bytes, verify);
    },
  };
}
