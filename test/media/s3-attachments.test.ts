import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { submitCase } from '../support/factories.ts';
import { pdf, sha256, upload, uploaded } from '../support/files.ts';
import { jpegWithGps } from './images.ts';
import { contentUrl, expectError, thumbnailUrl } from './requests.ts';
import { startLocalS3, type LocalS3 } from './support.ts';


let s3: LocalS3;
let t: TestApp;
let citizen: { token: string };
let executor: { token: string };

beforeAll(async () => {
  s3 = await startLocalS3();
  t = await buildTestApp({ config: s3.config });
  citizen = await t.citizen('+77017770401');
  executor = await t.staff('executor', 'astana.utility.lighting');
});
afterAll(async () => {
  await t.close();
  await s3.stop();
});

describe('attachments with MEDIA_STORE=s3 (s3rver on 127.0.0.1)', () => {
  it('uploads into the bucket, downloads the identical bytes, and keeps the thumbnail there too', async () => {
    expect(t.platform.config.MEDIA_STORE).toBe('s3');
    const caseId = (await submitCase(t, {}, bearer(citizen.token))).caseId;
    const photo = await jpegWithGps(900, 600);
    const document = pdf();
    const a = await uploaded(t, caseId, 'photo.jpg', photo, citizen.token);
    const b = await uploaded(t, caseId, 'act.pdf', document, citizen.token);
    expect(a).toMatchObject({ sha256: sha256(photo), mediaType: 'image/jpeg' });
    expect(s3.created).toEqual(expect.arrayContaining([`blobs/${a.sha256}`, `blobs/${b.sha256}`]));
    // Nothing went to the local folder.
    expect(existsSync(path.join(t.platform.config.DATA_DIR, 'blobs'))).toBe(false);

    for (const [att, bytes] of [[a, photo], [b, document]] as const) {
      const res = await t.request({ method: 'GET', url: contentUrl(caseId, att.id), headers: bearer(executor.token) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.rawPayload).toEqual(Buffer.from(bytes));
    }

    const thumb = await t.request({ method: 'GET', url: thumbnailUrl(caseId, a.id), headers: bearer(executor.token) });
    expect(thumb.statusCode, thumb.body).toBe(200);
    const meta = await sharp(thumb.rawPayload).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([213, 320, undefined]);
    expect(s3.created).toContain(`thumbnails/320/${a.sha256}`);
    // The second request reads the kept thumbnail: nothing more is written.
    const written = s3.created.length;
    const again = await t.request({ method: 'GET', url: thumbnailUrl(caseId, a.id), headers: bearer(executor.token) });
    expect(again.rawPayload).toEqual(thumb.rawPayload);
    expect(s3.created.length).toBe(written);
  });

  it('uploads the same bytes twice as two attachments and one object', async () => {
    const caseId = (await submitCase(t, {}, bearer(citizen.token))).caseId;
    const photo = await jpegWithGps(120, 90);
    const before = s3.created.length;
    const a = await uploaded(t, caseId, 'a.jpg', photo, citizen.token);
    const b = await uploaded(t, caseId, 'b.jpg', photo, citizen.token);
    expect(a.id).not.toBe(b.id);
    expect(s3.created.slice(before)).toEqual([`blobs/${sha256(photo)}`]);
  });

  it('answers 503 ERR_MEDIA_UNAVAILABLE when the bucket cannot be reached, and stores nothing half', async () => {
    const caseId = (await submitCase(t, {}, bearer(citizen.token))).caseId;
    const stored = await uploaded(t, caseId, 'before.jpg', await jpegWithGps(64, 48), citizen.token);
    await s3.stop();

    const res = await upload(t, caseId, 'during.jpg', await jpegWithGps(65, 48), citizen.token);
    expect(expectError(res, 503, 'ERR_MEDIA_UNAVAILABLE')).toEqual({ store: 's3', reason: 'ECONNREFUSED' });
    const list = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments`, headers: bearer(citizen.token) });
    expect(list.json<{ id: string }[]>().map((x) => x.id)).toEqual([stored.id]);
    const added = (await t.platform.read.store.events(caseId)).filter((e) => e.type === 'case.attachment_added');
    expect(added).toHaveLength(1);

    expectError(await t.request({ method: 'GET', url: contentUrl(caseId, stored.id), headers: bearer(citizen.token) }), 503, 'ERR_MEDIA_UNAVAILABLE');
    expectError(await t.request({ method: 'GET', url: thumbnailUrl(caseId, stored.id), headers: bearer(citizen.token) }), 503, 'ERR_MEDIA_UNAVAILABLE');
  });
});
