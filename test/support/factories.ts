import type { TestApp } from './app.ts';

/** Points inside districts (checked against the polygons in test/geo). */
export const POINTS = {
  astanaEsil: { lat: 51.128, lon: 71.43 },
  almatyBostandyk: { lat: 43.2, lon: 76.9 },
} as const;

export interface SubmittedCase {
  caseId: string;
  registrationNumber: string;
  trackingCode?: string;
  organisation: { id: string };
  dueAt: string | null;
  state: string;
}

/** Submits a case through the API (the real door) and returns the receipt. */
export async function submitCase(t: TestApp, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<SubmittedCase> {
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/cases',
    headers,
    payload: { channel: 'city', text: 'Во дворе дома 12 по улице Кенесары не горят фонари уже неделю', category: 'roads.lighting', districtId: 'astana.esil', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`submit failed ${res.statusCode}: ${res.body}`);
  return res.json<SubmittedCase>();
}
