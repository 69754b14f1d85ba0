import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { png, uploaded } from '../support/files.ts';

const DAY = 86_400_000;

interface CaseWire {
  id: string;
  state: string;
  stateKind: string;
  outcome: string | null;
  anonymous: boolean;
  organisation: { id: string };
}

/** A photo (a real PNG: types are sniffed from the bytes) uploaded to the case: its attachment id. */
const upload = async (t: TestApp, caseId: string, token: string, fileName = 'after.png'): Promise<string> =>
  (await uploaded(t, caseId, fileName, png(), token, 'image/png')).id;

describe('109: a phone call through to the fix', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const act = (caseId: string, action: string, token: string, payload: Record<string, unknown> = {}) =>
    t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: bearer(token), payload });
  const events = async (caseId: string, token: string) =>
    (await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}/events`, headers: bearer(token) })).json<{ type: string; actorRole: string; payload: Record<string, unknown> }[]>();

  it('the operator registers a call for the caller and resolves it on the first contact, recorded as its own step', async () => {
    const operator = await t.staff('dispatcher', 'astana.utility.heat');
    const call = await t.request({
      method: 'POST', url: '/api/v1/cases', headers: bearer(operator.token),
      payload: { channel: 'city', category: 'utilities.heating', districtId: 'astana.saryarka', applicantPhone: '+7 701 555 12 34', text: 'Звонок: когда дадут отопление в доме на Бейбітшілік 14?', kind: 'inquiry' },
    });
    expect(call.statusCode, call.body).toBe(201);
    const receipt = call.json<{ caseId: string; registrationNumber: string; organisation: { id: string }; anonymous: boolean }>();
    expect(receipt.registrationNumber).toMatch(/^109-\d{4}-\d{8}$/);
    expect(receipt.organisation.id).toBe('astana.utility.heat');
    expect(receipt.anonymous).toBe(false);

    // "Satisfied" is a fix on the ground: the first contact only explains or refuses.
    const fixedByPhone = await act(receipt.caseId, 'resolve_on_first_contact', operator.token, { outcome: 'satisfied', answer: 'Дали тепло' });
    expect(fixedByPhone.json<{ error: { code: string } }>().error.code).toBe('ERR_OUTCOME_NOT_ALLOWED');
    const executor = await t.staff('executor', 'astana.utility.heat');
    expect((await act(receipt.caseId, 'resolve_on_first_contact', executor.token, { outcome: 'explained', answer: 'x' })).statusCode).toBe(403);

    const resolved = await act(receipt.caseId, 'resolve_on_first_contact', operator.token, {
      outcome: 'explained', answer: 'Опрессовка на вашей улице закончится в среду; тепло подадут в четверг к вечеру.',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json<CaseWire>()).toMatchObject({ state: 'resolved', stateKind: 'closed', outcome: 'explained' });
    const timeline = await events(receipt.caseId, operator.token);
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['case.registered', 'case.resolved_on_first_contact']));
    expect(timeline.find((e) => e.type === 'case.resolved_on_first_contact')).toMatchObject({ actorRole: 'dispatcher' });
    expect(timeline.some((e) => e.type === 'case.resolved')).toBe(false);

    // The caller signs in with the same phone and finds the call among their cases.
    const caller = await t.citizen('+77015551234');
    const mine = await t.request({ method: 'GET', url: '/api/v1/cases', headers: bearer(caller.token) });
    expect(mine.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(receipt.caseId);
  });

  it('a call about a building goes to the district’s building manager, is fixed with a photo, and reopened as not fixed', async () => {
    const operator = await t.staff('registrar', 'almaty.akimat');
    const call = await t.request({
      method: 'POST', url: '/api/v1/cases', headers: bearer(operator.token),
      payload: { channel: 'city', category: 'housing.maintenance', districtId: 'almaty.zhetysu', address: 'мкр Жетысу-3, дом 41, подъезд 2', applicantPhone: '+77017770303', text: 'В подъезде течёт крыша, вода на площадке пятого этажа' },
    });
    expect(call.statusCode, call.body).toBe(201);
    const { caseId, organisation } = call.json<{ caseId: string; organisation: { id: string } }>();
    expect(organisation.id).toBe('almaty.bm.osi_zhetysu_3');

    const executor = await t.staff('executor', organisation.id);
    expect((await act(caseId, 'take_into_work', executor.token)).statusCode).toBe(200);
    const noProof = await act(caseId, 'resolve', executor.token, { outcome: 'satisfied', answer: 'Кровлю залатали' });
    expect(noProof.statusCode).toBe(422);
    expect(noProof.json<{ error: { code: string } }>().error.code).toBe('ERR_PROOF_REQUIRED');

    // The applicant's own photo does not prove a fix.
    const caller = await t.citizen('+77017770303');
    const theirs = await upload(t, caseId, caller.token, 'leak.png');
    const notProof = await act(caseId, 'resolve', executor.token, { outcome: 'satisfied', answer: 'Кровлю залатали', proofAttachmentIds: [theirs] });
    expect(notProof.json<{ error: { code: string } }>().error.code).toBe('ERR_PROOF_INVALID');

    const photo = await upload(t, caseId, executor.token);
    const resolved = await act(caseId, 'resolve', executor.token, { outcome: 'satisfied', answer: 'Кровлю над вторым подъездом залатали', proofAttachmentIds: [photo] });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json<CaseWire>()).toMatchObject({ state: 'resolved', stateKind: 'closed' });
    const resolvedEvent = (await events(caseId, executor.token)).find((e) => e.type === 'case.resolved');
    expect(resolvedEvent?.payload['proofAttachmentIds']).toEqual([photo]);

    t.clock.advance(2 * DAY);
    const reopened = await act(caseId, 'report_not_fixed', caller.token, { reason: 'После дождя снова течёт' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json<CaseWire>()).toMatchObject({ state: 'in_work', stateKind: 'open' });
    expect((await events(caseId, executor.token)).map((e) => e.type)).toContain('case.reported_not_fixed');

    // Fixed again with proof; a week later the applicant can no longer say "not fixed".
    const photo2 = await upload(t, caseId, executor.token, 'after-2.png');
    expect((await act(caseId, 'resolve', executor.token, { outcome: 'satisfied', answer: 'Заменили участок кровли', proofAttachmentIds: [photo2] })).statusCode).toBe(200);
    t.clock.advance(8 * DAY);
    const late = await act(caseId, 'report_not_fixed', caller.token, { reason: 'Опять течёт' });
    expect(late.json<{ error: { code: string } }>().error.code).toBe('ERR_NOT_FIXED_WINDOW_CLOSED');
  });

  it('a lift fault is passed from the building manager to the district’s lift company', async () => {
    const caller = await t.citizen('+77017770404');
    const submitted = await t.request({
      method: 'POST', url: '/api/v1/cases', headers: bearer(caller.token),
      payload: { channel: 'city', category: 'housing.maintenance', districtId: 'shymkent.turan', text: 'Лифт застрял между этажами, внутри никого, но не работает второй день' },
    });
    const { caseId, organisation } = submitted.json<{ caseId: string; organisation: { id: string } }>();
    expect(organisation.id).toBe('shymkent.bm.turan_service');
    const head = await t.staff('head', organisation.id);
    const lift = t.platform.reference.organisations.find((o) => o.type === 'lift_company' && o.districtId === 'shymkent.turan');
    expect(lift?.id).toBe('shymkent.lift.turan_lift');
    const redirected = await act(caseId, 'redirect', head.token, { organisationId: lift!.id, reason: 'Неисправность лифта: обслуживающая лифтовая организация' });
    expect(redirected.statusCode, redirected.body).toBe(200);
    expect(redirected.json<CaseWire>().organisation.id).toBe('shymkent.lift.turan_lift');
  });
});
