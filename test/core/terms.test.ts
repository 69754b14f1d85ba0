import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { calendarDataSchema, createBusinessCalendar } from '../../src/core/sla/calendar.ts';
import {
  computeDueAt,
  selectTerm,
  termPoliciesSchema,
  type TermCase,
  type TermPolicy,
} from '../../src/core/sla/terms.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const rawPolicies = read('../../data/term-policies.json');
const { policies } = termPoliciesSchema.parse(rawPolicies);
const cal = createBusinessCalendar(calendarDataSchema.parse(read('../../data/calendars/kz.json')));

const appeal = (over: Partial<TermCase> = {}): TermCase => ({
  channel: 'appeal',
  kind: 'application',
  category: 'roads.repair',
  urgency: 'normal',
  ...over,
});
const termOf = (c: TermCase): Pick<TermPolicy, 'term' | 'obligation'> | undefined => {
  const p = selectTerm(policies, c);
  return p && { term: p.term, obligation: p.obligation };
};

describe('term policies file', () => {
  it('parses', () => {
    expect(termPoliciesSchema.safeParse(rawPolicies).success).toBe(true);
    expect(policies.length).toBeGreaterThan(0);
  });

  it('rejects a term with two units, a duplicate match, a channel without fallback and a bare *', () => {
    const base = { match: { channel: 'social' }, term: { hours: 72 }, obligation: 'answer' };
    const { procedures } = rawPolicies as { procedures: unknown };
    const parse = (list: unknown[]): boolean => termPoliciesSchema.safeParse({ policies: list, procedures }).success;
    expect(parse([base])).toBe(true);
    expect(parse([{ ...base, term: { hours: 1, minutes: 30 } }])).toBe(false);
    expect(parse([base, { ...base, term: { hours: 24 } }])).toBe(false);
    expect(parse([{ ...base, match: { channel: 'social', urgency: 'emergency' } }])).toBe(false);
    expect(parse([base, { ...base, match: { channel: 'social', category: '*' } }])).toBe(false);
    expect(parse([{ ...base, match: { channel: 'fax' } }])).toBe(false);
    expect(parse([{ ...base, term: { workingDays: 0 } }])).toBe(false);
  });
});

describe('selectTerm with the shipped policies', () => {
  it('appeals: 15 working days by default', () => {
    for (const kind of ['application', 'proposal', 'inquiry', 'feedback'] as const) {
      expect(termOf(appeal({ kind }))).toEqual({ term: { workingDays: 15 }, obligation: 'answer' });
    }
  });

  it('complaint 20, complaint about a public service 5 (sub-categories too)', () => {
    expect(termOf(appeal({ kind: 'complaint' }))?.term).toEqual({ workingDays: 20 });
    expect(termOf(appeal({ kind: 'complaint', category: 'governance.public_services' }))?.term).toEqual({ workingDays: 5 });
    expect(termOf(appeal({ kind: 'complaint', category: 'governance.public_services.id_cards' }))?.term).toEqual({ workingDays: 5 });
    expect(termOf(appeal({ kind: 'application', category: 'governance.public_services' }))?.term).toEqual({ workingDays: 15 });
    expect(termOf(appeal({ kind: 'complaint', category: 'governance.officials' }))?.term).toEqual({ workingDays: 20 });
  });

  it('media inquiry 7; media only matters for inquiries', () => {
    expect(termOf(appeal({ kind: 'inquiry', applicantType: 'media' }))?.term).toEqual({ workingDays: 7 });
    expect(termOf(appeal({ kind: 'inquiry' }))?.term).toEqual({ workingDays: 15 });
    expect(termOf(appeal({ kind: 'complaint', applicantType: 'media' }))?.term).toEqual({ workingDays: 20 });
  });

  it('police: a unit dispatched in 10 minutes for an emergency, 30 minutes when urgent, 2 hours otherwise', () => {
    expect(termOf(appeal({ channel: 'police', urgency: 'emergency', category: 'safety.violence' }))).toEqual({
      term: { minutes: 10 },
      obligation: 'dispatch',
    });
    expect(termOf(appeal({ channel: 'police', urgency: 'urgent', category: 'safety.theft' }))).toEqual({
      term: { minutes: 30 },
      obligation: 'dispatch',
    });
    expect(termOf(appeal({ channel: 'police', urgency: 'normal', category: 'safety.theft' }))).toEqual({
      term: { hours: 2 },
      obligation: 'dispatch',
    });
  });

  it('city: per category in hours, emergency 2 h', () => {
    const city = (category: string, urgency: TermCase['urgency'] = 'normal'): unknown =>
      termOf(appeal({ channel: 'city', category, urgency }))?.term;
    expect(city('utilities.sewage')).toEqual({ hours: 2 });
    expect(city('utilities.heating')).toEqual({ hours: 24 });
    expect(city('roads.snow')).toEqual({ hours: 24 });
    expect(city('roads.lighting')).toEqual({ hours: 72 });
    expect(city('transport.public')).toEqual({ hours: 72 });
    expect(city('utilities.water', 'emergency')).toEqual({ hours: 2 });
    // Same number of fields: urgency outranks category, an emergency never waits 72 h.
    expect(city('roads.lighting', 'emergency')).toEqual({ hours: 2 });
    expect(city('utilities.heating', 'urgent')).toEqual({ hours: 24 });
  });

  it('child: first contact in 15 minutes for an emergency, otherwise 24 h', () => {
    expect(termOf(appeal({ channel: 'child', category: 'child.crisis', urgency: 'emergency' }))).toEqual({
      term: { minutes: 15 },
      obligation: 'first_contact',
    });
    expect(termOf(appeal({ channel: 'child', category: 'child.bullying', urgency: 'urgent' }))).toEqual({
      term: { hours: 24 },
      obligation: 'first_contact',
    });
  });

  it('social: 72 h', () => {
    expect(termOf(appeal({ channel: 'social', category: 'sanitation.waste' }))?.term).toEqual({ hours: 72 });
  });

  it('does not depend on the order of the file', () => {
    const cases = fc.record({
      channel: fc.constantFrom('appeal', 'police', 'city', 'child', 'social') as fc.Arbitrary<TermCase['channel']>,
      kind: fc.constantFrom('complaint', 'application', 'proposal', 'inquiry', 'feedback') as fc.Arbitrary<TermCase['kind']>,
      category: fc.constantFrom('utilities.sewage', 'utilities.heating.radiators', 'roads.snow', 'governance.public_services', 'other'),
      urgency: fc.constantFrom('emergency', 'urgent', 'normal') as fc.Arbitrary<TermCase['urgency']>,
      applicantType: fc.constantFrom(undefined, 'media', 'individual'),
    });
    const shuffled = fc.shuffledSubarray(policies, { minLength: policies.length, maxLength: policies.length });
    fc.assert(
      fc.property(cases, shuffled, (c, order) => {
        expect(selectTerm(order, c)).toBe(selectTerm(policies, c));
      }),
      { numRuns: 300 },
    );
  });
});

