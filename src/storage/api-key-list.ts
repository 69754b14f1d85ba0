import type { Queryable } from './db.ts';

/** An API key as the operator lists it: never the key, which only its holder has (its hash is stored). */
export interface ApiKeySummary {
  id: string;
  name: string;
  role: string;
  organisationId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Every API key, oldest first (`tyndau apikeys list`). */
export async function listApiKeys(db: Queryable): Promise<ApiKeySummary[]> {
  const { rows } = await db.query<{ id: string; name: string; role: string; organisation_id: string | null; created_at: Date; revoked_at: Date | null }>(
    'SELECT id, name, role, organisation_id, created_at, revoked_at FROM api_keys ORDER BY created_at, id',
  );
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, organisationId: r.organisation_id, createdAt: r.created_at, revokedAt: r.revoked_at }));
}
