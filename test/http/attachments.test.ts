import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanFileName } from '../../src/core/attachments.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';

const MAX_BYTES = 2048;
const LIGHTING = 'astana.utility.lighting';

interface AttachmentBody {
  id: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  fileName: string;
  uploaderRole: string;
  createdAt: string;
}
interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | null };
}
interface EventBody {
  type: string;
  actorRole: string;
  payload: Record<string, unknown>;
}

// ---- Real files, built byte by byte -------------------------------------------------------------

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG: signature, IHDR, one IDAT of zlib-compressed grey pixels, IEND. */
function png(width = 1, height = 1, grey = 0x80): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc((width + 1) * height, grey);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter type None
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(rows)),
      pngChunk('IEND', new Uint8Array(0)),
    ]),
  );
}

/** A PNG grown to an exact size with a private ancillary chunk (still a valid image). */
function pngOfSize(size: number): Uint8Array {
  const base = png();
  const padding = size - base.byteLength - 12;
  if (padding < 0) throw new Error('too small for a PNG');
  const iend = base.byteLength - 12;
  return new Uint8Array(Buffer.concat([base.subarray(0, iend), pngChunk('teXt', Buffer.alloc(padding, 0x41)), base.subarray(iend)]));
}

/** A minimal one-page PDF 1.4 with a correct cross-reference table. */
function pdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>',
  ];
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
function exe(): Uint8Array {
  const bytes = Buffer.alloc(256);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('This program cannot be run in DOS mode.', 0x40, 'latin1');
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x14c, 0x84); // i386
  return new Uint8Array(bytes);
}

const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// ---- Requests ---------------------------------------------------------------------------------------

/** A multipart/form-data body as a browser would send it, built by the platform's own FormData. */
async function multipart(fileName: string, bytes: Uint8Array, claimedType = 'application/octet-stream') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: claimedType }), fileName);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

let t: TestApp;
let citizen: { token: string };
let otherCitizen: { token: string };
let executor: { token: string; id: string };
let blobsDir: string;

beforeAll(async () => {
  t = await buildTestApp({ config: { ATTACHMENT_MAX_BYTES: MAX_BYTES } });
  citizen = await t.citizen('+77017770101');
  otherCitizen = await t.citizen('+77017770102');
  executor = await t.staff('executor', LIGHTING);
  blobsDir = path.join(t.platform.config.DATA_DIR, 'blobs');
});
afterAll(async () => t.close());

async function newCase(): Promise<string> {
  const receipt = await submitCase(t, {}, bearer(citizen.token));
  expect(receipt.organisation.id).toBe(LIGHTING);
  return receipt.caseId;
}

async function upload(caseId: string, fileName: string, bytes: Uint8Array, claimedType?: string, token = citizen.token): Promise<LightMyRequestResponse> {
  const { payload, contentType } = await multipart(fileName, bytes, claimedType);
  t.clock.advance(1000); // each upload at its own moment: lists are in upload order
  return t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, headers: { ...bearer(token), 'content-type': contentType }, payload });
}

async function uploaded(caseId: string, fileName: string, bytes: Uint8Array, claimedType?: string): Promise<AttachmentBody> {
  const res = await upload(caseId, fileName, bytes, claimedType);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<AttachmentBody>();
}

function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode, res.body).toBe(status);
  const { error } = res.json<ErrorBody>();
  expect(error.code).toBe(code);
  return error;
}

/** Every file under DATA_DIR/blobs, relative to it. */
function blobFiles(): string[] {
  if (!existsSync(blobsDir)) return [];
  return readdirSync(blobsDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(blobsDir, path.join(d.parentPath, d.name)))
    .sort();
}

const blobPath = (hash: string): string => path.join(blobsDir, hash.slice(0, 2), hash.slice(2, 4), hash);

// ---- Tests ------------------------------------------------------------------------------------------

