/**
 * Schools (reference data from data/schools.json, loaded by `tyndau seed`) and the school each child report
 * came from, with the per-school counts the statistics read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ChildReports, School, SchoolDirectory } from '../core/child-ports.ts';
import type { Db, Queryable } from './db.ts';

/** A stable code printed on the QR plate: three letters of the city, a dash, 3 letters or digits. */
export const SCHOOL_CODE = /^[A-Z]{3}-[A-Z0-9]{3}$/;

const names = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
export const schoolsFileSchema = z.object({
  note: z.string().optional(),
  schools: z
    .array(z.object({ code: z.string().regex(SCHOOL_CODE), city: z.string().min(1), districtId: z.string().min(1), names }).strict())
    .min(1)
    .superRefine((schools, ctx) => {
      const seen = new Set<string>();
      for (const s of schools) {
        if (seen.has(s.code)) ctx.addIssue({ code: 'custom', message: `duplicate school code ${s.code}` });
        seen.add(s.code);
        if (!s.districtId.startsWith(`${s.city}.`)) ctx.addIssue({ code: 'custom', message: `${s.code}: district ${s.districtId} is not in ${s.city}` });
      }
    }),
});
export type SchoolsFile = z.infer<typeof schoolsFileSchema>;

export function readSchoolsFile(dir: string): SchoolsFile {
  const full = path.join(dir, 'schools.json');
  const parsed = schoolsFileSchema.safeParse(JSON.parse(readFileSync(full, 'utf8')));
  if (!parsed.success) throw new Error(`${full}: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Upserts every school of the file (codes are never deleted: cases point at them). Run after the districts are seeded. */
export async function seedSchools(db: Queryable, file: SchoolsFile): Promise<number> {
  for (const s of file.schools) {
    await db.query(
      `INSERT INTO schools (code, city, district_id, name_kk, name_ru, name_en) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO UPDATE SET city = $2, district_id = $3, name_kk = $4, name_ru = $5, name_en = $6`,
      [s.code, s.city, s.districtId, s.names.kk, s.names.ru, s.names.en],
    );
  }
  return file.schools.length;
}

interface SchoolRow {
  code: string;
  city: string;
  district_id: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
}

const schoolOf = (r: SchoolRow): School => ({ code: r.code, city: r.city, districtId: r.district_id, names: { kk: r.name_kk, ru: r.name_ru, en: r.name_en } });

export function createSchoolDirectory(db: Db): SchoolDirectory {
  return {
    async find(code) {
      const normalised = code.trim().toUpperCase();
      if (!SCHOOL_CODE.test(normalised)) return null;
      const { rows } = await db.query<SchoolRow>('SELECT * FROM schools WHERE code = $1', [normalised]);
      return rows[0] ? schoolOf(rows[0]) : null;
    },
    async list(city) {
      const { rows } = await db.query<SchoolRow>('SELECT * FROM schools WHERE $1::text IS NULL OR city = $1 ORDER BY city, code', [city ?? null]);
      return rows.map(schoolOf);
    },
  };
}

export function createChildReports(db: Db): ChildReports {
  return {
    async link(caseId, schoolCode, at) {
      await db.query('INSERT INTO child_reports (case_id, school_code, created_at) VALUES ($1, $2, $3) ON CONFLICT (case_id) DO NOTHING', [caseId, schoolCode, at]);
    },
    async countsBySchool({ city, from, to }) {
      const { rows } = await db.query<{ school_code: string; category: string; cases: number }>(
        `SELECT r.school_code, c.category, count(*)::int AS cases
         FROM child_reports r JOIN schools s ON s.code = r.school_code JOIN cases c ON c.id = r.case_id
         WHERE s.city = $1 AND c.channel = 'child' AND c.received_at >= $2 AND c.received_at < $3
         GROUP BY r.school_code, c.category`,
        [city, from, to],
      );
      return rows.map((r) => ({ schoolCode: r.school_code, category: r.category, cases: Number(r.cases) }));
    },
  };
}
