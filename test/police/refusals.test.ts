import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noisePhoto } from '../../src/app/demo/police.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { ELF, exe, jpegOfSize, MB, MP4_HEAD, multipart } from '../support/files.ts';
import { expectError, report, stored, streamingForm, URL_REPORTS } from './support.ts';

/**
 * Bad reports: each gets its stable code, and none leaves anything behind — no case, no attachment row,
 * no evidence row, no blob (checked after every test of this file, which stores nothing at all).
 */
let t: TestApp;
let citizen: { token: string };
let photo: Buffer;

beforeAll(async () => {
  t = await buildTestApp();
  citizen = await t.citizen('+77017771022');
  photo = await noisePhoto({ width: 32, height: 32, takenAt: new Date('2026-11-25T04:00:00Z') });
});
afterAll(async () => t.close());
afterEach(async () => {
  expect(await stored(t)).toEqual({ cases: 0, attachments: 0, evidence: 0, blobs: 0 });
});

const ESIL = { lat: '51.1283', lon: '71.4305' };
const theft = { text: 'Украли велосипед у подъезда', category: 'safety.theft', ...ESIL };
const signedIn = () => bearer(citizen.token);

describe('who may report', () => {
  it('refuses an anonymous report that is not of a crime', async () => {
    const fields = { text: 'Во дворе огромная яма на дороге', category: 'roads.repair', ...ESIL };
    const details = expectError(await report(t, { ...fields, anonymous: 'true' }, [{ bytes: photo, name: 'pothole.jpg' }]), 400, 'ERR_ANONYMOUS_NOT_ALLOWED');
    expect(details).toMatchObject({ channel: 'police', category: 'roads.repair' });
    // Not signed in and not a crime: the same refusal, even without asking for anonymity.
    expectError(await report(t, fields, [{ bytes: photo, name: 'pothole.jpg' }]), 400, 'ERR_ANONYMOUS_NOT_ALLOWED');
    // A signed-in citizen asking for anonymity on a non-crime is refused too.
    expectError(await report(t, { ...fields, anonymous: 'yes' }, [], signedIn()), 400, 'ERR_ANONYMOUS_NOT_ALLOWED');
  });

  it('refuses a report without a category when not signed in (the classifier has no crime to see)', async () => {
    expectError(await report(t, { text: 'Что-то случилось во дворе', ...ESIL }), 400, 'ERR_ANONYMOUS_NOT_ALLOWED');
  });
});

describe('the point', () => {
  it('is required', async () => {
    expect(expectError(await report(t, { text: 'Украли сумку', category: 'safety.theft' }, [], signedIn()), 400, 'ERR_LOCATION_REQUIRED')).toEqual({});
    expectError(await report(t, { text: 'Украли сумку', category: 'safety.theft', lat: '51.1283' }, [], signedIn()), 400, 'ERR_LOCATION_REQUIRED');
    expectError(await report(t, { text: 'Украли сумку', category: 'safety.theft', lat: '', lon: '' }, [], signedIn()), 400, 'ERR_LOCATION_REQUIRED');
  });

  it('must be a number, on the globe, in Kazakhstan', async () => {
    const at = (lat: string, lon: string) => report(t, { ...theft, lat, lon }, [{ bytes: photo, name: 'a.jpg' }], signedIn());
    expectError(await at('fifty-one', '71.43'), 400, 'ERR_INVALID_LOCATION');
    expectError(await at('0x33', '71.43'), 400, 'ERR_INVALID_LOCATION');
    expectError(await at('91', '71.43'), 400, 'ERR_INVALID_LOCATION');
    expectError(await at('51.1', 'Infinity'), 400, 'ERR_INVALID_LOCATION');
    expectError(await at('55.7558', '37.6173'), 400, 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN'); // Moscow
    expectError(await at('0', '0'), 400, 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN'); // a phone without a fix
    expectError(await at('71.4305', '51.1283'), 400, 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN'); // swapped
    expectError(await at('-51.1283', '-71.4305'), 400, 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN');
    expectError(await at('41.2995', '69.2401'), 400, 'ERR_LOCATION_OUTSIDE_KAZAKHSTAN'); // Tashkent: inside Kazakhstan's bounding box, outside the country
  });
});

describe('the files', () => {
  it('allows at most five', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ bytes: photo, name: `p${i}.jpg` }));
    expect(expectError(await report(t, theft, six, signedIn()), 400, 'ERR_ATTACHMENT_COUNT')).toMatchObject({ maxFiles: 5 });
  });

  it('refuses an executable named photo.jpg, whatever it claims to be', async () => {
    const windows = expectError(await report(t, theft, [{ bytes: photo, name: 'ok.jpg' }, { bytes: exe(), name: 'photo.jpg', type: 'image/jpeg' }], signedIn()), 415, 'ERR_ATTACHMENT_TYPE');
    expect(windows).toMatchObject({ detected: 'application/x-msdownload', fileName: 'photo.jpg' });
    const elf = expectError(await report(t, theft, [{ bytes: ELF, name: 'photo.jpg', type: 'image/jpeg' }], signedIn()), 415, 'ERR_ATTACHMENT_TYPE');
    expect(elf).toMatchObject({ detected: 'application/x-elf' });
  });

  it('refuses bytes of no known type, a document, and an empty file', async () => {
    expect(expectError(await report(t, theft, [{ bytes: Buffer.from('just some text, not a photo'), name: 'photo.jpg' }], signedIn()), 415, 'ERR_ATTACHMENT_TYPE')).toMatchObject({ detected: null });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    expect(expectError(await report(t, theft, [{ bytes: pdf, name: 'scan.jpg' }], signedIn()), 415, 'ERR_ATTACHMENT_TYPE')).toMatchObject({ detected: 'application/pdf' });
    expectError(await report(t, theft, [{ bytes: new Uint8Array(0), name: 'empty.jpg' }], signedIn()), 400, 'ERR_ATTACHMENT_EMPTY');
  });

  it('refuses a photo over 10 MB', async () => {
    const details = expectError(await report(t, theft, [{ bytes: photo, name: 'ok.jpg' }, { bytes: jpegOfSize(10 * MB + 1), name: 'huge.jpg' }], signedIn()), 413, 'ERR_ATTACHMENT_TOO_LARGE');
    expect(details).toMatchObject({ kind: 'photo', maxBytes: 10 * MB, fileName: 'huge.jpg' });
  });

  it('refuses a video over 100 MB while it streams in, without reading the rest of a 2 GB upload', async () => {
    const upload = streamingForm(theft, MP4_HEAD, 2 * 1024 * MB, 'movie.mp4');
    const res = await t.request({ method: 'POST', url: URL_REPORTS, headers: { 'content-type': upload.contentType, ...signedIn() }, payload: upload.stream });
    expect(expectError(res, 413, 'ERR_ATTACHMENT_TOO_LARGE')).toMatchObject({ kind: 'video', maxBytes: 100 * MB });
    // It stopped at the video limit (plus what was in flight), far short of 2 GB.
    expect(upload.pulled()).toBeGreaterThan(100 * MB);
    expect(upload.pulled()).toBeLessThan(110 * MB);
    expect(res.headers['connection']).toBe('close');
  });

  it('refuses a declared 2 GB body before reading it', async () => {
    const upload = streamingForm(theft, MP4_HEAD, 2 * 1024 * MB, 'movie.mp4');
    const res = await t.request({
      method: 'POST',
      url: URL_REPORTS,
      headers: { 'content-type': upload.contentType, 'content-length': String(upload.declaredLength), ...signedIn() },
      payload: upload.stream,
    });
    expect(expectError(res, 413, 'ERR_BODY_TOO_LARGE')).toMatchObject({ declaredBytes: upload.declaredLength });
    expect(upload.pulled()).toBeLessThan(MB);
  });

  it('refuses an executable early, before its 2 GB are read', async () => {
    const upload = streamingForm(theft, exe(), 2 * 1024 * MB, 'photo.jpg');
    const res = await t.request({ method: 'POST', url: URL_REPORTS, headers: { 'content-type': upload.contentType, ...signedIn() }, payload: upload.stream });
    expectError(res, 415, 'ERR_ATTACHMENT_TYPE');
    expect(upload.pulled()).toBeLessThan(2 * MB);
  });
});

