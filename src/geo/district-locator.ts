import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { GeoPoint } from '../core/model.ts';
import type { Locator } from '../core/ports.ts';

export interface DistrictShape {
  id: string;
  city: string;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

function bboxOf(geometry: DistrictShape['geometry']): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      if (lon === undefined || lat === undefined) continue;
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return box;
}

/**
 * Point → district over the city districts: a bounding-box test first (cheap, rejects almost all),
 * then turf's exact point-in-polygon, which handles MultiPolygons and holes.
 */
export function createDistrictLocator(districts: readonly DistrictShape[]): Locator {
  const indexed = districts.map((d) => ({ ...d, bbox: bboxOf(d.geometry) }));
  const cities = new Map(districts.map((d) => [d.id, d.city]));
  return {
    districtAt(point: GeoPoint) {
      for (const d of indexed) {
        const [minLon, minLat, maxLon, maxLat] = d.bbox;
        if (point.lon < minLon || point.lon > maxLon || point.lat < minLat || point.lat > maxLat) continue;
        if (booleanPointInPolygon([point.lon, point.lat], d.geometry)) return { districtId: d.id, city: d.city };
      }
      return null;
    },
    cityOfDistrict: (id) => cities.get(id) ?? null,
  };
}
