import { DomainError } from '../core/errors.ts';
import type { GeoPoint } from '../core/model.ts';
import type { PlaceOfPoint } from '../core/ports.ts';
import { type AreaGeometry, type Box, boxOfEdges, edgesOf, metresPerDegree, ringsOf, segmentDistanceSq, segmentTouchesBox } from './geometry.ts';
import { frameOver, MIXED, NONE, RegionGrid } from './region-grid.ts';

export interface DistrictArea {
  id: string;
  city: string;
  geometry: AreaGeometry;
}

export interface CityArea {
  city: string;
  geometry: AreaGeometry;
  names?: { kk: string; ru: string; en: string };
}

export interface PlaceIndexOptions {
  /**
   * A point within this distance of a city's districts counts as the city, as does any point in the city's
   * ADM1 polygon. Default 500 m: see DEFAULT_CITY_BUFFER_METRES.
   */
  cityBufferMetres?: number;
  /** Side of a grid cell; smaller cells mean fewer exact tests and more memory. */
  cellMetres?: number;
}

/**
 * Why 500 m: the city polygons (ADM1) are simplified (30 %, 1e-5°), so between their vertices they cut across
 * the districts' own border: sampled along their edges they stray from it by p99 340–380 m and at most
 * 470–510 m in Almaty and Shymkent (see the table in data/geo/ATTRIBUTION.md). A 500 m band around the
 * districts covers that, and a phone's network position at the city limit, while staying short of the
 * villages beyond it.
 */
export const DEFAULT_CITY_BUFFER_METRES = 500;
const DEFAULT_CELL_METRES = 200;

/** Kazakhstan's outline as cells of 0.05° (~5 km): only consulted for points outside every city. */
const COUNTRY_CELL_DEGREES = 0.05;

const mergeBoxes = (a: Box, b: Box): Box => ({ minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) });

const OUTSIDE: PlaceOfPoint = Object.freeze({ status: 'outside', districtId: null, city: null });
const CITY_ONLY = -3;

/** One city's grid: district cells, the city polygon, and the district edges near each cell (for the buffer). */
class CityGrid {
  readonly box: Box;
  private readonly districts: RegionGrid;
  private readonly cityPolygon: RegionGrid;
  /** Per cell: a district's index (within the city), CITY_ONLY, NONE (outside) or MIXED. */
  private readonly cells: Int32Array;
  private readonly nearStart: Int32Array;
  /** District edges in metres from (originX, originY): x1, y1, x2, y2 per edge, grouped by cell. */
  private readonly nearEdges: Float64Array;
  private readonly kx: number;
  private readonly ky: number;
  private readonly originX: number;
  private readonly originY: number;
  private readonly bufferSq: number;

  constructor(districts: readonly AreaGeometry[], city: AreaGeometry | null, bufferMetres: number, cellMetres: number) {
    const districtEdges = edgesOf(districts.flatMap(ringsOf));
    const cityEdges = city ? edgesOf(ringsOf(city)) : new Float64Array(0);
    const b = mergeBoxes(boxOfEdges(districtEdges), boxOfEdges(cityEdges));
    const m = metresPerDegree((b.minY + b.maxY) / 2);
    [this.kx, this.ky, this.originX, this.originY] = [m.x, m.y, b.minX, b.minY];
    const bx = bufferMetres / m.x;
    const by = bufferMetres / m.y;
    const frame = frameOver({ minX: b.minX - bx, minY: b.minY - by, maxX: b.maxX + bx, maxY: b.maxY + by }, cellMetres / m.x, cellMetres / m.y);
    this.box = frame.box;
    this.bufferSq = bufferMetres * bufferMetres;
    this.districts = new RegionGrid(districts.map(ringsOf), frame);
    this.cityPolygon = new RegionGrid(city ? [ringsOf(city)] : [], frame);

    const near = this.edgesNearCells(districtEdges, frame.cols, frame.rows, bx, by);
    const cellCount = frame.cols * frame.rows;
    this.cells = new Int32Array(cellCount);
    this.nearStart = new Int32Array(cellCount + 1);
    const flat: number[] = [];
    for (let c = 0; c < cellCount; c++) {
      this.nearStart[c] = flat.length;
      const d = this.districts.cellState(c);
      const inCity = this.cityPolygon.cellState(c);
      const edges = near.get(c);
      if (d >= 0) this.cells[c] = d;
      else if (d === NONE && inCity === 0) this.cells[c] = CITY_ONLY;
      else if (d === NONE && inCity === NONE && !edges) this.cells[c] = NONE;
      else this.cells[c] = MIXED;
      if (this.cells[c] === MIXED && edges) for (const v of edges) flat.push(v);
    }
    this.nearStart[cellCount] = flat.length;
    this.nearEdges = Float64Array.from(flat);
  }

  /** A district index within the city, CITY_ONLY, or NONE. The caller has checked the point is in the box. */
  lookup(x: number, y: number): number {
    const c = this.districts.cellOf(x, y);
    if (c < 0) return NONE;
    const state = this.cells[c]!;
    if (state !== MIXED) return state;
    const d = this.districts.regionInCell(c, x, y);
    if (d >= 0) return d;
    if (this.cityPolygon.regionInCell(c, x, y) === 0) return CITY_ONLY;
    return this.nearDistricts(c, x, y) ? CITY_ONLY : NONE;
  }

