import { DATA_FILES } from '../config/paths.ts';
import type { Db } from '../storage/db.ts';
import { readReferenceFiles } from '../storage/reference-files.ts';
import { seedReference } from '../storage/seed-reference.ts';

export const seedReferenceData = (db: Db): Promise<Record<string, number>> => seedReference(db, readReferenceFiles(DATA_FILES));

export async function isReferenceSeeded(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations');
  return rows[0]!.n > 0;
}
