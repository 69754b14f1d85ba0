import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The reference data files in data/ and their schemas: what `tyndau seed` loads. */
const names = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });

export const taxonomySchema = z.object({
  kinds: z.array(z.object({ code: z.string(), names })),
  urgencies: z.array(z.object({ code: z.string(), names, meaning: z.string() })),
  categories: z.array(z.object({ code: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/), names, responsible: z.string() })),
});

export const organisationsSchema = z.array(
  z.object({
    id: z.string().min(1),
    type: z.string().min(1),
    city: z.string().nullable(),
    districtId: z.string().nullable(),
    parentId: z.string().nullable(),
    higherBodyId: z.string().nullable(),
    names,
  }),
);

export const routingRulesSchema = z.array(
  z.object({
    category: z.string().min(1),
    channel: z.string().optional(),
    city: z.string().optional(),
    district: z.string().optional(),
    organisationId: z.string().min(1),
    note: z.string().optional(),
  }),
);

const polygon = z.array(z.array(z.tuple([z.number(), z.number()])));
export const districtsSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ id: z.string(), city: z.string(), name_kk: z.string(), name_ru: z.string(), name_en: z.string(), kato: z.string() }).passthrough(),
      geometry: z.union([
        z.object({ type: z.literal('Polygon'), coordinates: polygon }),
        z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon) }),
      ]),
    }),
  ),
});

export type Taxonomy = z.infer<typeof taxonomySchema>;
export type OrganisationFile = z.infer<typeof organisationsSchema>;
export type RoutingRuleFile = z.infer<typeof routingRulesSchema>;
export type DistrictFile = z.infer<typeof districtsSchema>;

function readJson<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const full = path.join(dir, file);
  const parsed = schema.safeParse(JSON.parse(readFileSync(full, 'utf8')));
  if (!parsed.success) throw new Error(`${full}: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface ReferenceFiles {
  taxonomy: Taxonomy;
  organisations: OrganisationFile;
  routingRules: RoutingRuleFile;
  districts: DistrictFile;
}

export function readReferenceFiles(dir: string): ReferenceFiles {
  return {
    taxonomy: readJson(dir, 'taxonomy.json', taxonomySchema),
    organisations: readJson(dir, 'organisations.json', organisationsSchema),
    routingRules: readJson(dir, 'routing-rules.json', routingRulesSchema),
    districts: readJson(dir, 'geo/kz-city-districts.geojson', districtsSchema),
  };
}
