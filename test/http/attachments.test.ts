import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanFileName } from '../../src/core/attachments.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';
import { exe, pdf, png, pngOfSize, sha256, upload as uploadFile, uploaded as uploadedFile, type AttachmentBody } from '../support/files.ts';

const MAX_BYTES = 2048;
const LIGHTING = 'astana.utility.lighting';

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | null };
}
interface EventBody {
  type: string;
  actorRole: string;
  payload: Record<string, unknown>;
}

const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

// ---- Requests ---------------------------------------------------------------------------------------

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

function upload(caseId: string, fileName: string, bytes: Uint8Array, claimedType?: string, token = citizen.token): Promise<LightMyRequestResponse> {
  t.clock.advance(1000); // each upload at its own moment: lists are in upload order
  return uploadFile(t, caseId, fileName, bytes, token, claimedType);
}

function uploaded(caseId: string, fileName: string, bytes: Uint8Array, claimedType?: string): Promise<AttachmentBody> {
  t.clock.advance(1000);
  return uploadedFile(t, caseId, fileName, bytes, citizen.token, claimedType);
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
    const image = png(0x80, { width: 2, height: 2 });
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
    const image = png(0x10, { width: 3, height: 1 });
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
    const image = png(0x33, { width: 4, height: 4 });
    const hash = sha256(image);
    const before = blobFiles();
    const a = await uploaded(first, 'a.png', image);
    const b = await uploaded(first, 'b.png', image);
    const c = await uploaded(second, 'c.png', image);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect([a.sha256, b.sha256, c.sha256]).toEqual([hash, hash, hash]);

    const file = blobPath(hash);
    expect(existsSync(file)).toBe(true);
    expect(sha256(readFileSync(file))).toBe(hash);
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
    const image = png(0x44, { width: 5, height: 3 });
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
