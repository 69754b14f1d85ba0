import type { Organisation } from '../core/model.ts';
import type { ReferenceData } from '../core/ports.ts';
import type { RoutingRule } from '../core/routing.ts';
import type { Db } from './db.ts';

export interface CategoryEntry {
  code: string;
  names: { kk: string; ru: string; en: string };
  responsible: string;
}

export interface DistrictEntry {
  id: string;
  city: string;
  names: { kk: string; ru: string; en: string };
  kato: string;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

/** The reference data held in memory: small, read on every request, changed only by a seed. */
export interface ReferenceCatalog extends ReferenceData {
  categories: readonly CategoryEntry[];
  organisations: readonly Organisation[];
  districts: readonly DistrictEntry[];
  /** The organisation and everything below it in the tree. */
  subtree(organisationId: string): ReadonlySet<string>;
}

export const TRIAGE_ORGANISATION_ID = 'kz.processing_centre';

interface OrgRow {
  id: string;
  type: string;
  city: string | null;
  district_id: string | null;
  parent_id: string | null;
  higher_body_id: string | null;
  name_kk: string;
  name_ru: string;
  name_en: string;
}

export async function loadReferenceCatalog(db: Db): Promise<ReferenceCatalog> {
  const [categories, orgs, districts, rules] = [
    (await db.query<{ code: string; name_kk: string; name_ru: string; name_en: string; responsible: string }>('SELECT * FROM categories ORDER BY code')).rows,
    (await db.query<OrgRow>('SELECT * FROM organisations ORDER BY id')).rows,
    (await db.query<{ id: string; city: string; name_kk: string; name_ru: string; name_en: string; kato: string; geometry: DistrictEntry['geometry'] }>('SELECT * FROM districts ORDER BY id')).rows,
    (await db.query<{ category: string; channel: string | null; city: string | null; district_id: string | null; organisation_id: string }>('SELECT * FROM routing_rules ORDER BY id')).rows,
  ];
  const organisations: Organisation[] = orgs.map((o) => ({
    id: o.id,
    type: o.type,
    city: o.city,
    districtId: o.district_id,
    parentId: o.parent_id,
    higherBodyId: o.higher_body_id,
    names: { kk: o.name_kk, ru: o.name_ru, en: o.name_en },
  }));
  const byId = new Map(organisations.map((o) => [o.id, o]));
  const children = new Map<string, string[]>();
  for (const o of organisations) if (o.parentId) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o.id]);
  const subtrees = new Map<string, ReadonlySet<string>>();
  const subtree = (id: string): ReadonlySet<string> => {
    const cached = subtrees.get(id);
    if (cached) return cached;
    const found = new Set<string>();
    const stack = [id];
    while (stack.length) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      found.add(next);
      stack.push(...(children.get(next) ?? []));
    }
    subtrees.set(id, found);
    return found;
  };
  const categoryCodes = new Set(categories.map((c) => c.code));
  const districtIds = new Set(districts.map((d) => d.id));
  const routingRules: RoutingRule[] = rules.map((r) => ({
    category: r.category,
    channel: r.channel,
    city: r.city,
    districtId: r.district_id,
    organisationId: r.organisation_id,
  }));
  return {
    categories: categories.map((c) => ({ code: c.code, names: { kk: c.name_kk, ru: c.name_ru, en: c.name_en }, responsible: c.responsible })),
    organisations,
    districts: districts.map((d) => ({ id: d.id, city: d.city, names: { kk: d.name_kk, ru: d.name_ru, en: d.name_en }, kato: d.kato, geometry: d.geometry })),
    subtree,
    hasCategory: (code) => categoryCodes.has(code),
    organisation: (id) => byId.get(id),
    hasDistrict: (id) => districtIds.has(id),
    routingRules: () => routingRules,
    triageOrganisationId: TRIAGE_ORGANISATION_ID,
  };
}
