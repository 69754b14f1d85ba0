import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_FILES } from '../../src/config/paths.ts';
import { route } from '../../src/core/routing.ts';
import { readReferenceFiles } from '../../src/storage/reference-files.ts';

const files = readReferenceFiles(DATA_FILES);
const orgIds = new Set(files.organisations.map((o) => o.id));
const cities = ['astana', 'almaty', 'shymkent'];
const channels = ['appeal', 'police', 'city', 'child', 'social'];
const rules = files.routingRules.map((r) => ({ ...r, districtId: r.district ?? null }));

describe('reference data', () => {
  // The taxonomy is a contract: codes verbatim from the shared spec, when it is beside the project.
  const spec = new URL('../../../shared/spec/taxonomy.md', import.meta.url);
  it.runIf(existsSync(spec))('has exactly the categories of the shared taxonomy, with their names', () => {
    const rows = [...readFileSync(spec, 'utf8').matchAll(/^\| `([a-z_.]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)];
    const specCategories = rows.filter((r) => !['complaint', 'application', 'proposal', 'inquiry', 'feedback', 'emergency', 'urgent', 'normal'].includes(r[1]!));
    expect(files.taxonomy.categories.map((c) => c.code).sort()).toEqual(specCategories.map((r) => r[1]).sort());
    for (const r of specCategories) {
      const c = files.taxonomy.categories.find((x) => x.code === r[1])!;
      expect(c.names).toEqual({ en: r[2]!.trim(), ru: r[3]!.trim(), kk: r[4]!.trim() });
    }
  });

  it('has an organisation tree whose higher bodies exist and lead to the government without cycles', () => {
    expect(orgIds.size).toBe(files.organisations.length);
    const byId = new Map(files.organisations.map((o) => [o.id, o]));
    for (const org of files.organisations) {
      const seen = new Set<string>();
      let current: string | null = org.id;
      while (current) {
        expect(seen.has(current), `cycle at ${current}`).toBe(false);
        seen.add(current);
        const next: string | null = byId.get(current)!.higherBodyId;
        if (next) expect(orgIds.has(next), `${current} → ${next}`).toBe(true);
        current = next;
      }
      expect([...seen].pop()).toBe('kz.government');
    }
  });

  it('has, for each city, the bodies the case core routes to', () => {
    const types = ['city_akimat', 'city_department', 'district_akimat', 'utility', 'lift_company', 'building_manager', 'district_police', 'psychologist_service', 'anti_corruption', 'public_service_centre'];
    for (const city of cities) {
      for (const type of types) expect(files.organisations.some((o) => o.city === city && o.type === type), `${city} ${type}`).toBe(true);
    }
    expect(orgIds.has('kz.processing_centre')).toBe(true);
  });

  it('routes every category, in every district and channel, to an organisation that exists', () => {
    for (const district of files.districts.features.map((f) => f.properties)) {
      for (const category of files.taxonomy.categories.map((c) => c.code)) {
        for (const channel of channels) {
          const rule = route(rules, { category, channel, city: district.city, districtId: district.id });
          expect(rule, `${category} ${district.id} ${channel}`).not.toBeNull();
          expect(orgIds.has(rule!.organisationId)).toBe(true);
        }
      }
    }
  });

  it('sends crimes to the district police of the place', () => {
    const rule = route(rules, { category: 'safety.theft', channel: 'police', city: 'almaty', districtId: 'almaty.medeu' });
    expect(rule?.organisationId).toBe('almaty.police.medeu');
  });

  it('keeps the districts with their attribution', () => {
    expect(files.districts.features).toHaveLength(18);
    expect(readFileSync(`${DATA_FILES}/geo/ATTRIBUTION.md`, 'utf8')).toMatch(/CC BY 4\.0/);
  });
});
