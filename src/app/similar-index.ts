/**
 * The near-duplicate index of this process, filled with the open cases of the last weeks on its first query
 * and fed by every registration here. Another node's new cases reach it at that node's next restart (or
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

/**
 * The index, filled from the database on the first query rather than at start: a CLI command or a test
 * never pays for it, and a server pays once (about a minute at a million open cases). Registrations made
 * before that are added as they come; the load skips them (the index ignores a case it already has).
 */
export function createSimilarCases(db: Db, clock: { now(): Date }): SimilarCases {
  const index = new NearDuplicateIndex();
  let loaded: Promise<void> | undefined;
  const load = async (): Promise<void> => {
    const since = new Date(clock.now().getTime() - SIMILAR_WINDOW_DAYS * 86_400_000);
    const { rows } = await db.query<OpenCaseRow>(
      `SELECT id, text, category, lat, lon, district_id, created_at FROM cases
       WHERE state_kind <> 'closed' AND NOT confidential AND created_at >= $1 ORDER BY created_at`,
      [since],
    );
    for (const r of rows) {
      index.add({ caseId: r.id, text: r.text, category: r.category, location: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon }, districtId: r.district_id, createdAt: r.created_at });
    }
  };
  return {
    add: (c: CaseRecord) => index.add({ caseId: c.id, text: c.text, category: c.category, location: c.location, districtId: c.districtId, createdAt: c.createdAt }),
    close: (caseId) => index.close(caseId),
    async similar(q) {
      // A failed load is retried by the next query rather than remembered.
      loaded ??= load().catch((err: unknown) => {
        loaded = undefined;
        throw err;
      });
      await loaded;
      return index.similar({ ...q, windowDays: SIMILAR_WINDOW_DAYS });
    },
  };
}
