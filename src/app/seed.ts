import { DATA_FILES } from '../config/paths.ts';
import type { Db } from '../storage/db.ts';
import { readReferenceFiles } from '../storage/reference-files.ts';
import { seedReference } from '../storage/seed-reference.ts';
import { readSchoolsFile, seedSchools } from '../storage/school-store.ts';

export async function seedReferenceData(db: Db): Promise<Record<string, number>> {
  const counts = await seedReference(db, readReferenceFiles(DATA_FILES));
  // Schools after the districts they lie in (data/schools.json: the Bala Qorgau QR plates).
  return { ...counts, schools: await seedSchools(db, readSchoolsFile(DATA_FILES)) };
}

export async function isReferenceSeeded(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations');
  return rows[0]!.n > 0;
}
