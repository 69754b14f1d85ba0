/**
 * Per-school statistics of the child channel: child cases per school × category in one city and one
 * calendar year, with row, column and grand totals. A child must not be recognisable from a count, so
 * every cell and total from 1 to 4 is suppressed ("<5"), and further entries are suppressed until no row
 * or column of the table (margins included) has exactly one suppressed entry: a single hidden entry of a
 * line would be recovered by subtracting the others from its total.
 *
 * Only one shape of table is offered (one city, one calendar year, every school of the city as a row) so
 * that two overlapping tables cannot be subtracted from each other either.
 */
import type { ChildReports, School, SchoolDirectory } from './child-ports.ts';
import { DomainError } from './errors.ts';
import type { Organisation } from './model.ts';
import { canReadSchoolStatistics } from './policy.ts';
import type { Principal } from './principal.ts';

/** The least count shown. */
export const MIN_CELL = 5;
/** The columns: the child categories, and everything else together. */
export const STAT_CATEGORIES = ['child.bullying', 'child.cyberbullying', 'child.abuse', 'child.crisis', 'other'] as const;

/** A published count, or null when suppressed. */
export type Cell = number | null;

export interface SuppressedTable {
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

interface Entry {
  value: number;
  hidden: boolean;
  margin: boolean;
}

/** Which entry of a line to hide next: an inner cell before a total, a non-zero before a zero, the smallest. */
const complementOrder = (a: Entry, b: Entry): number =>
  Number(a.margin) - Number(b.margin) || Number(a.value === 0) - Number(b.value === 0) || a.value - b.value;

/**
 * Primary suppression (1 ≤ n < min) of cells and totals, then complementary suppression until every line
 * (each row with its total, each column with its total, the totals' row and column) hides none or ≥ 2.
 */
export function suppressTable(counts: readonly (readonly number[])[], min = MIN_CELL): SuppressedTable {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  const grid: Entry[][] = [];
  for (let r = 0; r <= rows; r++) {
    const line: Entry[] = [];
    for (let c = 0; c <= columns; c++) {
      let value: number;
      if (r < rows && c < columns) value = counts[r]![c]!;
      else if (r < rows) value = counts[r]!.reduce((a, b) => a + b, 0);
      else if (c < columns) value = counts.reduce((a, row) => a + row[c]!, 0);
      else value = counts.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
      line.push({ value, hidden: value > 0 && value < min, margin: r === rows || c === columns });
    }
    grid.push(line);
  }
  const lines: Entry[][] = [...grid, ...Array.from({ length: columns + 1 }, (_, c) => grid.map((line) => line[c]!))];
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (line.filter((e) => e.hidden).length !== 1) continue;
      const next = line.filter((e) => !e.hidden).sort(complementOrder)[0];
      if (next) {
        next.hidden = true;
        changed = true;
      }
    }
  }
  const shown = (e: Entry): Cell => (e.hidden ? null : e.value);
  return {
    cells: grid.slice(0, rows).map((line) => line.slice(0, columns).map(shown)),
    rowTotals: grid.slice(0, rows).map((line) => shown(line[columns]!)),
    columnTotals: grid[rows]!.slice(0, columns).map(shown),
    total: shown(grid[rows]![columns]!),
  };
}

export interface SchoolStatisticsDeps {
  schools: SchoolDirectory;
  reports: ChildReports;
  organisations: () => readonly Organisation[];
  /** The calendar's offset from UTC: a year is counted in Kazakhstan time. */
  utcOffsetMinutes: number;
}

export interface SchoolStatistics {
  city: string;
  year: number;
  minCell: number;
  categories: readonly string[];
  schools: { school: School; cells: Cell[]; total: Cell }[];
  columnTotals: Cell[];
  total: Cell;
}

export async function schoolStatistics(deps: SchoolStatisticsDeps, principal: Principal, query: { city: string; year: number }): Promise<SchoolStatistics> {
  if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  const services = deps.organisations().filter((o) => o.type === 'psychologist_service' && o.city === query.city).map((o) => o.id);
  if (services.length === 0) throw new DomainError('ERR_VALIDATION', 'No psychologists\' service in this city', { city: query.city });
  if (!canReadSchoolStatistics(principal, services)) throw new DomainError('ERR_FORBIDDEN');
  const offset = deps.utcOffsetMinutes * 60_000;
  const from = new Date(Date.UTC(query.year, 0, 1) - offset);
  const to = new Date(Date.UTC(query.year + 1, 0, 1) - offset);
  const schools = await deps.schools.list(query.city);
  const counts = await deps.reports.countsBySchool({ city: query.city, from, to });
  const rowOf = new Map(schools.map((s, i) => [s.code, i]));
  const table = schools.map(() => STAT_CATEGORIES.map(() => 0));
  for (const c of counts) {
    const row = rowOf.get(c.schoolCode);
    if (row === undefined) continue;
    const column = STAT_CATEGORIES.indexOf(c.category as (typeof STAT_CATEGORIES)[number]);
    table[row]![column === -1 ? STAT_CATEGORIES.length - 1 : column]! += c.cases;
  }
  const suppressed = suppressTable(table);
  return {
    city: query.city,
    year: query.year,
    minCell: MIN_CELL,
    categories: STAT_CATEGORIES,
    schools: schools.map((school, i) => ({ school, cells: suppressed.cells[i]!, total: suppressed.rowTotals[i]! })),
    columnTotals: suppressed.columnTotals,
    total: suppressed.total,
  };
}
