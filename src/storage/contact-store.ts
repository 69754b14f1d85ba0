/**
 * How a person wants to be reached: the e-mail address they gave (optional) and their language. Phone
 * numbers stay with sign-in (identity-store.ts); the outbox reads all three when it sends a notice.
 */
import type { Language } from '../core/model.ts';
import type { Db } from './db.ts';

export interface UserContact {
  email: string | null;
  language: Language;
}

export interface ContactStore {
  get(userId: string): Promise<UserContact | null>;
  /** Sets what is given (`email: null` clears it); null when there is no such user. */
  update(userId: string, patch: { email?: string | null; language?: Language }): Promise<UserContact | null>;
}

export function createContactStore(db: Db): ContactStore {
  return {
    async get(userId) {
      const { rows } = await db.query<UserContact>('SELECT email, language FROM users WHERE id = $1', [userId]);
      return rows[0] ?? null;
    },
    async update(userId, patch) {
      const { rows } = await db.query<UserContact>(
        `UPDATE users SET email = CASE WHEN $2 THEN $3 ELSE email END, language = COALESCE($4, language)
         WHERE id = $1 RETURNING email, language`,
        [userId, patch.email !== undefined, patch.email ?? null, patch.language ?? null],
      );
      return rows[0] ?? null;
    },
  };
}
