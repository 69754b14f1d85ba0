import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { renderThumbnail, THUMBNAIL_NAMESPACE } from '../../src/media/thumbnails.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';
import { pdf, uploaded } from '../support/files.ts';
import { GPS, jpegWithGps, pngBomb, pngWithAlpha, webpChunks } from './images.ts';
import { contentUrl, expectError, thumbnailUrl } from './requests.ts';

let t: TestApp;
let citizen: { token: string };
let otherCitizen: { token: string };
let executor: { token: string };
let otherOrgExecutor: { token: string };

beforeAll(async () => {
  t = await buildTestApp();
  citizen = await t.citizen('+77017770301');
  otherCitizen = await t.citizen('+77017770302');
  executor = await t.staff('executor', 'astana.utility.lighting');
  otherOrgExecutor = await t.staff('executor', 'almaty.dept.roads');
});
afterAll(async () => t.close());

const newCase = async (): Promise<string> => (await submitCase(t, {}, bearer(citizen.token))).caseId;
const cachedFile = (sha: string): string => path.join(t.platform.config.DATA_DIR, THUMBNAIL_NAMESPACE, sha.slice(0, 2), sha.slice(2, 4), sha);

async function thumbnail(caseId: string, attachmentId: string, token: string) {
  const res = await t.request({ method: 'GET', url: thumbnailUrl(caseId, attachmentId), headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('image/webp');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  return { res, meta: await sharp(res.rawPayload).metadata() };
}

describe('thumbnails', () => {
  it('turns a camera JPEG upright, at most 320 px, and strips its EXIF: no GPS position leaves in a thumbnail', async () => {
    const caseId = await newCase();
    const photo = await jpegWithGps(1600, 1200);
    // The premise: the original carries the position and the orientation.
    const original = await exifr.parse(Buffer.from(photo), { gps: true });
    expect(original).toMatchObject({ latitude: GPS.latitude, longitude: GPS.longitude, Make: 'TestCam' });
    const a = await uploaded(t, caseId, 'photo.jpg', photo, citizen.token);

    const { res, meta } = await thumbnail(caseId, a.id, executor.token);
    // Stored 1600 × 1200 with orientation 6 (shown turned): upright it is 1200 × 1600, so 240 × 320.
    expect([meta.width, meta.height]).toEqual([240, 320]);
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(webpChunks(res.rawPayload).filter((c) => ['EXIF', 'XMP ', 'ICCP'].includes(c))).toEqual([]);
    expect(res.rawPayload.includes(Buffer.from('TestCam'))).toBe(false);
    expect(res.rawPayload.byteLength).toBeLessThan(photo.byteLength);

    // The download of the original is untouched: the evidence keeps its EXIF.
    const download = await t.request({ method: 'GET', url: contentUrl(caseId, a.id), headers: bearer(executor.token) });
    expect(download.rawPayload).toEqual(Buffer.from(photo));
  });

  it('keeps a PNG transparent, and never enlarges a small image', async () => {
    const caseId = await newCase();
    const wide = await uploaded(t, caseId, 'plan.png', await pngWithAlpha(1000, 200), citizen.token);
    const wideThumb = await thumbnail(caseId, wide.id, citizen.token);
    expect([wideThumb.meta.width, wideThumb.meta.height]).toEqual([320, 64]);
    expect(wideThumb.meta.hasAlpha).toBe(true);

    const small = await uploaded(t, caseId, 'icon.png', await pngWithAlpha(50, 40), citizen.token);
    const smallThumb = await thumbnail(caseId, small.id, citizen.token);
    expect([smallThumb.meta.width, smallThumb.meta.height]).toEqual([50, 40]);
  });

  it('makes a thumbnail once and keeps it, content-addressed by the SHA-256 of the original', async () => {
    const caseId = await newCase();
    const a = await uploaded(t, caseId, 'p.png', await pngWithAlpha(640, 480), citizen.token);
    expect(existsSync(cachedFile(a.sha256))).toBe(false);
    const [first, ...others] = await Promise.all(Array.from({ length: 5 }, () => thumbnail(caseId, a.id, citizen.token)));
    for (const o of others) expect(o.res.rawPayload).toEqual(first!.res.rawPayload);
    expect(readFileSync(cachedFile(a.sha256))).toEqual(first!.res.rawPayload);

    // Later requests read the kept file: replaced under its key, the replacement is what is served.
    const marker = await sharp({ create: { width: 7, height: 7, channels: 3, background: '#000' } }).webp().toBuffer();
    writeFileSync(cachedFile(a.sha256), marker);
    const again = await thumbnail(caseId, a.id, citizen.token);
    expect(again.res.rawPayload).toEqual(marker);

    // The same bytes on another case share the kept thumbnail.
    const other = await newCase();
    const b = await uploaded(t, other, 'same.png', Buffer.from(readFileSync(path.join(t.platform.config.DATA_DIR, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256))), citizen.token);
    expect(b.sha256).toBe(a.sha256);
    expect((await thumbnail(other, b.id, citizen.token)).res.rawPayload).toEqual(marker);
  });

  it('answers 415 ERR_THUMBNAIL_UNSUPPORTED for a PDF', async () => {
    const caseId = await newCase();
    const a = await uploaded(t, caseId, 'act.pdf', pdf(), citizen.token);
    const res = await t.request({ method: 'GET', url: thumbnailUrl(caseId, a.id), headers: bearer(citizen.token) });
    expect(expectError(res, 415, 'ERR_THUMBNAIL_UNSUPPORTED')).toEqual({ mediaType: 'application/pdf' });
  });

  it('refuses a decompression bomb (a tiny PNG declaring 30000 × 30000) before decoding it: 422', async () => {
    const caseId = await newCase();
    const bomb = pngBomb();
    expect(bomb.byteLength).toBeLessThan(1024);
    const a = await uploaded(t, caseId, 'bomb.png', bomb, citizen.token);
    expect(a.mediaType).toBe('image/png');
    const started = process.memoryUsage().rss;
    const res = await t.request({ method: 'GET', url: thumbnailUrl(caseId, a.id), headers: bearer(citizen.token) });
    expect(expectError(res, 422, 'ERR_IMAGE_TOO_MANY_PIXELS')).toMatchObject({ width: 30_000, height: 30_000 });
    expect(process.memoryUsage().rss - started).toBeLessThan(300 * 1024 * 1024);
    expect(existsSync(cachedFile(a.sha256))).toBe(false);
  });

  it('holds any configured pixel limit, and names an undecodable image', async () => {
    // 2000 × 2000 is an ordinary photo size, but over a limit of one megapixel.
    const err = await renderThumbnail(pngBomb(2_000), { maxPixels: 1_000_000 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('ERR_IMAGE_TOO_MANY_PIXELS');
    const broken = Buffer.from(await jpegWithGps(64, 64)).subarray(0, 200);
    const unreadable = await renderThumbnail(broken).then(() => null, (e: unknown) => e);
    expect((unreadable as DomainError).code).toBe('ERR_IMAGE_UNREADABLE');
  });
});

describe('thumbnail access: the same rules as the download', () => {
  it('shows a thumbnail to nobody else: another organisation and another citizen get 404, signed out 401', async () => {
    const caseId = await newCase();
    const a = await uploaded(t, caseId, 'p.png', await pngWithAlpha(100, 100), citizen.token);
    const url = thumbnailUrl(caseId, a.id);
    expectError(await t.request({ method: 'GET', url, headers: bearer(otherOrgExecutor.token) }), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await t.request({ method: 'GET', url, headers: bearer(otherCitizen.token) }), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await t.request({ method: 'GET', url }), 401, 'ERR_UNAUTHENTICATED');
    // An attachment of another case does not open through this one; nor does an id that is no attachment.
    const other = await newCase();
    expectError(await t.request({ method: 'GET', url: thumbnailUrl(other, a.id), headers: bearer(citizen.token) }), 404, 'ERR_ATTACHMENT_NOT_FOUND');
    expectError(await t.request({ method: 'GET', url: thumbnailUrl(caseId, caseId), headers: bearer(citizen.token) }), 404, 'ERR_ATTACHMENT_NOT_FOUND');
    expectError(await t.request({ method: 'GET', url: thumbnailUrl(caseId, 'not-a-uuid'), headers: bearer(citizen.token) }), 400, 'ERR_VALIDATION');
  });

  it("records a staff member's read of a confidential case's thumbnail as an event, and lets no cache keep it", async () => {
    const head = await t.staff('head', 'astana.psychologists');
    const psychologist = await t.staff('psychologist', 'astana.psychologists');
    const unassigned = await t.staff('psychologist', 'astana.psychologists');
    const child = await submitCase(t, { channel: 'child', category: 'child.bullying', text: 'Мені сыныптастарым мазақтайды', districtId: 'astana.esil' }, bearer(citizen.token));
    expect(child.organisation.id).toBe('astana.psychologists');
    const assigned = await t.request({ method: 'POST', url: `/api/v1/cases/${child.caseId}/assign`, headers: bearer(head.token), payload: { assigneeId: psychologist.id } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const a = await uploaded(t, child.caseId, 'bruise.jpg', await jpegWithGps(800, 600), citizen.token);

    const reads = async () => (await t.platform.read.store.events(child.caseId)).filter((e) => e.type === 'case.confidential_read');
    const before = await reads();
    const { res } = await thumbnail(child.caseId, a.id, psychologist.token);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const after = await reads();
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ actorId: psychologist.id, actorRole: 'psychologist', payload: { what: 'thumbnail' } });

    // The applicant's own read is not a confidential read; a psychologist not assigned sees nothing.
    await thumbnail(child.caseId, a.id, citizen.token);
    expect(await reads()).toHaveLength(after.length);
    expectError(await t.request({ method: 'GET', url: thumbnailUrl(child.caseId, a.id), headers: bearer(unassigned.token) }), 404, 'ERR_CASE_NOT_FOUND');
    expectError(await t.request({ method: 'GET', url: thumbnailUrl(child.caseId, a.id), headers: bearer(otherOrgExecutor.token) }), 404, 'ERR_CASE_NOT_FOUND');
  });

  it('lets the browser keep the thumbnail of an ordinary case for a day', async () => {
    const caseId = await newCase();
    const a = await uploaded(t, caseId, 'p.png', await pngWithAlpha(30, 30), citizen.token);
    const { res } = await thumbnail(caseId, a.id, citizen.token);
    expect(res.headers['cache-control']).toBe('private, max-age=86400');
  });
});

describe('thumbnail route in the API description', () => {
  it('is listed in OpenAPI under attachments', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, { get?: { tags?: string[] } }> }>();
    expect(doc.paths['/api/v1/cases/{id}/attachments/{attachmentId}/thumbnail']?.get?.tags).toEqual(['attachments']);
  });
});
