/**
 * "This may already be reported": open, non-confidential cases near the place, recent, with a similar
 * text or the same category. Shown to anyone about to submit, so only what a public map would show:
 * the number, the category, the state and how far away; never the text or who sent it.
 */
import { DomainError } from './errors.ts';
import type { GeoPoint } from './model.ts';
import type { CaseStore, Clock, SimilarCases } from './ports.ts';

export interface SimilarDeps {
  store: CaseStore;
  clock: Clock;
  similarCases?: SimilarCases;
  normalise: (text: string) => string;
}

export interface SimilarQuery {
  text: string;
  category?: string | undefined;
  location?: GeoPoint | undefined;
  districtId?: string | undefined;
  limit?: number | undefined;
}

export async function findSimilarCases(deps: SimilarDeps, q: SimilarQuery) {
  const text = deps.normalise(q.text);
  if (!text) throw new DomainError('ERR_TEXT_EMPTY');
  if (!q.location && !q.districtId) throw new DomainError('ERR_VALIDATION', 'Give a location or a district: similar cases are searched nearby');
  if (!deps.similarCases) return [];
  const found = await deps.similarCases.similar({ text, category: q.category ?? null, location: q.location ?? null, districtId: q.districtId ?? null, at: deps.clock.now(), limit: (q.limit ?? 5) * 2 });
  const out = [];
  for (const f of found) {
    const record = await deps.store.get(f.caseId);
    if (!record || record.confidential || record.stateKind === 'closed') continue;
    out.push({
      registrationNumber: record.registrationNumber,
      category: record.category,
      state: record.state,
      registeredAt: record.registeredAt.toISOString(),
      distanceMeters: f.distanceMeters,
      similarity: f.score,
    });
    if (out.length >= (q.limit ?? 5)) break;
  }
  return out;
}
