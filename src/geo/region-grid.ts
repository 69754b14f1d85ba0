import { type Box, boxOfEdges, crossesOdd, edgesOf, type Ring, segmentTouchesBox } from './geometry.ts';

/** A uniform grid over a box: cells are numbered row by row from (minX, minY). */
export interface GridFrame {
  box: Box;
  cols: number;
  rows: number;
}

export function frameOver(box: Box, cellX: number, cellY: number): GridFrame {
  const cols = Math.max(1, Math.ceil((box.maxX - box.minX) / cellX));
  const rows = Math.max(1, Math.ceil((box.maxY - box.minY) / cellY));
  return { box: { minX: box.minX, minY: box.minY, maxX: box.minX + cols * cellX, maxY: box.minY + rows * cellY }, cols, rows };
}

export const NONE = -1;
export const MIXED = -2;

/** The edges of one region, copied into every grid row their latitude range meets. */
interface Bands {
  edges: Float64Array;
  /** Row r's edges are edges[start[r] .. start[r + 1]). */
  start: Int32Array;
  box: Box;
}

/**
 * Point → region over regions that should not overlap (the first in order wins where they do). Each cell is
 * classified once: wholly inside one region, in none, or MIXED (some region's edge touches it). Only a MIXED
 * cell needs an exact test, and that test reads only the edges of the point's row: a horizontal ray at the
 * point's latitude can only cross edges whose latitude range contains it, and all of those are in its row.
 */
export class RegionGrid {
  readonly frame: GridFrame;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly bands: Bands[];
  /** Per cell: the region that holds the whole cell, NONE, or MIXED. */
  private readonly cells: Int32Array;
  /** Per MIXED cell: the regions to test, in order (candidates[candStart[c] .. candStart[c + 1])). */
  private readonly candStart: Int32Array;
  private readonly candidates: Int32Array;

  constructor(regions: readonly (readonly Ring[])[], frame: GridFrame) {
    if (regions.length > 32) throw new Error('a RegionGrid holds at most 32 regions');
    this.frame = frame;
    const { box, cols, rows } = frame;
    this.cellW = (box.maxX - box.minX) / cols;
    this.cellH = (box.maxY - box.minY) / rows;
    const edgeSets = regions.map((rings) => edgesOf(rings));
    this.bands = edgeSets.map((edges) => this.bandsOf(edges));
    const touched = this.touchedCells(edgeSets);
    const centres = this.centresInside(regions.length);
    this.cells = new Int32Array(cols * rows);
    this.candStart = new Int32Array(cols * rows + 1);
    const candidates: number[] = [];
    for (let c = 0; c < cols * rows; c++) {
      this.candStart[c] = candidates.length;
      const edgesHere = touched[c]!;
      if (edgesHere === 0) {
        this.cells[c] = NONE;
        for (let k = 0; k < regions.length; k++) {
          if (centres[k]![c]) {
            this.cells[c] = k;
            break;
          }
        }
        continue;
      }
      // A region whose edge misses the cell holds all of it or none of it: its centre tells which.
      this.cells[c] = MIXED;
      for (let k = 0; k < regions.length; k++) if (edgesHere & (1 << k) || centres[k]![c]) candidates.push(k);
    }
    this.candStart[cols * rows] = candidates.length;
    this.candidates = Int32Array.from(candidates);
  }

  /**
   * Which cell centres each region holds, a row at a time: the row's edges cut the centre line at sorted
   * x positions, and a centre is inside when an odd number of cuts lie to its right (crossesOdd's rule).
   */
  private centresInside(n: number): Uint8Array[] {
    const { box, cols, rows } = this.frame;
    const inside = Array.from({ length: n }, () => new Uint8Array(cols * rows));
    for (let k = 0; k < n; k++) {
      const { edges, start } = this.bands[k]!;
      for (let r = 0; r < rows; r++) {
        const cy = box.minY + (r + 0.5) * this.cellH;
        const cuts: number[] = [];
        for (let i = start[r]!; i < start[r + 1]!; i += 4) {
          const y1 = edges[i + 1]!;
          const y2 = edges[i + 3]!;
          if (y1 > cy !== y2 > cy) cuts.push(((edges[i + 2]! - edges[i]!) * (cy - y1)) / (y2 - y1) + edges[i]!);
        }
        if (cuts.length === 0) continue;
        cuts.sort((a, b) => a - b);
        let left = 0;
        for (let c = 0; c < cols; c++) {
          const cx = box.minX + (c + 0.5) * this.cellW;
          while (left < cuts.length && cuts[left]! <= cx) left++;
          if ((cuts.length - left) % 2 === 1) inside[k]![r * cols + c] = 1;
        }
      }
    }
    return inside;
  }