  private nearDistricts(c: number, x: number, y: number): boolean {
    const px = (x - this.originX) * this.kx;
    const py = (y - this.originY) * this.ky;
    const e = this.nearEdges;
    for (let i = this.nearStart[c]!, end = this.nearStart[c + 1]!; i < end; i += 4) {
      if (segmentDistanceSq(px, py, e[i]!, e[i + 1]!, e[i + 2]!, e[i + 3]!) <= this.bufferSq) return true;
    }
    return false;
  }

  /** For each cell: the district edges (in metres) that come within the buffer of it. */
  private edgesNearCells(edges: Float64Array, cols: number, rows: number, bx: number, by: number): Map<number, number[]> {
    const { minX, minY } = this.box;
    const w = (this.box.maxX - minX) / cols;
    const h = (this.box.maxY - minY) / rows;
    const near = new Map<number, number[]>();
    for (let i = 0; i < edges.length; i += 4) {
      const [x1, y1, x2, y2] = [edges[i]!, edges[i + 1]!, edges[i + 2]!, edges[i + 3]!];
      const c0 = Math.max(0, Math.floor((Math.min(x1, x2) - bx - minX) / w) - 1);
      const c1 = Math.min(cols - 1, Math.floor((Math.max(x1, x2) + bx - minX) / w) + 1);
      const r0 = Math.max(0, Math.floor((Math.min(y1, y2) - by - minY) / h) - 1);
      const r1 = Math.min(rows - 1, Math.floor((Math.max(y1, y2) + by - minY) / h) + 1);
      const metric = [(x1 - this.originX) * this.kx, (y1 - this.originY) * this.ky, (x2 - this.originX) * this.kx, (y2 - this.originY) * this.ky];
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          // Every point within the buffer of a point in the cell lies in the cell widened by the buffer.
          if (!segmentTouchesBox(x1, y1, x2, y2, minX + c * w - bx * 1.01, minY + r * h - by * 1.01, minX + (c + 1) * w + bx * 1.01, minY + (r + 1) * h + by * 1.01)) continue;
          const index = r * cols + c;
          const list = near.get(index);
          if (list) list.push(metric[0]!, metric[1]!, metric[2]!, metric[3]!);
          else near.set(index, metric.slice());
        }
      }
    }
    return near;
  }
}

export interface PlaceIndex {
  /** Where a valid point in Kazakhstan lies; throws ERR_INVALID_LOCATION or ERR_LOCATION_OUTSIDE_KAZAKHSTAN. */
  placeOf(point: GeoPoint): PlaceOfPoint;
  /** The same without the country check: 'outside' for any point outside the three cities (never throws on a finite point). */
  placeInCities(lat: number, lon: number): PlaceOfPoint;
}

export const isValidPoint = (p: GeoPoint): boolean =>
  typeof p.lat === 'number' && typeof p.lon === 'number' && Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;

/**
 * Point → district, city or "outside" for the cities' districts. Districts are tested in the given order
 * and the first that holds the point wins (as the bounding-box + turf locator did).
 */
export function createPlaceIndex(
  districts: readonly DistrictArea[],
  cities: readonly CityArea[],
  country: readonly AreaGeometry[],
  options: PlaceIndexOptions = {},
): PlaceIndex {
  const buffer = options.cityBufferMetres ?? DEFAULT_CITY_BUFFER_METRES;
  const cellMetres = options.cellMetres ?? DEFAULT_CELL_METRES;
  const cityNames = [...new Set(districts.map((d) => d.city))];
  const grids = cityNames.map((city) => {
    const own = districts.filter((d) => d.city === city);
    const grid = new CityGrid(own.map((d) => d.geometry), cities.find((c) => c.city === city)?.geometry ?? null, buffer, cellMetres);
    const answers = own.map((d): PlaceOfPoint => Object.freeze({ status: 'district', districtId: d.id, city }));
    return { grid, box: grid.box, answers, cityAnswer: Object.freeze({ status: 'city', districtId: null, city }) as PlaceOfPoint };
  });
  const countryBox = boxOfEdges(edgesOf(country.flatMap(ringsOf)));
  const countryGrid = new RegionGrid(country.map(ringsOf), frameOver(countryBox, COUNTRY_CELL_DEGREES, COUNTRY_CELL_DEGREES));

  const placeInCities = (lat: number, lon: number): PlaceOfPoint => {
    for (const g of grids) {
      if (lon < g.box.minX || lon >= g.box.maxX || lat < g.box.minY || lat >= g.box.maxY) continue;
      const found = g.grid.lookup(lon, lat);
      if (found >= 0) return g.answers[found]!;
      if (found === CITY_ONLY) return g.cityAnswer;
      // City boxes do not overlap in Kazakhstan, but nothing here depends on it.
    }
    return OUTSIDE;
  };

  return {
    placeInCities,
    placeOf(point) {
      if (!isValidPoint(point)) throw new DomainError('ERR_INVALID_LOCATION', undefined, { lat: point.lat, lon: point.lon });
      const found = placeInCities(point.lat, point.lon);
      if (found.status !== 'outside' || countryGrid.regionAt(point.lon, point.lat) !== NONE) return found;
      throw new DomainError('ERR_LOCATION_OUTSIDE_KAZAKHSTAN', undefined, { lat: point.lat, lon: point.lon });
    },
  };
}
