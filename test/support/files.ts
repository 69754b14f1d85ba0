/**
 * Files for the upload tests, built byte by byte (real enough for the sniffer and the decoders), and the
 * one way a test uploads a file to a case (multipart/form-data built by the platform's own FormData).
 * Camera-like photos made with sharp are in test/media/images.ts.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { bearer, type TestApp } from './app.ts';

export const MB = 1024 * 1024;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** An attachment as the API shows it. */
export interface AttachmentBody {
  id: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  fileName: string;
  uploaderRole: string;
}

// ---- Files ------------------------------------------------------------------------------------------

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A valid PNG of grey pixels (grey level `grey`, so two calls can give two different files): signature,
 * IHDR, one IDAT of zlib-compressed rows, IEND.
 */
export function png(grey = 0x80, size: { width: number; height: number } = { width: 1, height: 1 }): Uint8Array {
  const { width, height } = size;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc((width + 1) * height, grey);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter type None
  return new Uint8Array(Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', new Uint8Array(0))]));
}

/** A PNG of exactly `size` bytes, grown with a private ancillary chunk (still a valid image). */
export function pngOfSize(size: number): Uint8Array {
  const base = png();
  const padding = size - base.byteLength - 12;
  if (padding < 0) throw new Error('too small for a PNG');
  const iend = base.byteLength - 12;
  return new Uint8Array(Buffer.concat([base.subarray(0, iend), pngChunk('teXt', Buffer.alloc(padding, 0x41)), base.subarray(iend)]));
}

/** The first bytes of formats: enough for the sniffer, the rest is cheap zeros (see `padded`). */
export const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
export const MP4_HEAD = Buffer.concat([Buffer.from([0x00, 0x00, 0x00, 0x18]), Buffer.from('ftypmp42'), Buffer.from([0, 0, 0, 0]), Buffer.from('mp42isom')]);

/** `head` then zeros up to `size` bytes. */
export const padded = (head: Uint8Array, size: number): Buffer => Buffer.concat([head, Buffer.alloc(size - head.length)]);

/** What the sniffer takes for a JPEG, of exactly `size` bytes. */
export const jpegOfSize = (size: number): Buffer => padded(JPEG_HEAD, size);

/** A minimal one-page PDF 1.4 with a correct cross-reference table. */
export function pdf(): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

/** The start of a Windows executable: "MZ", the DOS stub, and a PE header at the offset it names. */
export function exe(): Uint8Array {
  const bytes = Buffer.alloc(256);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('This program cannot be run in DOS mode.', 0x40, 'latin1');
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x14c, 0x84); // i386
  return new Uint8Array(bytes);
}

/** A Linux executable (ELF). */
export const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]), Buffer.alloc(512)]);

// ---- Uploads ----------------------------------------------------------------------------------------

export interface FilePart {
  bytes: Uint8Array;
  name: string;
  /** What the client claims; never trusted. */
  type?: string;
}

/** A multipart/form-data body as a browser builds it (the platform's own FormData). */
export async function multipart(fields: Record<string, string>, files: readonly FilePart[] = [], fileField = 'file') {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  for (const f of files) data.append(fileField, new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const encoded = new Response(data);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

/** POST /cases/:id/attachments with one file, as the holder of `token`. */
export async function upload(t: TestApp, caseId: string, fileName: string, bytes: Uint8Array, token: string, claimedType?: string): Promise<LightMyRequestResponse> {
  const { payload, contentType } = await multipart({}, [{ bytes, name: fileName, ...(claimedType ? { type: claimedType } : {}) }]);
  return t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, headers: { ...bearer(token), 'content-type': contentType }, payload });
}

/** `upload`, which must succeed: the attachment. */
export async function uploaded(t: TestApp, caseId: string, fileName: string, bytes: Uint8Array, token: string, claimedType?: string): Promise<AttachmentBody> {
  const res = await upload(t, caseId, fileName, bytes, token, claimedType);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<AttachmentBody>();
}
