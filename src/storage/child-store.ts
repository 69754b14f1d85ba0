/** The child channel's own tables besides the schools: the on-call roster and the chat tickets (0009_child.sql). */
import type { ChatTickets, OnCallPerson, OnCallRoster, OnCallShift, TicketHolder } from '../core/child-ports.ts';
import { languages, staffRoles, type Language, type StaffRole } from '../core/model.ts';
import type { Db } from './db.ts';

interface ShiftRow {
  id: number | string;
  organisation_id: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
}

const shiftOf = (r: ShiftRow): OnCallShift => ({
  id: Number(r.id),
  organisationId: r.organisation_id,
  userId: r.user_id,
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
});

const languageOf = (value: string): Language => ((languages as readonly string[]).includes(value) ? (value as Language) : 'kk');

const SHIFT_COLUMNS = 'id, organisation_id, user_id, starts_at, ends_at';

export function createOnCallRoster(db: Db): OnCallRoster {
  return {
    async onDuty(organisationId, at) {
      // One row per psychologist (their earliest covering shift), earliest shift first: the first is assigned.
      const { rows } = await db.query<{ user_id: string; language: string; id: number | string }>(
        `SELECT user_id, language, id FROM (
           SELECT DISTINCT ON (s.user_id) s.user_id, u.language, s.id, s.starts_at
           FROM child_on_call s JOIN users u ON u.id = s.user_id
           WHERE s.organisation_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2
             AND u.kind = 'staff' AND NOT u.disabled AND u.role = 'psychologist' AND u.organisation_id = $1
           ORDER BY s.user_id, s.starts_at, s.id
         ) on_duty ORDER BY starts_at, id`,
        [organisationId, at],
      );
      return rows.map((r): OnCallPerson => ({ userId: r.user_id, language: languageOf(r.language), shiftId: Number(r.id) }));
    },
    async heads(organisationId) {
      const { rows } = await db.query<{ id: string; language: string }>(
        `SELECT id, language FROM users WHERE kind = 'staff' AND NOT disabled AND role = 'head' AND organisation_id = $1 ORDER BY created_at, id`,
        [organisationId],
      );
      return rows.map((r): OnCallPerson => ({ userId: r.id, language: languageOf(r.language), shiftId: null }));
    },
    async staffRole(userId, organisationId) {
      const { rows } = await db.query<{ role: string }>(
        `SELECT role FROM users WHERE id = $1 AND kind = 'staff' AND NOT disabled AND organisation_id = $2`,
        [userId, organisationId],
      );
      const role = rows[0]?.role;
      return role !== undefined && (staffRoles as readonly string[]).includes(role) ? (role as StaffRole) : null;
    },
    async addShift(s) {
      const { rows } = await db.query<ShiftRow>(
        `INSERT INTO child_on_call (organisation_id, user_id, starts_at, ends_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SHIFT_COLUMNS}`,
        [s.organisationId, s.userId, s.startsAt, s.endsAt, s.createdBy, s.createdAt],
      );
      return shiftOf(rows[0]!);
    },
    async shifts(organisationId, from, to) {
      const { rows } = await db.query<ShiftRow>(
        `SELECT ${SHIFT_COLUMNS} FROM child_on_call WHERE organisation_id = $1 AND ends_at > $2 AND starts_at < $3 ORDER BY starts_at, id`,
        [organisationId, from, to],
      );
      return rows.map(shiftOf);
    },
    async removeShift(id, organisations) {
      const { rowCount } = await db.query('DELETE FROM child_on_call WHERE id = $1 AND organisation_id = ANY($2::text[])', [id, [...organisations]]);
      return rowCount === 1;
    },
  };
}

function holderOf(value: unknown): TicketHolder | null {
  const v = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null;
  if (!v || typeof v !== 'object') return null;
  if (v['type'] === 'tracking' && typeof v['caseId'] === 'string') return { type: 'tracking', caseId: v['caseId'] };
  if (v['type'] === 'citizen' && typeof v['userId'] === 'string') return { type: 'citizen', userId: v['userId'] };
  const role = v['role'];
  if (v['type'] === 'staff' && typeof v['userId'] === 'string' && typeof v['organisationId'] === 'string' && typeof role === 'string' && (staffRoles as readonly string[]).includes(role)) {
    return { type: 'staff', userId: v['userId'], role: role as StaffRole, organisationId: v['organisationId'] };
  }
  return null;
}

export function createChatTickets(db: Db): ChatTickets {
  return {
    async save(t) {
      // Expired tickets are swept as new ones are made: the table stays as small as the tickets in flight.
      await db.query('DELETE FROM child_chat_tickets WHERE expires_at < $1', [new Date(t.createdAt.getTime() - 3_600_000)]);
      await db.query(
        'INSERT INTO child_chat_tickets (ticket_hash, case_id, principal, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)',
        [t.hash, t.caseId, JSON.stringify(t.holder), t.expiresAt, t.createdAt],
      );
    },
    async redeem(hash, caseId, at) {
      // One statement: of two requests racing with the same ticket, exactly one gets the row.
      const { rows } = await db.query<{ principal: unknown }>(
        `UPDATE child_chat_tickets SET used_at = $3
         WHERE ticket_hash = $1 AND case_id = $2 AND used_at IS NULL AND expires_at > $3 RETURNING principal`,
        [hash, caseId, at],
      );
      return rows[0] ? holderOf(rows[0].principal) : null;
    },
  };
}
