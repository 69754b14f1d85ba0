import type SharpModule from 'sharp';
import { DomainError } from '../core/errors.ts';
import type { BlobStore } from '../core/ports.ts';

/** The longest side of a thumbnail, in pixels. A change of size or format needs a new THUMBNAIL_NAMESPACE. */
export const THUMBNAIL_SIZE = 320;
/** Where thumbnails are kept beside the originals: a folder under DATA_DIR, a key prefix in the bucket. */
export const THUMBNAIL_NAMESPACE = 'thumbnails/320';
export const THUMBNAIL_TYPE = 'image/webp';

// libvips is loaded on the first thumbnail, not by every process that builds the platform.
let sharpModule: Promise<typeof SharpModule> | null = null;
const loadSharp = (): Promise<typeof SharpModule> => (sharpModule ??= import('sharp').then((m) => m.default));

/**
 * The pixels an original may declare before it is refused unread: 100 megapixels is above any phone
 * photo in practice, and far below a decompression bomb (a few bytes of PNG declaring 30000 × 30000).
 */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** Images the bundled libvips decodes (HEIC is not among them: its codec is not shipped with sharp). */
const SOURCES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);

export interface Thumbnail {
  bytes: Uint8Array;
  mediaType: string;
}

export interface Thumbnails {
  /** The thumbnail of a stored original: made on the first request, then read from the store. */
  of(original: { sha256: string; mediaType: string }): Promise<Thumbnail>;
}

export interface ThumbnailOptions {
  /** Where the originals are (the attachments' store). */
  originals: BlobStore;
  /** Where thumbnails are kept, keyed by the SHA-256 of their original. */
  cache: BlobStore;
  maxPixels?: number;
  /** Thumbnails rendered at once by this process; more requests wait their turn. */
  concurrency?: number;
  /** Longest one rendering may take. */
  timeoutSeconds?: number;
}

/** A small counting semaphore: the work of decoding images is bounded whatever the number of requests. */
function limiter(slots: number): <T>(job: () => Promise<T>) => Promise<T> {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * Renders a thumbnail: at most THUMBNAIL_SIZE on its longest side (never enlarged), turned upright by its
 * EXIF orientation, re-encoded as WebP without any metadata (no EXIF, so no GPS position, no camera,
 * no ICC profile). The size the header declares is checked before a pixel is decoded.
 */
export async function renderThumbnail(bytes: Uint8Array, options: { maxPixels?: number; timeoutSeconds?: number } = {}): Promise<Uint8Array> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const sharp = await loadSharp();
    const { width, height } = await sharp(input, { limitInputPixels: false }).metadata();
    if (!width || !height) throw new DomainError('ERR_IMAGE_UNREADABLE');
    if (width * height > maxPixels) throw new DomainError('ERR_IMAGE_TOO_MANY_PIXELS', undefined, { width, height, maxPixels });
    // limitInputPixels again in the pipeline: the decoder itself refuses what the header check let by.
    const out = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error' })
      .timeout({ seconds: options.timeoutSeconds ?? 10 })
      .rotate()
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const message = err instanceof Error ? err.message : '';
    if (/pixel limit/i.test(message)) throw new DomainError('ERR_IMAGE_TOO_MANY_PIXELS', undefined, { maxPixels });
    throw new DomainError('ERR_IMAGE_UNREADABLE', undefined, { reason: /timeout/i.test(message) ? 'timeout' : 'decode' });
  }
}

/**
 * Thumbnails made lazily and kept content-addressed: the first request renders and stores one, later
 * requests (on any node sharing the store) read it. Concurrent requests for one original share one rendering.
 */
export function createThumbnails(options: ThumbnailOptions): Thumbnails {
  const limit = limiter(options.concurrency ?? 2);
  const rendering = new Map<string, Promise<Thumbnail>>();

  async function make(sha256: string): Promise<Thumbnail> {
    return limit(async () => {
      const cached = await options.cache.get(sha256);
      if (cached) return { bytes: cached, mediaType: THUMBNAIL_TYPE };
      const original = await options.originals.get(sha256);
      if (!original) throw new DomainError('ERR_ATTACHMENT_NOT_FOUND');
      const bytes = await renderThumbnail(original, options);
      await options.cache.put(sha256, bytes);
      return { bytes, mediaType: THUMBNAIL_TYPE };
    });
  }

  return {
    async of(original) {
      if (!SOURCES.has(original.mediaType)) throw new DomainError('ERR_THUMBNAIL_UNSUPPORTED', undefined, { mediaType: original.mediaType });
      const cached = await options.cache.get(original.sha256);
      if (cached) return { bytes: cached, mediaType: THUMBNAIL_TYPE };
      let pending = rendering.get(original.sha256);
      if (!pending) {
        pending = make(original.sha256).finally(() => rendering.delete(original.sha256));
        rendering.set(original.sha256, pending);
      }
      return pending;
    },
  };
}
