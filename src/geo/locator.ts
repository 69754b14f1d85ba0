import type { GeoPoint } from '../core/model.ts';
import type { Locator, PlaceOfPoint, PlaceOfText } from '../core/ports.ts';
import { createGazetteer, type Gazetteer, type ResolvedPlace } from './gazetteer.ts';
import type { GazetteerFile } from './gazetteer-data.ts';
import type { AreaGeometry } from './geometry.ts';
import { createPlaceIndex, isValidPoint, type CityArea, type DistrictArea, type PlaceIndex, type PlaceIndexOptions } from './place-index.ts';

type Names = { kk: string; ru: string; en: string };

/** The Locator port and the rest of the places: the grid index, the city extents and the gazetteer. */
export interface GeoLocator extends Locator {
  cityAt(point: GeoPoint): string | null;
  districtOfAddress(text: string, city?: string | null): PlaceOfText | null;
  /** Throws ERR_INVALID_LOCATION or ERR_LOCATION_OUTSIDE_KAZAKHSTAN. */
  placeOf(point: GeoPoint): PlaceOfPoint;
  /** Every place a text names, and the district they agree on (social listening reads the mentions). */
  resolvePlace(text: string, options?: { city?: string | null }): ResolvedPlace;
  districtNames(districtId: string): Names | null;
  cityNames(city: string): Names | null;
}

export interface GeoSources {
  districts: readonly (DistrictArea & { names?: Names })[];
  /** The city polygons and Kazakhstan's regions: read on first use. */
  regions: () => { cities: CityArea[]; country: AreaGeometry[] };
  /** The gazetteer files: read on first use. */
  gazetteer: () => readonly GazetteerFile[];
  options?: PlaceIndexOptions;
}

/**
 * Builds nothing until asked: the index takes a few hundred milliseconds and the gazetteer a few tens, and
 * many processes (a CLI command, most tests) never place a point.
 */
export function createGeoLocator(sources: GeoSources): GeoLocator {
  let index: PlaceIndex | undefined;
  let regions: ReturnType<GeoSources['regions']> | undefined;
  let gazetteer: Gazetteer | undefined;
  const loadRegions = () => (regions ??= sources.regions());
  const placeIndex = () => (index ??= createPlaceIndex(sources.districts, loadRegions().cities, loadRegions().country, sources.options));
  const places = () => (gazetteer ??= createGazetteer(sources.gazetteer()));
  const cityOf = new Map(sources.districts.map((d) => [d.id, d.city]));
  const knownCities = new Set(cityOf.values());
  const namesOf = new Map(sources.districts.map((d) => [d.id, d.names ?? null]));

  const resolvePlace = (text: string, options?: { city?: string | null }) => places().resolve(text, options);
  return {
    districtAt(point) {
      if (!isValidPoint(point)) return null;
      const found = placeIndex().placeInCities(point.lat, point.lon);
      return found.status === 'district' ? { districtId: found.districtId, city: found.city } : null;
    },
    cityAt(point) {
      return isValidPoint(point) ? placeIndex().placeInCities(point.lat, point.lon).city : null;
    },
    cityOfDistrict: (id) => cityOf.get(id) ?? null,
    placeOf: (point) => placeIndex().placeOf(point),
    resolvePlace,
    districtOfAddress(text, city) {
      // The city may be a slug ("almaty") or as a person wrote it ("г. Алматы"); one the gazetteer does not know places nothing.
      const hint = city ? (knownCities.has(city) ? city : resolvePlace(city).city) : null;
      if (city && !hint) return null;
      const found = resolvePlace(text, { city: hint });
      if (!found.city) return null;
      const matched = found.mentions.filter((m) => m.city === found.city).map((m) => m.text);
      return { districtId: found.districtId, city: found.city, matched };
    },
    districtNames: (id) => namesOf.get(id) ?? null,
    cityNames: (city) => loadRegions().cities.find((c) => c.city === city)?.names ?? null,
  };
}
