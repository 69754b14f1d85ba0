import { describe, expect, it } from 'vitest';
import { route, type RoutingRule } from '../../src/core/routing.ts';

const rules: RoutingRule[] = [
  { category: '*', organisationId: 'national' },
  { category: 'safety.*', city: 'astana', organisationId: 'city-police' },
  { category: 'safety.*', districtId: 'astana.esil', organisationId: 'esil-police' },
  { category: 'safety.fraud', city: 'astana', organisationId: 'cyber' },
  { category: 'roads.snow', city: 'astana', organisationId: 'roads-dept' },
  { category: 'roads.snow', city: 'astana', channel: 'city', organisationId: 'cleaning' },
];
const q = (category: string, extra: Partial<{ channel: string; city: string | null; districtId: string | null }> = {}) =>
  route(rules, { category, channel: 'appeal', city: 'astana', districtId: null, ...extra })?.organisationId;

describe('routing', () => {
  it('prefers a district rule over a city rule over a national one', () => {
    expect(q('safety.theft', { districtId: 'astana.esil' })).toBe('esil-police');
    expect(q('safety.theft')).toBe('city-police');
    expect(q('safety.theft', { city: 'almaty' })).toBe('national');
  });

  it('prefers an exact category over a pattern at the same place', () => {
    expect(q('safety.fraud')).toBe('cyber');
    // …but a district rule still beats a city one.
    expect(q('safety.fraud', { districtId: 'astana.esil' })).toBe('esil-police');
  });

  it('prefers a channel rule over one for every channel', () => {
    expect(q('roads.snow', { channel: 'city' })).toBe('cleaning');
    expect(q('roads.snow', { channel: 'appeal' })).toBe('roads-dept');
  });

  it('matches patterns by whole segments and returns null when nothing matches', () => {
    expect(route(rules.slice(1), { category: 'safetyx.theft', channel: 'appeal', city: 'astana', districtId: null })).toBeNull();
  });
});
