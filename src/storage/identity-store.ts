import { randomUUID } from 'node:crypto';
import type { IdentityStore } from '../core/identity/ports.ts';
import type { StaffRole } from '../core/model.ts';
import type { StaffDirectory } from '../core/ports.ts';
import type { Db } from './db.ts';

interface UserRow {
  id: string;
  kind: 'staff' | 'citizen';
  role: string;
  organisation_id: string | null;
  display_name: string;
  disabled: boolean;
  password_hash: string | null;
}

export function createIdentityStore(db: Db): IdentityStore & StaffDirectory {
  async function findOrCreateCitizen(phone: string, at: Date): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (id, kind, phone, display_name, role, created_at) VALUES ($1, 'citizen', $2, $3, 'applicant', $4)
       ON CONFLICT (phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id`,
      [randomUUID(), phone, `…${phone.slice(-4)}`, at],
    );
    return rows[0]!.id;
  }
  return {
    async findStaffByUsername(username) {
      const { rows } = await db.query<UserRow>("SELECT * FROM users WHERE kind = 'staff' AND username = $1", [username]);
      const r = rows[0];
      return r ? { id: r.id, passwordHash: r.password_hash, role: r.role as StaffRole, organisationId: r.organisation_id!, disabled: r.disabled } : null;
    },
    async findUser(id) {
      const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
      const r = rows[0];
      return r ? { id: r.id, kind: r.kind, role: r.role, organisationId: r.organisation_id, displayName: r.display_name, disabled: r.disabled } : null;
    },
    findOrCreateCitizen,
    async createStaff(a) {
      await db.query(
        `INSERT INTO users (id, kind, username, password_hash, display_name, role, organisation_id, created_at)
         VALUES ($1, 'staff', $2, $3, $4, $5, $6, $7)`,
        [a.id, a.username, a.passwordHash, a.displayName, a.role, a.organisationId, a.at],
      );
    },
    async saveToken(hash, userId, createdAt, expiresAt) {
      await db.query('INSERT INTO access_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [hash, userId, createdAt, expiresAt]);
    },
    async findToken(hash) {
      const { rows } = await db.query<{ user_id: string; expires_at: Date; revoked_at: Date | null }>(
        'SELECT user_id, expires_at, revoked_at FROM access_tokens WHERE token_hash = $1',
        [hash],
      );
      const r = rows[0];
      return r ? { userId: r.user_id, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
    },
    async revokeToken(hash, at) {
      await db.query('UPDATE access_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [hash, at]);
    },
    async saveOneTimeCode(phone, codeHash, expiresAt) {
      await db.query(
        `INSERT INTO one_time_codes (phone, code_hash, expires_at, attempts) VALUES ($1, $2, $3, 0)
         ON CONFLICT (phone) DO UPDATE SET code_hash = $2, expires_at = $3, attempts = 0`,
        [phone, codeHash, expiresAt],
      );
    },
    async attemptOneTimeCode(phone) {
      // Counting and reading in one statement: parallel guesses cannot share an attempt.
      const { rows } = await db.query<{ code_hash: string; expires_at: Date; attempts: number }>(
        'UPDATE one_time_codes SET attempts = attempts + 1 WHERE phone = $1 RETURNING code_hash, expires_at, attempts',
        [phone],
      );
      const r = rows[0];
      return r ? { codeHash: r.code_hash, expiresAt: r.expires_at, attempts: r.attempts } : null;
    },
    async deleteOneTimeCode(phone) {
      await db.query('DELETE FROM one_time_codes WHERE phone = $1', [phone]);
    },
    async saveApiKey(k) {
      await db.query(
        'INSERT INTO api_keys (id, key_hash, name, role, organisation_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [k.id, k.keyHash, k.name, k.role, k.organisationId, k.createdBy, k.at],
      );
    },
    async findApiKey(keyHash) {
      const { rows } = await db.query<{ id: string; name: string; role: string; organisation_id: string; revoked_at: Date | null }>(
        'SELECT id, name, role, organisation_id, revoked_at FROM api_keys WHERE key_hash = $1',
        [keyHash],
      );
      const r = rows[0];
      return r ? { id: r.id, name: r.name, role: r.role as StaffRole, organisationId: r.organisation_id, revokedAt: r.revoked_at } : null;
    },
    async revokeApiKey(id, at, organisations) {
      const { rowCount } = await db.query(
        'UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL AND organisation_id = ANY($3::text[])',
        [id, at, organisations],
      );
      return rowCount === 1;
    },
    async staffOf(userId, organisationId) {
      const { rows } = await db.query<{ id: string; role: string }>(
        "SELECT id, role FROM users WHERE id = $1 AND kind = 'staff' AND organisation_id = $2 AND NOT disabled",
        [userId, organisationId],
      );
      return rows[0] ?? null;
    },
  };
}
