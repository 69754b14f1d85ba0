import { describe, expect, it } from 'vitest';
import { parsePage, parseW3cDate, parseWindow, placeContext, parseCreateRequest } from '../../src/channels/open311/input.ts';
import { caseText, splitCaseText, toOpen311Update } from '../../src/channels/open311/present.ts';
import { listServices } from '../../src/channels/open311/services.ts';
import { applicantStepFor, updateStatus } from '../../src/channels/open311/status.ts';
import { DomainError } from '../../src/core/errors.ts';
import { cityWorkflow } from '../../src/core/workflow/definitions/city.ts';
import { policeWorkflow } from '../../src/core/workflow/definitions/police.ts';

/** The Open311 door's pure parts: dates, windows, pages, places, statuses and the stored text. */

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return 'none';
};

const NOW = new Date('2026-11-25T05:00:00Z');
const DAY = 86_400_000;

describe('dates and windows', () => {
  it('reads W3C date-times with a zone, and a bare date as midnight in Kazakhstan', () => {
    expect(parseW3cDate('d', '2026-11-25T10:00:00+05:00').toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(parseW3cDate('d', '2026-11-25T05:00Z').toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(parseW3cDate('d', '2026-11-25T05:00:00.250Z').toISOString()).toBe('2026-11-25T05:00:00.250Z');
    expect(parseW3cDate('d', '2026-11-25').toISOString()).toBe('2026-11-24T19:00:00.000Z');
    expect(parseW3cDate('d', '2026-11-25T10:00:00 05:00').toISOString()).toBe('2026-11-25T05:00:00.000Z');
    for (const bad of ['2026-11-25T10:00:00', '2026-02-29', '2026-13-01', '2026-11-25T24:00Z', '25.11.2026', 'now', '1969-12-31', '2026-11-25T10:00+15:00']) {
      expect(codeOf(() => parseW3cDate('d', bad)), bad).toBe('ERR_GEOREPORT_DATE_INVALID');
    }
  });

  it('defaults to the last 90 days, completes a half-open range, and refuses more than 90 days or a backward one', () => {
    const all = parseWindow(undefined, undefined, NOW);
    expect(NOW.getTime() - all.from.getTime()).toBe(90 * DAY);
    expect(all.to.getTime()).toBeGreaterThan(NOW.getTime());
    const from = parseWindow('2026-01-01T00:00:00Z', undefined, NOW);
    expect(from.to.getTime() - from.from.getTime()).toBe(90 * DAY);
    const to = parseWindow(undefined, '2026-06-01T00:00:00Z', NOW);
    expect(to.to.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(codeOf(() => parseWindow('2026-01-01T00:00:00Z', '2026-04-02T00:00:00Z', NOW))).toBe('ERR_GEOREPORT_DATE_INVALID');
    expect(codeOf(() => parseWindow('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', NOW))).toBe('ERR_GEOREPORT_DATE_INVALID');
    expect(codeOf(() => parseWindow('2026-01-01T00:00:00Z', '2026-03-31T00:00:00Z', NOW))).toBe('none');
  });

  it('pages from 1, at most 1,000 a page', () => {
    expect(parsePage(undefined, undefined)).toEqual({ page: 1, pageSize: 1000 });
    expect(parsePage('3', '50')).toEqual({ page: 3, pageSize: 50 });
    for (const [p, s] of [['0', '10'], ['1', '0'], ['1', '1001'], ['-1', '5'], ['1.5', '5'], ['1', '1e3']] as const) {
      expect(codeOf(() => parsePage(p, s)), `${p}/${s}`).toBe('ERR_GEOREPORT_PAGING_INVALID');
    }
  });
});

describe('a new request', () => {
  const places = placeContext([{ id: 'astana.esil', city: 'astana' }, { id: 'almaty.bostandyk', city: 'almaty' }]);
  const base = { service_code: 'roads.lighting', description: 'Темно', lat: '51.128', long: '71.43' };

  it('keeps the place and the media URL, and drops the contact fields', () => {
    const input = parseCreateRequest({ ...base, email: 'a@b.kz', phone: '+7 701 000 00 00', first_name: 'A', media_url: 'https://x.example/1.jpg' }, places);
    expect(input).toEqual({ serviceCode: 'roads.lighting', description: 'Темно', location: { lat: 51.128, lon: 71.43 }, mediaUrl: 'https://x.example/1.jpg' });
    expect(parseCreateRequest({ service_code: 'roads.snow', description: 'Снег', address_id: 'almaty.bostandyk' }, places)).toMatchObject({ districtId: 'almaty.bostandyk', city: 'almaty' });
  });

  it('names what is wrong', () => {
    expect(codeOf(() => parseCreateRequest({ ...base, lat: '51.128,5' }, places))).toBe('ERR_INVALID_LOCATION');
    expect(codeOf(() => parseCreateRequest({ ...base, long: undefined }, places))).toBe('ERR_INVALID_LOCATION');
    expect(codeOf(() => parseCreateRequest({ ...base, lat: ['51.1', '51.2'] }, places))).toBe('ERR_GEOREPORT_FIELD_INVALID');
    expect(codeOf(() => parseCreateRequest({ ...base, address_id: 'almaty.bostandyk', jurisdiction_id: 'astana' }, places))).toBe('ERR_GEOREPORT_FIELD_INVALID');
    expect(codeOf(() => parseCreateRequest({ ...base, jurisdiction_id: 'bishkek' }, places))).toBe('ERR_GEOREPORT_JURISDICTION_NOT_FOUND');
    expect(codeOf(() => parseCreateRequest('text', places))).toBe('ERR_GEOREPORT_FIELD_INVALID');
  });
});

describe('statuses and updates', () => {
  it('maps steps to FixMyStreet statuses by state kind and outcome', () => {
    const s = (payload: Record<string, unknown>) => updateStatus({ channel: 'city', payload });
    expect(s({ action: 'take_into_work', fromState: 'received', toState: 'in_work' })).toBe('in_progress');
    expect(s({ action: 'resolve', fromState: 'in_work', toState: 'resolved', outcome: 'satisfied' })).toBe('fixed');
    expect(s({ action: 'resolve_on_first_contact', fromState: 'received', toState: 'resolved', outcome: 'refused' })).toBe('no_further_action');
    expect(s({ action: 'report_not_fixed', fromState: 'closed', toState: 'in_work' })).toBe('reopen');
    expect(s({ action: 'redirect', fromState: 'in_work', toState: 'received' })).toBe('internal_referral');
    expect(s({ action: 'request_documents', fromState: 'in_work', toState: 'awaiting_applicant' })).toBe('action_scheduled');
    expect(toOpen311Update({ eventId: '7', registrationNumber: '109-2026-00000001', channel: 'city', payload: { toState: 'in_work' }, occurredAt: NOW, message: null }).description).toBe('In work');
  });

  it('lets the applicant reopen or confirm only where the workflow gives them the action', () => {
    expect(applicantStepFor(cityWorkflow, 'resolved', 'OPEN')).toEqual({ action: 'report_not_fixed', input: 'reason' });
    expect(applicantStepFor(cityWorkflow, 'resolved', 'FIXED')).toEqual({ action: 'close', input: 'message' });
    expect(applicantStepFor(cityWorkflow, 'in_work', 'OPEN')).toBeNull();
    expect(applicantStepFor(cityWorkflow, 'in_work', 'CLOSED')).toBeNull();
    expect(applicantStepFor(policeWorkflow, 'resolved', 'OPEN')).toBeNull();
  });

  it('keeps the media URL on its own line and takes it back out', () => {
    const text = caseText('Темно во дворе', 'https://x.example/1.jpg');
    expect(splitCaseText(text)).toEqual({ description: 'Темно во дворе', mediaUrl: 'https://x.example/1.jpg' });
    expect(splitCaseText('Просто текст')).toEqual({ description: 'Просто текст', mediaUrl: null });
  });

  it('offers only known city and police categories', () => {
    const names = { kk: 'к', ru: 'р', en: 'e' };
    const services = listServices([{ code: 'roads.lighting', names }, { code: 'safety.domestic', names }, { code: 'child.crisis', names }, { code: 'safety.theft', names }], 'en');
    expect(services.map((s) => s.service_code)).toEqual(['roads.lighting', 'safety.theft']);
    expect(services[0]).toMatchObject({ keywords: 'к, р', group: 'roads' });
  });
});
