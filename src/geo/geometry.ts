/**
 * Plane geometry on lon/lat degrees (x = lon, y = lat), as GeoJSON stores it. A region is every ring of a
 * Polygon or MultiPolygon taken together: under the even-odd rule a hole flips "inside" back to "outside",
 * and the parts of a MultiPolygon (which do not overlap) simply add up.
 */
export type Position = readonly number[];
export type Ring = readonly Position[];
export type AreaGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Every ring (outer rings and holes) of a Polygon or MultiPolygon. */
export const ringsOf = (g: AreaGeometry): Ring[] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());

/** The edges of the rings as one flat array x1, y1, x2, y2, … (a ring's closing edge included). */
export function edgesOf(rings: readonly Ring[]): Float64Array {
  const out: number[] = [];
  for (const ring of rings) {
    const n = ring.length;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % n]!;
      // A closed ring repeats its first vertex; the zero-length closing edge is dropped.
      if (a[0] === b[0] && a[1] === b[1]) continue;
      out.push(a[0]!, a[1]!, b[0]!, b[1]!);
    }
  }
  return Float64Array.from(out);
}

export function boxOfEdges(edges: Float64Array): Box {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let i = 0; i < edges.length; i += 2) {
    box.minX = Math.min(box.minX, edges[i]!);
    box.maxX = Math.max(box.maxX, edges[i]!);
    box.minY = Math.min(box.minY, edges[i + 1]!);
    box.maxY = Math.max(box.maxY, edges[i + 1]!);
  }
  return box;
}

/**
 * The even-odd (crossing number) test over edges [from, to) of a flat edge array: a horizontal ray to +x
 * crosses an odd number of edges from inside. The half-open rule (y1 > py) !== (y2 > py) counts a vertex
 * on the ray once, so rays through vertices are handled.
 */
export function crossesOdd(edges: Float64Array, from: number, to: number, px: number, py: number): boolean {
  let inside = false;
  for (let i = from; i < to; i += 4) {
    const y1 = edges[i + 1]!;
    const y2 = edges[i + 3]!;
    if (y1 > py !== y2 > py) {
      const x1 = edges[i]!;
      if (px < ((edges[i + 2]! - x1) * (py - y1)) / (y2 - y1) + x1) inside = !inside;
    }
  }
  return inside;
}

/** Does segment (x1,y1)–(x2,y2) touch the closed box? (Liang–Barsky clipping; touching counts.) */
export function segmentTouchesBox(x1: number, y1: number, x2: number, y2: number, minX: number, minY: number, maxX: number, maxY: number): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  // Each side of the box: p · t ≤ q keeps the part of the segment on the inner side.
  const p = [-dx, dx, -dy, dy];
  const q = [x1 - minX, maxX - x1, y1 - minY, maxY - y1];
  for (let i = 0; i < 4; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) {
      if (qi < 0) return false;
      continue;
    }
    const r = qi / pi;
    if (pi < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
  }
  return true;
}

/** Squared distance from a point to a segment, all in the same (metric) plane. */
export function segmentDistanceSq(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = dx * dx + dy * dy;
  let t = len === 0 ? 0 : ((px - x1) * dx + (py - y1) * dy) / len;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = x1 + t * dx - px;
  const ey = y1 + t * dy - py;
  return ex * ex + ey * ey;
}

/** Metres per degree of longitude and latitude near a latitude (an equirectangular plane: fine within a city). */
export function metresPerDegree(lat: number): { x: number; y: number } {
  return { x: 111_320 * Math.cos((lat * Math.PI) / 180), y: 110_574 };
}
