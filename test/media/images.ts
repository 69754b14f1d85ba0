import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { PNG_SIGNATURE, pngChunk } from '../support/files.ts';

/** Where the photos "were taken": a point in Astana, Esil district. */
export const GPS = { latitude: 51.128, longitude: 71.43 };

/**
 * A real camera-like JPEG: `width` × `height` pixels as stored, EXIF orientation 6 (to be shown turned
 * 90° clockwise), a camera make and a GPS position (51°7'40.8" N, 71°25'48" E).
 */
export async function jpegWithGps(width: number, height: number): Promise<Uint8Array> {
  const out = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg({ quality: 80 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'TestCam', Model: 'Evidence 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 7/1 4080/100', GPSLongitudeRef: 'E', GPSLongitude: '71/1 25/1 4800/100' },
    })
    .toBuffer();
  return new Uint8Array(out);
}

/** A PNG with transparency, from sharp's encoder. */
export async function pngWithAlpha(width: number, height: number): Promise<Uint8Array> {
  const out = await sharp({ create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.5 } } }).png().toBuffer();
  return new Uint8Array(out);
}

/**
 * A decompression bomb: a few hundred bytes of PNG whose header declares `side` × `side` 8-bit grey pixels
 * (30000 × 30000 = 900 million: 900 MB once decoded). The data holds only the first rows: a decoder that
 * believed the header would allocate the whole image before noticing.
 */
export function pngBomb(side = 30_000): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const rows = deflateSync(Buffer.alloc((side + 1) * 4, 0));
  return new Uint8Array(
    Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', new Uint8Array(0))]),
  );
}

/** The chunk types of a RIFF/WebP file, in order (VP8/VP8L/VP8X, and EXIF, XMP, ICCP when metadata is kept). */
export function webpChunks(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  if (b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not a WebP');
  const chunks: string[] = [];
  for (let at = 12; at + 8 <= b.length; ) {
    chunks.push(b.toString('latin1', at, at + 4));
    const size = b.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  return chunks;
}
