import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisePhoto } from '../../src/app/demo/police.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { jpegOfSize, MB, MP4_HEAD, padded, sha256, type AttachmentBody } from '../support/files.ts';
import { expectError, report, stored, URL_REPORTS } from './support.ts';

/** Baiterek, in Astana's Esil district. */
const BAITEREK = { lat: 51.1283, lon: 71.4305 };
/** About 170 m north-east of it: where the first photo says it was taken. */
const NEARBY = { lat: 51.1295, lon: 71.432 };

interface Evidence {
  capturedAt: string | null;
  capturedLocation: { lat: number; lon: number } | null;
  reportedAt: string;
  reportedLocation: { lat: number; lon: number } | null;
  distanceMeters: number | null;
  secondsFromReported: number | null;
}
interface Attachment extends AttachmentBody {
  evidence?: Evidence;
}
interface PoliceReceipt {
  caseId: string;
  registrationNumber: string;
  channel: string;
  category: string;
  organisation: { id: string };
  state: string;
  receivedAt: string;
  dueAt: string | null;
  anonymous: boolean;
  trackingCode?: string;
  attachments: Attachment[];
}

let t: TestApp;
let citizen: { token: string };
let photoWithGps: Buffer;
let photoTimeOnly: Buffer;

beforeAll(async () => {
  t = await buildTestApp();
  citizen = await t.citizen('+77017771021');
  photoWithGps = await noisePhoto({ width: 96, height: 64, takenAt: new Date('2026-11-25T04:42:00Z'), at: NEARBY });
  photoTimeOnly = await noisePhoto({ width: 64, height: 96, takenAt: new Date('2026-11-25T04:35:30Z') });
});
afterAll(async () => t.close());

const theft = { text: 'У подъезда разбили окно машины и украли сумку, вор убежал к набережной', category: 'safety.theft', lat: String(BAITEREK.lat), lon: String(BAITEREK.lon) };

