import QRCode from 'qrcode';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

/**
 * The child door through HTTP: schools and their QR codes, the anonymous report and following it by its
 * code, and confidentiality (only the assigned psychologist and the head of the service read the case).
 */

const PSY = 'astana.psychologists';
const BASE = 'https://tyndau.example.kz';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ config: { PUBLIC_BASE_URL: BASE } });
}, 180_000);
afterAll(async () => t.close());

const report = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.request({ method: 'POST', url: '/api/v1/child/reports', payload, headers });

const count = async (table: string): Promise<number> =>
  (await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

/** The dark modules of a QR symbol, as rows of 0/1 without the quiet zone. */
const matrixOf = (url: string): number[][] => {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (qr.modules.get(r, c) ? 1 : 0)));
};

describe('schools as data', () => {
  it('lists at least 30 schools across Astana, Almaty and Shymkent, each in a district of its city', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/schools' });
    expect(res.statusCode).toBe(200);
    const schools = res.json<{ code: string; city: string; districtId: string; names: { kk: string; ru: string } }[]>();
    expect(schools.length).toBeGreaterThanOrEqual(30);
    for (const city of ['astana', 'almaty', 'shymkent']) expect(schools.filter((s) => s.city === city).length).toBeGreaterThanOrEqual(10);
    const districts = new Set(t.platform.reference.districts.map((d) => d.id));
    for (const s of schools) {
      expect(districts.has(s.districtId), s.code).toBe(true);
      expect(s.districtId.startsWith(`${s.city}.`)).toBe(true);
      expect(s.names.kk).toMatch(/мектеп|[әғқңөұүһі]/i);
      expect(s.names.ru.length).toBeGreaterThan(3);
    }
    expect(new Set(schools.map((s) => s.code)).size).toBe(schools.length);
  });

  it('gives a school\'s page with the link its QR code opens; an unknown code is 404', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/schools/ast-012' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: 'AST-012', city: 'astana', districtId: 'astana.saryarka', childFormUrl: `${BASE}/child?school=AST-012` });
    const missing = await t.request({ method: 'GET', url: '/api/v1/schools/AST-999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ERR_SCHOOL_NOT_FOUND');
    expect((await t.request({ method: 'GET', url: '/api/v1/schools/..%2F..%2Fetc/qr.svg' })).statusCode).toBe(404);
  });

  it('draws the QR code as SVG whose modules are exactly those of the school\'s link', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/schools/ALM-015/qr.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const expected = matrixOf(`${BASE}/child?school=ALM-015`);
    const n = expected.length;
    // qrcode draws the dark modules as one path of horizontal runs: "M x y h len" (relative moves after the first).
    const svg = res.body;
    expect(svg).toMatch(new RegExp(`viewBox="0 0 ${n + 8} ${n + 8}"`));
    const path = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? /<path[^>]*d="([^"]+)"[^>]*stroke="#000000"/.exec(svg)?.[1];
    expect(path).toBeTruthy();
    const drawn = Array.from({ length: n }, () => Array.from({ length: n }, () => 0));
    let x = 0;
    let y = 0;
    for (const [, op, a, b] of path!.matchAll(/([Mmh])(-?\d+(?:\.\d+)?)(?:\s(-?\d+(?:\.\d+)?))?/g)) {
      if (op === 'M') {
        x = Number(a);
        y = Number(b);
      } else if (op === 'm') {
        x += Number(a);
        y += Number(b);
      } else {
        for (let i = 0; i < Number(a); i++) drawn[Math.floor(y) - 4]![x - 4 + i] = 1;
        x += Number(a);
      }
    }
    expect(drawn).toEqual(expected);
  });

  it('draws the QR code as PNG whose pixels decode to the same modules', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/schools/SHY-024/qr.png' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const expected = matrixOf(`${BASE}/child?school=SHY-024`);
    const n = expected.length;
    const { data, info } = await sharp(res.rawPayload).greyscale().raw().toBuffer({ resolveWithObject: true });
    const scale = info.width / (n + 8);
    expect(Number.isInteger(scale)).toBe(true);
    const read = expected.map((row, r) => row.map((_, c) => (data[Math.floor((r + 4 + 0.5) * scale) * info.width + Math.floor((c + 4 + 0.5) * scale)]! < 128 ? 1 : 0)));
    expect(read).toEqual(expected);
  });
});

