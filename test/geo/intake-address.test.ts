import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { POINTS, submitCase } from '../support/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

async function registration(caseId: string, trackingCode: string) {
  const res = await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/events`, headers: { 'x-tracking-code': trackingCode } });
  const events = res.json<{ items?: { type: string; payload: Record<string, unknown> }[] } | { type: string; payload: Record<string, unknown> }[]>();
  const list = Array.isArray(events) ? events : (events.items ?? []);
  return list.find((e) => e.type === 'case.registered')!;
}

async function caseOf(caseId: string, trackingCode: string) {
  return (await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: { 'x-tracking-code': trackingCode } })).json<{ districtId: string | null; city: string | null }>();
}

// A crime report may be anonymous; safety.* is routed to the district's police department (data/routing-rules.json).
const crime = { channel: 'appeal', category: 'safety.drugs', text: 'В подъезде продают наркотики', districtId: undefined };

describe('intake places a case from its address when it has no point', () => {
  it('routes by the district the address names, and records how the district was found', async () => {
    const receipt = await submitCase(t, { ...crime, address: 'г. Алматы, мкр Жетысу-3, дом 15' });
    expect(receipt.organisation.id).toBe('almaty.police.auezov');
    expect(await caseOf(receipt.caseId, receipt.trackingCode!)).toMatchObject({ districtId: 'almaty.auezov', city: 'almaty' });
    const event = await registration(receipt.caseId, receipt.trackingCode!);
    expect(event.payload).toMatchObject({ locatedBy: 'address', placeNames: expect.arrayContaining(['Жетысу-3']), routedBy: 'rule' });
  });

  it('reads a Kazakh address typed on a Russian keyboard, and one in Latin', async () => {
    const kk = await submitCase(t, { ...crime, address: 'Алматы каласы, Самал-2 шагын ауданы, 58 уй' });
    expect(kk.organisation.id).toBe('almaty.police.medeu');
    const latin = await submitCase(t, { ...crime, address: 'Astana, Baiterek' });
    expect(latin.organisation.id).toBe('astana.police.esil');
  });

  it('uses the place the text names when there is no address, within the city given', async () => {
    const receipt = await submitCase(t, { ...crime, text: 'Возле Айнабулака в подъезде продают наркотики', city: 'Алматы' });
    expect(receipt.organisation.id).toBe('almaty.police.zhetysu');
    expect((await registration(receipt.caseId, receipt.trackingCode!)).payload).toMatchObject({ locatedBy: 'text' });
  });

  it('keeps the point, or the given district, first', async () => {
    const byPoint = await submitCase(t, { ...crime, location: POINTS.astanaEsil, address: 'мкр Жетысу-3, Алматы' });
    expect(byPoint.organisation.id).toBe('astana.police.esil');
    expect((await registration(byPoint.caseId, byPoint.trackingCode!)).payload).toMatchObject({ locatedBy: 'point' });
    const given = await submitCase(t, { ...crime, districtId: 'astana.nura', address: 'мкр Жетысу-3, Алматы' });
    expect(given.organisation.id).toBe('astana.police.nura');
    expect((await registration(given.caseId, given.trackingCode!)).payload).toMatchObject({ locatedBy: 'given' });
  });

  it('leaves the district open when the address names nothing it knows', async () => {
    const receipt = await submitCase(t, { ...crime, address: 'дом 5, квартира 12' });
    expect(await caseOf(receipt.caseId, receipt.trackingCode!)).toMatchObject({ districtId: null });
    expect((await registration(receipt.caseId, receipt.trackingCode!)).payload).toMatchObject({ locatedBy: 'none' });
  });
});
