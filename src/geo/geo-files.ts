import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_FILES } from '../config/paths.ts';
import type { AreaGeometry } from './geometry.ts';
import type { CityArea, DistrictArea } from './place-index.ts';

/**
 * The boundary files in data/geo (geokz, CC BY 4.0: see data/geo/ATTRIBUTION.md): the city districts and
 * the ADM1 layer (oblasts and the three cities), whose city polygons give each city's extent and whose
 * union is Kazakhstan's outline.
 */
/** To be shown wherever the boundaries are (CC BY 4.0). */
export const BOUNDARIES_ATTRIBUTION = 'Boundaries: geokz (A. Rodionov), CC BY 4.0, based on OCHA/HDX COD-AB Kazakhstan (cod-ab-kaz), 2024';

export const DISTRICTS_FILE = 'geo/kz-city-districts.geojson';
export const REGIONS_FILE = 'geo/kz-regions-adm1.geojson';

const position = z.array(z.number()).min(2);
const polygon = z.array(z.array(position).min(4));
const geometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: polygon }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon) }),
]);
const names = { name_kk: z.string(), name_ru: z.string(), name_en: z.string(), kato: z.string().regex(/^\d{9}$/) };
const collection = <P extends z.ZodType>(properties: P) =>
  z.object({ type: z.literal('FeatureCollection'), features: z.array(z.object({ type: z.literal('Feature'), properties, geometry })) });

const districtFile = collection(z.object({ id: z.string(), city: z.string(), ...names }).passthrough());
const regionFile = collection(z.object({ id: z.string(), type: z.enum(['oblast', 'city']), ...names }).passthrough());

export interface DistrictWithNames extends DistrictArea {
  names: { kk: string; ru: string; en: string };
  kato: string;
}

export interface BoundaryData {
  districts: DistrictWithNames[];
  cities: CityArea[];
  /** Every ADM1 region: together, Kazakhstan. */
  country: AreaGeometry[];
}

function read<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function readDistricts(dir = DATA_FILES): DistrictWithNames[] {
  return read(path.join(dir, DISTRICTS_FILE), districtFile).features.map((f) => ({
    id: f.properties.id,
    city: f.properties.city,
    names: { kk: f.properties.name_kk, ru: f.properties.name_ru, en: f.properties.name_en },
    kato: f.properties.kato,
    geometry: f.geometry as AreaGeometry,
  }));
}

/**
 * The ADM1 layer. A city polygon is matched to the districts' city by the KATO code's first two digits
 * (71 Astana, 75 Almaty, 79 Shymkent), the same in both files.
 */
export function readRegions(districts: readonly { city: string; kato: string }[], dir = DATA_FILES): { cities: CityArea[]; country: AreaGeometry[] } {
  const features = read(path.join(dir, REGIONS_FILE), regionFile).features;
  const cities: CityArea[] = [];
  for (const f of features) {
    if (f.properties.type !== 'city') continue;
    const city = districts.find((d) => d.kato.slice(0, 2) === f.properties.kato.slice(0, 2))?.city;
    const { name_kk: kk, name_ru: ru, name_en: en } = f.properties;
    if (city) cities.push({ city, geometry: f.geometry as AreaGeometry, names: { kk, ru, en } });
  }
  return { cities, country: features.map((f) => f.geometry as AreaGeometry) };
}

export function readBoundaries(dir = DATA_FILES): BoundaryData {
  const districts = readDistricts(dir);
  return { districts, ...readRegions(districts, dir) };
}
