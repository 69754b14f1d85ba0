import { parsePoint } from '../../geo/coordinates.ts';
import { BOUNDARIES_ATTRIBUTION, readBoundaries } from '../../geo/geo-files.ts';
import { createPlaceIndex } from '../../geo/place-index.ts';

/**
 * tyndau geo district <lat> <lon>: the district and city of a point, as JSON on stdout. Reads the boundary
 * files in data/geo directly (no database), so it answers the same as the API on any machine.
 */
export async function geoDistrict(lat: string, lon: string): Promise<void> {
  const point = parsePoint(lat, lon);
  const { districts, cities, country } = readBoundaries();
  const place = createPlaceIndex(districts, cities, country).placeOf(point);
  const district = districts.find((d) => d.id === place.districtId);
  const city = cities.find((c) => c.city === place.city);
  const answer = { ...place, names: district?.names ?? null, cityNames: city?.names ?? null, attribution: BOUNDARIES_ATTRIBUTION };
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
