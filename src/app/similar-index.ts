/**
 * The near-duplicate index of this process, loaded at start with the open cases of the last weeks and
 * fed by every registration here. Another node's new cases reach it at that node's next restart (or
 * never, if they close first): a known limit of a per-node index, noted in docs/ARCHITECTURE.md.
 */
import type { CaseRecord } from '../core/model.ts';
import type { SimilarCases } from '../core/ports.ts';
import { NearDuplicateIndex } from '../nlp/near-duplicates.ts';
import type { Db } from '../storage/db.ts';

export const SIMILAR_WINDOW_DAYS = 30;

interface OpenCaseRow {
  id: string;
  text: string;
  category: string;
  lat: number | null;
  lon: number | null;
  district_id: string | null;
  created_at: Date;
}

export async function loadSimilarCases(db: Db, now: Date): Promise<SimilarCases> {
  const index = new NearDuplicateIndex();
  const since = new Date(now.getTime() - SIMILAR_WINDOW_DAYS * 86_400_000);
  const { rows } = await db.query<OpenCaseRow>(
    `SELECT id, text, category, lat, lon, district_id, created_at FROM cases
     WHERE state_kind <> 'closed' AND NOT confidential AND created_at >= $1 ORDER BY created_at`,
    [since],
  );
  for (const r of rows) {
    index.add({ caseId: r.id, text: r.text, category: r.category, location: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon }, districtId: r.district_id, createdAt: r.created_at });
  }
  return {
    add: (c: CaseRecord) => index.add({ caseId: c.id, text: c.text, category: c.category, location: c.location, districtId: c.districtId, createdAt: c.createdAt }),
    close: (caseId) => index.close(caseId),
    similar: (q) => index.similar({ ...q, windowDays: SIMILAR_WINDOW_DAYS }),
  };
}