describe('the form', () => {
  it('needs multipart/form-data', async () => {
    const res = await t.request({ method: 'POST', url: URL_REPORTS, headers: signedIn(), payload: { text: 'x', lat: 51.1, lon: 71.4 } });
    expectError(res, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses unknown and repeated fields, files under another name, and bad values', async () => {
    expectError(await report(t, { ...theft, channel: 'appeal' }, [], signedIn()), 400, 'ERR_VALIDATION');
    const other = await multipart(theft, [{ bytes: photo, name: 'a.jpg' }], 'file');
    expectError(await t.request({ method: 'POST', url: URL_REPORTS, headers: { 'content-type': other.contentType, ...signedIn() }, payload: other.payload }), 400, 'ERR_VALIDATION');
    expectError(await report(t, { ...theft, urgency: 'catastrophic' }, [], signedIn()), 400, 'ERR_VALIDATION');
    expectError(await report(t, { ...theft, anonymous: 'maybe' }, [], signedIn()), 400, 'ERR_VALIDATION');
    expectError(await report(t, { ...theft, occurredAt: 'yesterday' }, [], signedIn()), 400, 'ERR_VALIDATION');
    expectError(await report(t, { ...theft, occurredAt: '2026-02-31T10:00:00Z' }, [], signedIn()), 400, 'ERR_VALIDATION');
    // The clock is at 2026-11-25T05:00Z: an incident tomorrow has not happened yet.
    expectError(await report(t, { ...theft, occurredAt: '2026-11-26T05:00:00Z' }, [], signedIn()), 400, 'ERR_VALIDATION');
    expectError(await report(t, { ...theft, category: 'safety.nonsense' }, [], signedIn()), 400, 'ERR_UNKNOWN_CATEGORY');
    const { text: _text, ...noText } = theft;
    expectError(await report(t, noText, [], signedIn()), 400, 'ERR_VALIDATION');
    expectError(await report(t, { ...theft, text: '   ' }, [], signedIn()), 400, 'ERR_TEXT_EMPTY');
  });

  it('refuses a field given twice', async () => {
    const data = new FormData();
    for (const [k, v] of Object.entries(theft)) data.append(k, v);
    data.append('lat', '43.2');
    const encoded = new Response(data);
    const res = await t.request({ method: 'POST', url: URL_REPORTS, headers: { 'content-type': encoded.headers.get('content-type')!, ...signedIn() }, payload: Buffer.from(await encoded.arrayBuffer()) });
    expect(expectError(res, 400, 'ERR_VALIDATION')).toMatchObject({ field: 'lat' });
  });

  it('refuses a text longer than allowed', async () => {
    const long = 'Украли велосипед. '.repeat(2000);
    expectError(await report(t, { ...theft, text: long }, [], signedIn()), 400, 'ERR_TEXT_TOO_LONG');
  });
});