describe('attachments', () => {
  it('stores a real PNG and PDF with the type sniffed from their bytes and their SHA-256', async () => {
    const caseId = await newCase();
    const image = png(2, 2);
    const document = pdf();
    const a = await uploaded(caseId, 'photo.png', image, 'image/png');
    expect(a).toMatchObject({ mediaType: 'image/png', sizeBytes: image.byteLength, fileName: 'photo.png', uploaderRole: 'applicant', sha256: sha256(image) });
    const b = await uploaded(caseId, 'справка.pdf', document, 'application/pdf');
    expect(b).toMatchObject({ mediaType: 'application/pdf', sizeBytes: document.byteLength, sha256: sha256(document), fileName: 'справка.pdf' });
    expect(readFileSync(blobPath(a.sha256))).toEqual(Buffer.from(image));
    expect(readFileSync(blobPath(b.sha256))).toEqual(Buffer.from(document));

    const list = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments`, headers: bearer(executor.token) });
    expect(list.statusCode).toBe(200);
    expect(list.json<AttachmentBody[]>().map((x) => x.id)).toEqual([a.id, b.id]);
  });

  it('keeps the name it was given, but not the type: a PNG called evil.exe is an image/png', async () => {
    const caseId = await newCase();
    const image = png(3, 1, 0x10);
    const a = await uploaded(caseId, 'evil.exe', image, 'application/x-msdownload');
    expect(a).toMatchObject({ mediaType: 'image/png', fileName: 'evil.exe' });
  });

  it.each([
    ['an executable', exe(), 'image/jpeg', 'application/x-msdownload'],
    ['an HTML page', text('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'), 'image/jpeg', null],
    ['plain text', text('just some words, not a photo at all'), 'image/jpeg', null],
  ] as const)('refuses %s named photo.jpg (415 ERR_ATTACHMENT_TYPE)', async (_what, bytes, claimed, detected) => {
    const caseId = await newCase();
    const error = expectError(await upload(caseId, 'photo.jpg', bytes, claimed), 415, 'ERR_ATTACHMENT_TYPE');
    expect(error.details).toMatchObject({ detected });
    expect(blobFiles().some((f) => f.endsWith(sha256(bytes)))).toBe(false);
    const list = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments`, headers: bearer(citizen.token) });
    expect(list.json()).toEqual([]);
  });

  it('refuses an empty file (400 ERR_ATTACHMENT_EMPTY)', async () => {
    const caseId = await newCase();
    expectError(await upload(caseId, 'photo.png', new Uint8Array(0), 'image/png'), 400, 'ERR_ATTACHMENT_EMPTY');
  });

  it('refuses a request that is not multipart (415)', async () => {
    const caseId = await newCase();
    const res = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, headers: bearer(citizen.token), payload: { file: 'iVBORw0KGgo=' } });
    expectError(res, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it(`takes a file of exactly ATTACHMENT_MAX_BYTES (${MAX_BYTES}) and refuses one byte more (413)`, async () => {
    const caseId = await newCase();
    const fits = pngOfSize(MAX_BYTES);
    expect(fits.byteLength).toBe(MAX_BYTES);
    expect(await uploaded(caseId, 'fits.png', fits)).toMatchObject({ mediaType: 'image/png', sizeBytes: MAX_BYTES });
    const tooBig = pngOfSize(MAX_BYTES + 1);
    const error = expectError(await upload(caseId, 'big.png', tooBig), 413, 'ERR_ATTACHMENT_TOO_LARGE');
    expect(error.message).toBeTruthy();
    expectError(await upload(caseId, 'huge.png', pngOfSize(MAX_BYTES * 4)), 413, 'ERR_ATTACHMENT_TOO_LARGE');
    expect(existsSync(blobPath(sha256(tooBig)))).toBe(false);
  });

  it('stores the same bytes once on disk, content-addressed by SHA-256, and records the hash in the event', async () => {
    const first = await newCase();
    const second = await newCase();
    const image = png(4, 4, 0x33);
    const hash = sha256(image);
    const before = blobFiles();
    const a = await uploaded(first, 'a.png', image);
    const b = await uploaded(first, 'b.png', image);
    const c = await uploaded(second, 'c.png', image);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect([a.sha256, b.sha256, c.sha256]).toEqual([hash, hash, hash]);

    const file = blobPath(hash);
    expect(existsSync(file)).toBe(true);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash);
    const added = blobFiles().filter((f) => !before.includes(f));
    expect(added).toEqual([path.join(hash.slice(0, 2), hash.slice(2, 4), hash)]);
    expect(blobFiles().filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const res = await t.request({ method: 'GET', url: `/api/v1/cases/${first}/events`, headers: bearer(citizen.token) });
    const events = res.json<EventBody[]>().filter((e) => e.type === 'case.attachment_added');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actorRole: 'applicant', payload: { attachmentId: a.id, sha256: hash, mediaType: 'image/png', sizeBytes: image.byteLength } });
    expect(events[1]?.payload).toMatchObject({ attachmentId: b.id, sha256: hash });
  });

  it('downloads the identical bytes with the sniffed type, nosniff and an attachment disposition', async () => {
    const caseId = await newCase();
    const image = png(5, 3, 0x44);
    const document = pdf();
    const a = await uploaded(caseId, 'evil.exe', image, 'application/x-msdownload');
    const b = await uploaded(caseId, 'ответ.pdf', document, 'text/html');
    expect(b).toMatchObject({ mediaType: 'application/pdf', fileName: 'ответ.pdf' });
    for (const [att, bytes, type] of [[a, image, 'image/png'], [b, document, 'application/pdf']] as const) {
      for (const token of [citizen.token, executor.token]) {
        const res = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments/${att.id}/content`, headers: bearer(token) });
        expect(res.statusCode).toBe(200);
        expect(res.rawPayload).toEqual(Buffer.from(bytes));
        expect(res.headers['content-type']).toBe(type);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(att.fileName)}`);
      }
    }
  });

  it('shows the files of a case to nobody else', async () => {
    const caseId = await newCase();
    const a = await uploaded(caseId, 'photo.png', png());
    const url = `/api/v1/cases/${caseId}/attachments/${a.id}/content`;
    expectError(await t.request({ method: 'GET', url, headers: bearer(otherCitizen.token) }), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await upload(caseId, 'x.png', png(), 'image/png', otherCitizen.token), 404, 'ERR_CASE_NOT_FOUND');
    // Signed out is 401 before anything is looked up (as in the access matrix).
    expectError(await t.request({ method: 'GET', url }), 401, 'ERR_UNAUTHENTICATED');
    // An attachment id of another case does not open through this one.
    const other = await newCase();
    expectError(await t.request({ method: 'GET', url: `/api/v1/cases/${other}/attachments/${a.id}/content`, headers: bearer(citizen.token) }), 404, 'ERR_ATTACHMENT_NOT_FOUND');
  });

  it('cleans a file name: no path, no separators, no control characters', async () => {
    const caseId = await newCase();
    const traversal = await uploaded(caseId, '../../etc/passwd.png', png());
    expect(traversal.fileName).toBe('passwd.png');
    const windows = await uploaded(caseId, '..\\..\\Windows\\System32\\evil.png', png());
    expect(windows.fileName).toBe('evil.png');
    const odd = await uploaded(caseId, 'a<b>:c|d?*e.png', png());
    expect(odd.fileName).toBe('a_b__c_d__e.png');
    for (const name of [traversal.fileName, windows.fileName, odd.fileName]) expect(name).not.toMatch(/[/\\<>:|?*]/);

    // The rule itself, whatever the multipart parser already stripped.
    expect(cleanFileName('../../etc/passwd.png')).not.toMatch(/[/\\]/);
    expect(cleanFileName('../../etc/passwd.png')).toMatch(/passwd\.png$/);
    expect(cleanFileName('..\\..\\boot.ini')).not.toMatch(/[/\\]/);
    expect(cleanFileName('report\u0000.pdf\r\n')).toBe('report_.pdf__');
    expect(cleanFileName('справка о доходах 2026.pdf')).toBe('справка о доходах 2026.pdf');
    expect(cleanFileName('')).toBe('file');
    const long = cleanFileName(`${'a'.repeat(300)}.png`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('.png')).toBe(true);
  });

  it('refuses a file on a closed case (409 ERR_CASE_CLOSED)', async () => {
    const caseId = await newCase();
    const withdraw = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/withdraw`, headers: bearer(citizen.token), payload: {} });
    expect(withdraw.statusCode, withdraw.body).toBe(200);
    expectError(await upload(caseId, 'late.png', png()), 409, 'ERR_CASE_CLOSED');
  });
});