describe('POST /api/v1/police/reports', () => {
  it('takes a signed-in report with two photos: routed to the district police, hashes in the events, EXIF beside the reported time and point', async () => {
    const res = await report(t, { ...theft, occurredAt: '2026-11-25T04:40:00Z', address: 'пр. Нуржол, 14' }, [
      { bytes: photoWithGps, name: 'IMG_0001.jpg', type: 'image/jpeg' },
      { bytes: photoTimeOnly, name: 'IMG_0002.jpg' },
    ], bearer(citizen.token));
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json<PoliceReceipt>();
    expect(receipt).toMatchObject({ channel: 'police', category: 'safety.theft', state: 'received', anonymous: false, organisation: { id: 'astana.police.esil' } });
    expect(receipt.registrationNumber).toMatch(/^102-2026-\d{8}$/);
    expect(receipt.trackingCode).toBeUndefined();
    // A normal report: a unit must be dispatched within 2 hours (our service standard).
    expect(Date.parse(receipt.dueAt!) - Date.parse(receipt.receivedAt)).toBe(2 * 3_600_000);

    const [first, second] = receipt.attachments;
    expect(first).toMatchObject({ sha256: sha256(photoWithGps), mediaType: 'image/jpeg', sizeBytes: photoWithGps.byteLength, fileName: 'IMG_0001.jpg', uploaderRole: 'applicant' });
    expect(first!.evidence).toMatchObject({
      capturedAt: '2026-11-25T04:42:00.000Z',
      reportedAt: '2026-11-25T04:40:00.000Z',
      reportedLocation: BAITEREK,
      secondsFromReported: 120,
    });
    expect(first!.evidence!.capturedLocation!.lat).toBeCloseTo(NEARBY.lat, 5);
    expect(first!.evidence!.capturedLocation!.lon).toBeCloseTo(NEARBY.lon, 5);
    // 0.0012° of latitude ≈ 133 m, 0.0015° of longitude at 51° ≈ 105 m: about 170 m apart.
    expect(first!.evidence!.distanceMeters).toBeGreaterThan(160);
    expect(first!.evidence!.distanceMeters).toBeLessThan(180);
    expect(second).toMatchObject({ sha256: sha256(photoTimeOnly), fileName: 'IMG_0002.jpg' });
    expect(second!.evidence).toEqual({
      capturedAt: '2026-11-25T04:35:30.000Z',
      capturedLocation: null,
      reportedAt: '2026-11-25T04:40:00.000Z',
      reportedLocation: BAITEREK,
      distanceMeters: null,
      secondsFromReported: -270,
    });

    // The case's attachment presentation shows the same evidence.
    const listed = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}/attachments`, headers: bearer(citizen.token) });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<Attachment[]>()).toEqual(expect.arrayContaining(receipt.attachments.map((a) => expect.objectContaining({ id: a.id, evidence: a.evidence }))));

    // Each file's SHA-256 is in the append-only timeline as evidence.
    const events = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}/events`, headers: bearer(citizen.token) });
    const added = events.json<{ type: string; payload: Record<string, unknown> }[]>().filter((e) => e.type === 'case.attachment_added');
    expect(added.map((e) => e.payload['sha256'])).toEqual([sha256(photoWithGps), sha256(photoTimeOnly)]);
    expect(added[0]!.payload).toMatchObject({ mediaType: 'image/jpeg', evidence: { capturedAt: '2026-11-25T04:42:00.000Z', reportedAt: '2026-11-25T04:40:00.000Z' } });

    // The bytes are stored as sent.
    const content = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}/attachments/${first!.id}/content`, headers: bearer(citizen.token) });
    expect(content.statusCode).toBe(200);
    expect(sha256(content.rawPayload)).toBe(sha256(photoWithGps));
  });

  it('takes an anonymous report of a crime: a tracking code opens it and its evidence', async () => {
    const res = await report(t, { text: 'Во дворе избивают человека, их трое', category: 'safety.violence', urgency: 'emergency', anonymous: 'true', lat: '43.2389', lon: '76.8897' }, [
      { bytes: photoWithGps, name: 'photo.jpg' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json<PoliceReceipt>();
    expect(receipt).toMatchObject({ anonymous: true, channel: 'police' });
    expect(receipt.organisation.id).toMatch(/^almaty\.police\./);
    expect(receipt.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(receipt.attachments[0]).toMatchObject({ uploaderRole: 'public', sha256: sha256(photoWithGps) });
    // An emergency: dispatch within 10 minutes.
    expect(Date.parse(receipt.dueAt!) - Date.parse(receipt.receivedAt)).toBe(10 * 60_000);
    // No reported time given: the evidence is compared with the time received.
    expect(receipt.attachments[0]!.evidence!.reportedAt).toBe(receipt.receivedAt);
    const listed = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}/attachments`, headers: { 'x-tracking-code': receipt.trackingCode! } });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<Attachment[]>()[0]!.evidence!.reportedLocation).toEqual({ lat: 43.2389, lon: 76.8897 });
  });

  it('files a signed-in citizen\'s report as anonymous when they ask, for a crime', async () => {
    const res = await report(t, { ...theft, anonymous: 'true' }, [], bearer(citizen.token));
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json<PoliceReceipt>();
    expect(receipt.anonymous).toBe(true);
    expect(receipt.trackingCode).toBeDefined();
    expect(receipt.attachments).toEqual([]);
    // Not linked to the citizen: their token does not open it.
    const res2 = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}`, headers: bearer(citizen.token) });
    expect(res2.statusCode).toBe(404);
  });

  it('keeps only the name of a file, never its path', async () => {
    const res = await report(t, theft, [
      { bytes: photoTimeOnly, name: '../../etc/passwd.jpg' },
      { bytes: photoWithGps, name: '..\\..\\Windows\\System32\\evil.jpg' },
    ], bearer(citizen.token));
    expect(res.statusCode, res.body).toBe(201);
    const names = res.json<PoliceReceipt>().attachments.map((a) => a.fileName);
    expect(names).toEqual(['passwd.jpg', 'evil.jpg']);
    for (const name of names) expect(name).not.toMatch(/[/\\]/);
  });

  it('takes a photo of exactly the limit, and a video; stores a file sent twice once', async () => {
    const atLimit = jpegOfSize(10 * MB);
    const video = padded(MP4_HEAD, 2 * MB);
    const before = await stored(t);
    const res = await report(t, theft, [{ bytes: atLimit, name: 'big.jpg' }, { bytes: video, name: 'clip.mp4' }, { bytes: video, name: 'clip-again.mp4' }], bearer(citizen.token));
    expect(res.statusCode, res.body).toBe(201);
    const attachments = res.json<PoliceReceipt>().attachments;
    expect(attachments.map((a) => a.mediaType)).toEqual(['image/jpeg', 'video/mp4', 'video/mp4']);
    expect(attachments[0]!.sizeBytes).toBe(10 * MB);
    // No EXIF in these bytes: the evidence says so, and a video is never parsed for it.
    expect(attachments[0]!.evidence).toMatchObject({ capturedAt: null, capturedLocation: null, distanceMeters: null });
    const after = await stored(t);
    expect(after).toEqual({ cases: before.cases + 1, attachments: before.attachments + 3, evidence: before.evidence + 3, blobs: before.blobs + 2 });
  });

  it('replays a retry with the same Idempotency-Key, and refuses the key with other files', async () => {
    const headers = { ...bearer(citizen.token), 'idempotency-key': 'police-report-0001' };
    const first = await report(t, theft, [{ bytes: photoWithGps, name: 'a.jpg' }], headers);
    expect(first.statusCode, first.body).toBe(201);
    const before = await stored(t);
    const again = await report(t, theft, [{ bytes: photoWithGps, name: 'a.jpg' }], headers);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json<PoliceReceipt>().caseId).toBe(first.json<PoliceReceipt>().caseId);
    expect(again.json<PoliceReceipt>().attachments.map((a) => a.sha256)).toEqual([sha256(photoWithGps)]);
    expectError(await report(t, theft, [{ bytes: photoTimeOnly, name: 'a.jpg' }], headers), 422, 'ERR_IDEMPOTENCY_KEY_REUSED');
    expect(await stored(t)).toEqual(before);
  });

  it('documents the door in the OpenAPI description', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = res.json<{ paths: Record<string, unknown> }>().paths;
    expect(Object.keys(paths)).toContain(URL_REPORTS);
  });
});