describe('the anonymous report', () => {
  it('takes a report with a school code and no phone, and the tracking code alone opens it', async () => {
    const res = await report({ text: 'Мені сыныптастарым күнде мазақтайды, мектепке барғым келмейді', schoolCode: 'AST-012' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json<{ caseId: string; registrationNumber: string; trackingCode: string; anonymous: boolean; school: { code: string } }>();
    expect(r).toMatchObject({ anonymous: true, school: { code: 'AST-012' } });
    expect(r.registrationNumber).toMatch(/^БҚ-2026-\d{8}$/);
    expect(r.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);

    const tracked = await t.request({ method: 'GET', url: '/api/v1/track', headers: { 'x-tracking-code': r.trackingCode } });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json()).toMatchObject({ id: r.caseId, channel: 'child', confidential: true, districtId: 'astana.saryarka', organisation: { id: PSY } });
    // Lower case and without dashes, as a child may type it.
    const typed = await t.request({ method: 'GET', url: `/api/v1/cases/${r.caseId}`, headers: { 'x-tracking-code': r.trackingCode.replace(/-/g, '').toLowerCase() } });
    expect(typed.statusCode).toBe(200);
    const stored = await t.platform.read.store.get(r.caseId);
    expect(stored).toMatchObject({ applicantId: null, anonymous: true, category: 'other', triage: true });
    const link = await t.testDb.db.query('SELECT school_code FROM child_reports WHERE case_id = $1', [r.caseId]);
    expect(link.rows).toEqual([{ school_code: 'AST-012' }]);
  });

  it('keeps a signed-in child anonymous unless they ask to link the case', async () => {
    const citizen = await t.citizen('+77015550701');
    const anonymous = await report({ text: 'Интернетте мен туралы жалған нәрселер жазады', city: 'almaty', topic: 'child.cyberbullying' }, bearer(citizen.token));
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    expect(anonymous.json()).toMatchObject({ anonymous: true, school: null });
    expect(anonymous.json().trackingCode).toBeTruthy();
    expect(await t.platform.read.store.get(anonymous.json().caseId)).toMatchObject({ applicantId: null, category: 'child.cyberbullying', organisationId: 'almaty.psychologists' });

    const linked = await report({ text: 'Хочу поговорить с психологом о ссорах дома', city: 'shymkent', anonymous: false }, bearer(citizen.token));
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json().anonymous).toBe(false);
    expect(linked.json().trackingCode).toBeUndefined();
    const mine = await t.request({ method: 'GET', url: `/api/v1/cases/${linked.json().caseId}`, headers: bearer(citizen.token) });
    expect(mine.statusCode).toBe(200);
    // Without signing in, "not anonymous" has nobody to link to.
    const nobody = await report({ text: 'Хочу поговорить', city: 'astana', anonymous: false });
    expect(nobody.statusCode).toBe(401);
  });

  it('sends a child.abuse report to the psychologists, not the guardianship office', async () => {
    const res = await report({ text: 'Өгей әкем мені ұрады', schoolCode: 'SHY-011', topic: 'child.abuse' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await t.platform.read.store.get(res.json().caseId)).toMatchObject({ organisationId: 'shymkent.psychologists', category: 'child.abuse', confidential: true });
  });

  it('replays an identical retry with the same Idempotency-Key: one case, the same tracking code', async () => {
    const before = await count('cases');
    const body = { text: 'Менің досым жоқ, мені ешкім түсінбейді', schoolCode: 'ALM-027' };
    const first = await report(body, { 'idempotency-key': 'child-retry-0001' });
    const again = await report(body, { 'idempotency-key': 'child-retry-0001' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().caseId).toBe(first.json().caseId);
    expect(again.json().trackingCode).toBe(first.json().trackingCode);
    expect(await count('cases')).toBe(before + 1);
  });
});

describe('bad input', () => {
  it('refuses an unknown school code, no place at all, and unknown fields, storing nothing', async () => {
    const cases = await count('cases');
    const reports = await count('child_reports');
    const unknown = await report({ text: 'Мені мазақтайды', schoolCode: 'AST-404' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'ERR_UNKNOWN_SCHOOL', details: { schoolCode: 'AST-404' } });
    const hostile = await report({ text: 'Мені мазақтайды', schoolCode: "AST-001'; DROP TABLE cases;--" });
    expect(hostile.statusCode).toBe(400);
    const nowhere = await report({ text: 'Мені мазақтайды' });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().error.code).toBe('ERR_VALIDATION');
    const elsewhere = await report({ text: 'Мені мазақтайды', city: 'paris' });
    expect(elsewhere.statusCode).toBe(400);
    const extra = await report({ text: 'Мені мазақтайды', city: 'astana', phone: '+77011234567' });
    expect(extra.statusCode).toBe(400);
    const empty = await report({ text: '\u200b \u0000 ', city: 'astana' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('ERR_TEXT_EMPTY');
    const huge = await t.request({ method: 'POST', url: '/api/v1/child/reports', payload: { text: 'а'.repeat(10 * 1024 * 1024), city: 'astana' } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('ERR_BODY_TOO_LARGE');
    expect(await count('cases')).toBe(cases);
    expect(await count('child_reports')).toBe(reports);
  });

  it('answers a forged or overlong tracking code with 401', async () => {
    for (const code of ['AAAA-BBBB-CCCC-DDDD-EEEE', 'x'.repeat(65)]) {
      const res = await t.request({ method: 'GET', url: '/api/v1/track', headers: { 'x-tracking-code': code } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('ERR_INVALID_TRACKING_CODE');
    }
  });
});

describe('confidentiality', () => {
  it('shows the case only to the assigned psychologist and the head of the service, recording every read', async () => {
    const [head, psychologist, other, executor, headAbove] = await Promise.all([
      t.staff('head', PSY),
      t.staff('psychologist', PSY),
      t.staff('psychologist', PSY),
      t.staff('executor', PSY),
      t.staff('head', 'astana.dept.education'),
    ]);
    const r = (await report({ text: 'Мектепте үлкен балалар ақша талап етеді', schoolCode: 'AST-001' })).json<{ caseId: string }>();
    const read = (token: string) => t.request({ method: 'GET', url: `/api/v1/cases/${r.caseId}`, headers: bearer(token) });

    for (const who of [psychologist, other, executor, headAbove]) expect((await read(who.token)).statusCode).toBe(404);
    expect((await read(head.token)).statusCode).toBe(200);
    const assigned = await t.request({ method: 'POST', url: `/api/v1/cases/${r.caseId}/assign`, headers: bearer(head.token), payload: { assigneeId: psychologist.id } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await read(psychologist.token)).statusCode).toBe(200);
    for (const who of [other, executor, headAbove]) {
      const res = await read(who.token);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ERR_CASE_NOT_FOUND');
    }
    const list = await t.request({ method: 'GET', url: `/api/v1/cases?organisationId=${PSY}&limit=200`, headers: bearer(executor.token) });
    expect(list.json<{ items: { id: string }[] }>().items.map((c) => c.id)).not.toContain(r.caseId);

    const events = await t.platform.read.store.events(r.caseId);
    const reads = events.filter((e) => e.type === 'case.confidential_read').map((e) => [e.actorId, e.actorRole]);
    expect(reads).toEqual([
      [head.id, 'head'],
      [psychologist.id, 'psychologist'],
    ]);
  });
});