  /** The cell of a point, or -1 outside the frame. */
  cellOf(x: number, y: number): number {
    const { box, cols, rows } = this.frame;
    const col = Math.floor((x - box.minX) / this.cellW);
    const row = Math.floor((y - box.minY) / this.cellH);
    if (!(col >= 0 && col < cols && row >= 0 && row < rows)) return -1;
    return row * cols + col;
  }

  /** What a whole cell is: a region index, NONE, or MIXED. */
  cellState(cell: number): number {
    return this.cells[cell]!;
  }

  /** The first region (in the given order) containing the point, or NONE (also outside the frame). */
  regionAt(x: number, y: number): number {
    const c = this.cellOf(x, y);
    if (c < 0) return NONE;
    return this.regionInCell(c, x, y);
  }

  regionInCell(c: number, x: number, y: number): number {
    const state = this.cells[c]!;
    if (state !== MIXED) return state;
    const row = Math.floor(c / this.frame.cols);
    for (let i = this.candStart[c]!, end = this.candStart[c + 1]!; i < end; i++) {
      const k = this.candidates[i]!;
      if (this.inRegion(k, row, x, y)) return k;
    }
    return NONE;
  }

  private inRegion(k: number, row: number, x: number, y: number): boolean {
    const b = this.bands[k]!;
    if (x < b.box.minX || x > b.box.maxX || y < b.box.minY || y > b.box.maxY) return false;
    return crossesOdd(b.edges, b.start[row]!, b.start[row + 1]!, x, y);
  }

  private rowsOf(y1: number, y2: number): [number, number] {
    const { box, rows } = this.frame;
    const lo = Math.max(0, Math.floor((Math.min(y1, y2) - box.minY) / this.cellH));
    const hi = Math.min(rows - 1, Math.floor((Math.max(y1, y2) - box.minY) / this.cellH));
    return [lo, hi];
  }

  private bandsOf(edges: Float64Array): Bands {
    const { rows } = this.frame;
    const box = boxOfEdges(edges);
    // Two passes: count each row's edges, then copy them in place.
    const start = new Int32Array(rows + 1);
    for (let i = 0; i < edges.length; i += 4) {
      const [lo, hi] = this.rowsOf(edges[i + 1]!, edges[i + 3]!);
      for (let r = lo; r <= hi; r++) start[r + 1]! += 4;
    }
    for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
    const fill = start.slice(0, rows);
    const out = new Float64Array(start[rows]!);
    for (let i = 0; i < edges.length; i += 4) {
      const [lo, hi] = this.rowsOf(edges[i + 1]!, edges[i + 3]!);
      for (let r = lo; r <= hi; r++) {
        out.set(edges.subarray(i, i + 4), fill[r]!);
        fill[r]! += 4;
      }
    }
    return { edges: out, start, box };
  }

  /**
   * Per cell, a bit per region whose edges touch it. A cell is widened by a hair so that rounding never
   * hides an edge (a cell wrongly marked touched only costs an exact test).
   */
  private touchedCells(edgeSets: readonly Float64Array[]): Uint32Array {
    const { box, cols, rows } = this.frame;
    const touched = new Uint32Array(cols * rows);
    const epsX = this.cellW * 1e-9;
    const epsY = this.cellH * 1e-9;
    edgeSets.forEach((edges, k) => {
      const bit = 1 << k;
      for (let i = 0; i < edges.length; i += 4) {
        const [x1, y1, x2, y2] = [edges[i]!, edges[i + 1]!, edges[i + 2]!, edges[i + 3]!];
        const c0 = Math.max(0, Math.floor((Math.min(x1, x2) - box.minX) / this.cellW) - 1);
        const c1 = Math.min(cols - 1, Math.floor((Math.max(x1, x2) - box.minX) / this.cellW) + 1);
        const r0 = Math.max(0, Math.floor((Math.min(y1, y2) - box.minY) / this.cellH) - 1);
        const r1 = Math.min(rows - 1, Math.floor((Math.max(y1, y2) - box.minY) / this.cellH) + 1);
        for (let r = r0; r <= r1; r++) {
          const minY = box.minY + r * this.cellH - epsY;
          const maxY = box.minY + (r + 1) * this.cellH + epsY;
          for (let c = c0; c <= c1; c++) {
            const index = r * cols + c;
            if (touched[index]! & bit) continue;
            if (segmentTouchesBox(x1, y1, x2, y2, box.minX + c * this.cellW - epsX, minY, box.minX + (c + 1) * this.cellW + epsX, maxY)) touched[index]! |= bit;
          }
        }
      }
    });
    return touched;
  }
}
