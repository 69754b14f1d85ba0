import { describe, expect, it } from 'vitest';
import { DATA_FILES } from '../../src/config/paths.ts';
import { route } from '../../src/core/routing.ts';
import { readReferenceFiles } from '../../src/storage/reference-files.ts';

const files = readReferenceFiles(DATA_FILES);
const rules = files.routingRules.map((r) => ({ ...r, districtId: r.district ?? null }));
const byId = new Map(files.organisations.map((o) => [o.id, o]));
const districts = files.districts.features.map((f) => f.properties);

/** The 109 categories: what a city's utilities, building managers, cleaning and departments fix. */
const CITY_CATEGORIES = [
  'utilities.heating', 'utilities.water', 'utilities.sewage', 'utilities.electricity', 'utilities.gas',
  'housing.maintenance', 'sanitation.waste', 'roads.repair', 'roads.snow', 'roads.lighting', 'roads.traffic',
  'transport.public', 'environment.greenery', 'environment.pollution', 'animals.stray', 'construction.land',
];
const FIXERS = new Set(['utility', 'lift_company', 'building_manager', 'city_department', 'district_akimat']);

const routed = (category: string, districtId: string, city: string) => {
  const rule = route(rules, { category, channel: 'city', city, districtId });
  return rule ? byId.get(rule.organisationId) : undefined;
};

describe('109 routing: category × district → the organisation that fixes it', () => {
  it('sends every city category, in every district of the three cities, to a fixer of that city', () => {
    for (const category of CITY_CATEGORIES) expect(files.taxonomy.categories.some((c) => c.code === category), category).toBe(true);
    for (const d of districts) {
      for (const category of CITY_CATEGORIES) {
        const org = routed(category, d.id, d.city);
        expect(org, `${category} in ${d.id}`).toBeDefined();
        expect(org!.city, `${category} in ${d.id}`).toBe(d.city);
        expect(FIXERS.has(org!.type), `${category} in ${d.id} → ${org!.id} (${org!.type})`).toBe(true);
      }
    }
  });

  it('sends utilities to the utility, snow to city cleaning, building upkeep to the district’s building manager', () => {
    for (const d of districts) {
      for (const category of ['utilities.heating', 'utilities.water', 'utilities.sewage', 'utilities.electricity', 'utilities.gas']) {
        expect(routed(category, d.id, d.city)!.type, `${category} ${d.id}`).toBe('utility');
      }
      expect(routed('roads.snow', d.id, d.city)!.id).toBe(`${d.city}.utility.cleaning`);
      const manager = routed('housing.maintenance', d.id, d.city)!;
      expect(manager.type, d.id).toBe('building_manager');
      expect(manager.districtId, d.id).toBe(d.id);
    }
  });

  it('has a lift company serving every district (the building manager passes lift faults to it)', () => {
    for (const d of districts) {
      expect(files.organisations.some((o) => o.type === 'lift_company' && o.districtId === d.id), d.id).toBe(true);
    }
  });

  it('keeps formal appeals about building upkeep with the housing inspection', () => {
    expect(route(rules, { category: 'housing.maintenance', channel: 'appeal', city: 'almaty', districtId: 'almaty.zhetysu' })?.organisationId).toBe('almaty.dept.housing_inspection');
  });
});
