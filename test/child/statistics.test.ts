import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_CELL, suppressTable, type SuppressedTable } from '../../src/core/child-statistics.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

/** Per-school statistics: counts under 5 are suppressed, and so is whatever would let one be recovered. */

/** Every row and column of the table with its margin, as lines of [value, hidden]. */
function lines(counts: number[][], t: SuppressedTable): [number, boolean][][] {
  const rows = counts.length;
  const columns = counts[0]!.length;
  const rowTotal = (r: number) => counts[r]!.reduce((a, b) => a + b, 0);
  const columnTotal = (c: number) => counts.reduce((a, row) => a + row[c]!, 0);
  const grand = counts.flat().reduce((a, b) => a + b, 0);
  const entry = (r: number, c: number): [number, boolean] => {
    if (r < rows && c < columns) return [counts[r]![c]!, t.cells[r]![c] === null];
    if (r < rows) return [rowTotal(r), t.rowTotals[r] === null];
    if (c < columns) return [columnTotal(c), t.columnTotals[c] === null];
    return [grand, t.total === null];
  };
  const out: [number, boolean][][] = [];
  for (let r = 0; r <= rows; r++) out.push(Array.from({ length: columns + 1 }, (_, c) => entry(r, c)));
  for (let c = 0; c <= columns; c++) out.push(Array.from({ length: rows + 1 }, (_, r) => entry(r, c)));
  return out;
}

function checkProtected(counts: number[][]): SuppressedTable {
  const t = suppressTable(counts);
  for (const line of lines(counts, t)) {
    for (const [value, hidden] of line) {
      if (value > 0 && value < MIN_CELL) expect(hidden, JSON.stringify(counts)).toBe(true);
    }
    // One hidden entry in a line is its total minus the rest: never.
    expect(line.filter(([, hidden]) => hidden).length, JSON.stringify({ counts, t })).not.toBe(1);
  }
  // What is shown is true.
  counts.forEach((row, r) => row.forEach((v, c) => t.cells[r]![c] !== null && expect(t.cells[r]![c]).toBe(v)));
  return t;
}

describe('suppression', () => {
  it('shows a table with no small counts in full', () => {
    const t = checkProtected([[5, 7], [0, 9]]);
    expect(t).toEqual({ cells: [[5, 7], [0, 9]], rowTotals: [12, 9], columnTotals: [5, 16], total: 21 });
  });

  it('hides a small cell together with a complement in its row and its column', () => {
    const t = checkProtected([[3, 10], [8, 12]]);
    expect(t.cells.flat().filter((c) => c === null).length).toBeGreaterThanOrEqual(4);
  });

  it('hides a small total too (a school with 2 cases in all)', () => {
    const t = checkProtected([[2, 0, 0], [6, 7, 9], [5, 5, 8]]);
    expect(t.rowTotals[0]).toBeNull();
    expect(t.cells[0]![0]).toBeNull();
  });

  it('protects every cell of many random tables', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const rows = 1 + Math.floor(random() * 8);
      const columns = 1 + Math.floor(random() * 5);
      const counts = Array.from({ length: rows }, () => Array.from({ length: columns }, () => (random() < 0.4 ? 0 : Math.floor(random() * 12))));
      checkProtected(counts);
    }
  });
});

describe('GET /statistics/schools', () => {
  let t: TestApp;
  let analyst: { token: string };

  beforeAll(async () => {
    t = await buildTestApp({ now: new Date('2026-06-10T06:00:00Z') });
    analyst = await t.staff('analyst', 'astana.akimat');
    const plan: [string, string, number][] = [
      ['AST-001', 'child.bullying', 6],
      ['AST-001', 'child.crisis', 2],
      ['AST-012', 'child.bullying', 5],
      ['AST-023', 'child.cyberbullying', 1],
    ];
    for (const [schoolCode, topic, n] of plan) {
      for (let i = 0; i < n; i++) {
        const res = await t.request({ method: 'POST', url: '/api/v1/child/reports', payload: { text: `Мектептегі мәселе туралы жазамын, ${i + 1}-хат`, schoolCode, topic } });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    // Another city and another year are not in the table.
    await t.request({ method: 'POST', url: '/api/v1/child/reports', payload: { text: 'Алматыдағы мектеп', schoolCode: 'ALM-008', topic: 'child.bullying' } });
  }, 240_000);
  afterAll(async () => t.close());

  type Row = { code: string; cells: Record<string, number | '<5'>; total: number | '<5' };
  const get = (query: string, token?: string) =>
    t.request({ method: 'GET', url: `/api/v1/statistics/schools?${query}`, headers: token ? bearer(token) : {} });

  it('publishes cells of 5 and more, shows "<5" for the rest, and leaves no cell to be subtracted out', async () => {
    const res = await get('city=astana&year=2026', analyst.token);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ minCell: number; categories: string[]; schools: Row[]; totals: { cells: Record<string, number | '<5'>; total: number | '<5' } }>();
    expect(body.minCell).toBe(5);
    expect(body.schools.length).toBeGreaterThanOrEqual(10);
    const row = (code: string) => body.schools.find((s) => s.code === code)!;
    expect(row('AST-001').total).toBe(8);
    expect(row('AST-001').cells['child.crisis']).toBe('<5');
    expect(row('AST-001').cells['child.bullying']).toBe('<5'); // its complement: 8 − 2 would give it away
    expect(row('AST-023').cells['child.cyberbullying']).toBe('<5');
    expect(row('AST-023').total).toBe('<5');
    expect(row('AST-090').total).toBe(0);
    expect(body.totals.total).toBe(14);
    // No row or column (totals included) has a single hidden entry.
    const cats = body.categories;
    const hidden = (v: number | '<5') => v === '<5';
    for (const s of body.schools) expect([...cats.map((c) => s.cells[c]!), s.total].filter(hidden).length).not.toBe(1);
    for (const c of cats) expect([...body.schools.map((s) => s.cells[c]!), body.totals.cells[c]!].filter(hidden).length).not.toBe(1);
    expect([...cats.map((c) => body.totals.cells[c]!), body.totals.total].filter(hidden).length).not.toBe(1);
    expect([...body.schools.map((s) => s.total), body.totals.total].filter(hidden).length).not.toBe(1);
  });

  it('counts a year in Kazakhstan time, and only whole years', async () => {
    const next = await get('city=astana&year=2027', analyst.token);
    expect(next.json<{ totals: { total: number } }>().totals.total).toBe(0);
    expect((await get('city=astana&year=2026&from=2026-01-01', analyst.token)).statusCode).toBe(400);
    expect((await get('city=astana', analyst.token)).statusCode).toBe(400);
    expect((await get('city=paris&year=2026', analyst.token)).statusCode).toBe(400);
  });

  it('is for analysts and heads within reach of the city\'s psychologists only', async () => {
    const [headPsy, executorPsy, psychologist, headAlmaty] = await Promise.all([
      t.staff('head', 'astana.psychologists'),
      t.staff('executor', 'astana.psychologists'),
      t.staff('psychologist', 'astana.psychologists'),
      t.staff('head', 'almaty.psychologists'),
    ]);
    expect((await get('city=astana&year=2026', headPsy.token)).statusCode).toBe(200);
    for (const who of [executorPsy, psychologist, headAlmaty]) expect((await get('city=astana&year=2026', who.token)).statusCode).toBe(403);
    expect((await get('city=astana&year=2026')).statusCode).toBe(401);
  });
});
