import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase } from '../support/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('intake', () => {
  it('registers a case with a registration number, routes it by category and district, and starts the legal clock', async () => {
    const receipt = await submitCase(t, { channel: 'city', category: 'utilities.heating', location: POINTS.astanaEsil, districtId: undefined });
    expect(receipt.registrationNumber).toMatch(/^109-2026-\d{8}$/);
    expect(receipt.organisation.id).toBe('astana.utility.heat');
    // City heating: 24 hours from receipt (the fake clock reads 2026-11-25T05:00Z).
    expect(receipt.dueAt).toBe('2026-11-26T05:00:00.000Z');
    const res = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}`, headers: { 'x-tracking-code': receipt.trackingCode! } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ districtId: 'astana.esil', city: 'astana', state: 'received', stateKind: 'new', anonymous: true });
  });

  it('numbers each channel as its own series, per year', async () => {
    const a = await submitCase(t, { channel: 'city' });
    const b = await submitCase(t, { channel: 'city' });
    const seq = (n: string) => Number(n.split('-').pop());
    expect(seq(b.registrationNumber)).toBe(seq(a.registrationNumber) + 1);
    const { token } = await t.citizen('+77011112233');
    const appeal = await submitCase(t, { channel: 'appeal', category: 'social.benefits' }, bearer(token));
    expect(appeal.registrationNumber).toMatch(/^ЖТ-2026-\d{8}$/);
  });

  it('counts an appeal in working days: 15 working days ending at 18:00 Kazakhstan time', async () => {
    const { token } = await t.citizen('+77011112234');
    // 2026-11-25 is a Wednesday; received at 10:00 local → day 1 is Thursday 26 Nov; 15 working days → 16 Dec is
    // Independence Day, so the term ends on Thursday 17 Dec at 18:00 local (13:00Z).
    const receipt = await submitCase(t, { channel: 'appeal', category: 'social.benefits', kind: 'application' }, bearer(token));
    expect(receipt.dueAt).toBe('2026-12-17T13:00:00.000Z');
  });

  it('sends a case no rule can route to the processing centre triage queue', async () => {
    const receipt = await submitCase(t, { channel: 'city', category: undefined, districtId: undefined, text: 'Помогите пожалуйста' });
    expect(receipt.organisation.id).toBe('kz.processing_centre');
    const res = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}`, headers: { 'x-tracking-code': receipt.trackingCode! } });
    expect(res.json()).toMatchObject({ category: 'other', triage: true });
  });

  it('refuses an anonymous appeal unless it reports a crime', async () => {
    const refused = await t.request({ method: 'POST', url: '/api/v1/cases', payload: { channel: 'appeal', text: 'Прошу выплатить пособие', category: 'social.benefits' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('ERR_ANONYMOUS_NOT_ALLOWED');
    const crime = await submitCase(t, { channel: 'appeal', text: 'В подъезде продают наркотики', category: 'safety.drugs' });
    expect(crime.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  });

  it('makes child and domestic-violence cases confidential', async () => {
    const child = await submitCase(t, { channel: 'child', text: 'Мені сыныптастарым мазақтайды', category: 'child.bullying', districtId: 'almaty.bostandyk' });
    const res = await t.request({ method: 'GET', url: '/api/v1/track', headers: { 'x-tracking-code': child.trackingCode! } });
    expect(res.json()).toMatchObject({ confidential: true, organisation: { id: 'almaty.psychologists' } });
  });

  it('returns the first case for a retried submission with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'retry-0001-abcdef' };
    const first = await submitCase(t, { text: 'Яма на дороге у дома 5' }, headers);
    const again = await submitCase(t, { text: 'Яма на дороге у дома 5' }, headers);
    expect(again.caseId).toBe(first.caseId);
    expect(again.registrationNumber).toBe(first.registrationNumber);
    expect(again.trackingCode).toBe(first.trackingCode);
    const different = await t.request({ method: 'POST', url: '/api/v1/cases', headers, payload: { channel: 'city', text: 'Другой текст' } });
    expect(different.statusCode).toBe(422);
    expect(different.json().error.code).toBe('ERR_IDEMPOTENCY_KEY_REUSED');
  });

  it('creates one case when identical retries race', async () => {
    const headers = { 'idempotency-key': 'race-key-000000042' };
    const body = { channel: 'city', text: 'Сломан светофор на перекрёстке', category: 'roads.traffic', districtId: 'astana.esil' };
    const results = await Promise.all(Array.from({ length: 8 }, () => t.request({ method: 'POST', url: '/api/v1/cases', headers, payload: body })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.json().caseId)).size).toBe(1);
  });

  it('records the registration as the first event of the timeline', async () => {
    const receipt = await submitCase(t);
    const res = await t.request({ method: 'GET', url: `/api/v1/cases/${receipt.caseId}/events`, headers: { 'x-tracking-code': receipt.trackingCode! } });
    expect(res.statusCode).toBe(200);
    const [first] = res.json();
    expect(first).toMatchObject({ type: 'case.registered', payload: { registrationNumber: receipt.registrationNumber, routedBy: 'rule' } });
  });
});