describe('selectTerm specificity', () => {
  const p = (match: TermPolicy['match'], hours: number): TermPolicy => ({ match, term: { hours }, obligation: 'answer' });
  const synthetic: TermPolicy[] = [
    p({ channel: 'city' }, 72),
    p({ channel: 'city', category: 'utilities.*' }, 10),
    p({ channel: 'city', category: 'utilities.heating.*' }, 7),
    p({ channel: 'city', category: 'utilities.heating' }, 5),
    p({ channel: 'city', category: 'roads.snow.*' }, 24),
    p({ channel: 'city', kind: 'complaint', category: 'roads.snow' }, 48),
  ];
  const hours = (category: string, kind: TermCase['kind'] = 'application'): unknown =>
    selectTerm(synthetic, appeal({ channel: 'city', category, kind }))?.term;

  it('an exact code beats a prefix, a longer prefix beats a shorter one', () => {
    expect(hours('utilities.heating')).toEqual({ hours: 5 });
    expect(hours('utilities.heating.radiators')).toEqual({ hours: 7 });
    expect(hours('utilities.water')).toEqual({ hours: 10 });
  });

  it('a prefix matches whole segments only', () => {
    expect(hours('roads.snowfall')).toEqual({ hours: 72 });
    expect(hours('roads.snow')).toEqual({ hours: 24 });
  });

  it('more matched fields win', () => {
    expect(hours('roads.snow', 'complaint')).toEqual({ hours: 48 });
  });

  it('returns undefined when nothing matches', () => {
    expect(selectTerm(synthetic, appeal({ channel: 'police' }))).toBeUndefined();
    expect(selectTerm([], appeal())).toBeUndefined();
  });
});

describe('computeDueAt', () => {
  const due = (c: TermCase, receivedAt: string): string => {
    const policy = selectTerm(policies, c);
    if (!policy) throw new Error('no policy');
    return computeDueAt(cal, policy.term, new Date(receivedAt)).toISOString();
  };

  it('working days go through the calendar (public-service complaint, 5 days over Nauryz 2026)', () => {
    // Registered Fri 20 Mar 10:00 local; days 26, 27, 30, 31 Mar, 1 Apr → 18:00 local on Wed 1 Apr.
    expect(due(appeal({ kind: 'complaint', category: 'governance.public_services' }), '2026-03-20T05:00:00Z')).toBe(
      '2026-04-01T13:00:00.000Z',
    );
  });

  it('media inquiry: 7 working days over the 9 March 2026 carry-over', () => {
    // Registered Fri 6 Mar 17:30 local; days 10–13, 16–18 Mar → Wed 18 Mar.
    expect(due(appeal({ kind: 'inquiry', applicantType: 'media' }), '2026-03-06T12:30:00Z')).toBe('2026-03-18T13:00:00.000Z');
  });

  it('a complaint filed 31 Dec 2025 at 17:59 local: 20 working days', () => {
    // Day 15 = Mon 26 Jan, then 27, 28, 29, 30 Jan, day 20 = Mon 2 Feb.
    expect(due(appeal({ kind: 'complaint' }), '2025-12-31T12:59:00Z')).toBe('2026-02-02T13:00:00.000Z');
  });

  it('hours and minutes are clock time, holidays and nights included', () => {
    expect(due(appeal({ channel: 'city', category: 'utilities.heating' }), '2026-03-21T20:00:00Z')).toBe('2026-03-22T20:00:00.000Z');
    expect(due(appeal({ channel: 'police', urgency: 'emergency' }), '2026-03-22T23:55:00Z')).toBe('2026-03-23T00:05:00.000Z');
    expect(due(appeal({ channel: 'child', urgency: 'emergency' }), '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:15:00.000Z');
    expect(due(appeal({ channel: 'police' }), '2025-12-31T23:30:00Z')).toBe('2026-01-01T01:30:00.000Z');
  });

  it('rejects an invalid date', () => {
    expect(() => computeDueAt(cal, { hours: 1 }, new Date(Number.NaN))).toThrow(RangeError);
  });
});
