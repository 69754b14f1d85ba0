import type { BoardRow, BoardSource, BoardTicketStore } from '../core/board.ts';
import type { Channel, StateKind, Urgency } from '../core/model.ts';
import type { Queryable } from './db.ts';

interface BoardRowRecord {
  id: string;
  registration_number: string;
  channel: Channel;
  category: string;
  urgency: Urgency;
  state: string;
  state_kind: StateKind;
  organisation_id: string;
  district_id: string | null;
  city: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  received_at: Date;
  due_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  confidential: boolean;
  version: number;
}

const toRow = (r: BoardRowRecord): BoardRow => ({
  id: r.id,
  registrationNumber: r.registration_number,
  channel: r.channel,
  category: r.category,
  urgency: r.urgency,
  state: r.state,
  stateKind: r.state_kind,
  organisationId: r.organisation_id,
  districtId: r.district_id,
  city: r.city,
  address: r.address,
  location: r.lat === null || r.lon === null ? null : { lat: Number(r.lat), lon: Number(r.lon) },
  receivedAt: new Date(r.received_at),
  dueAt: r.due_at ? new Date(r.due_at) : null,
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  confidential: r.confidential,
  version: Number(r.version),
});

const COLUMNS = `c.id, c.registration_number, c.channel, c.category, c.urgency, c.state, c.state_kind, c.organisation_id, c.district_id,
       c.city, c.address, c.lat, c.lon, c.received_at, c.due_at, c.assignee_id, u.display_name AS assignee_name, c.confidential, c.version`;

// The ORDER BY repeats the expression of the index cases_board (migration 0012) so the planner walks it in order.
const URGENCY_RANK_SQL = `(CASE c.urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END)`;

/** The board's reads: one organisation's open 102/109 cases in board order, and cases by id as they are now. */
export function createBoardStore(db: Queryable): BoardSource {
  return {
    /** At most `limit` rows in board order (one index walk); `more` when further rows are open. */
    async board(organisationId: string, limit: number): Promise<{ rows: BoardRow[]; more: boolean }> {
      const { rows } = await db.query<BoardRowRecord>(
        `SELECT ${COLUMNS}
           FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
          WHERE c.organisation_id = $1 AND c.state_kind <> 'closed' AND c.channel IN ('police', 'city')
          ORDER BY ${URGENCY_RANK_SQL}, c.received_at, c.id
          LIMIT $2`,
        [organisationId, limit + 1],
        'board_rows',
      );
      return { rows: rows.slice(0, limit).map(toRow), more: rows.length > limit };
    },

    /** The cases as they are now, wherever they are (a case that left the board is still read, to say so). */
    async rowsByIds(ids: readonly string[]): Promise<BoardRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<BoardRowRecord>(
        `SELECT ${COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ANY($1::uuid[])`,
        [ids],
        'board_rows_by_id',
      );
      return rows.map(toRow);
    },
  };
}

/** Board tickets: only their hash is stored; redeeming is one UPDATE, so a ticket opens one stream on any node. */
export function createBoardTicketStore(db: Queryable): BoardTicketStore {
  return {
    async saveTicket(t) {
      // Tickets live seconds: the expired ones are swept as new ones are issued (indexed, usually nothing).
      await db.query(`DELETE FROM board_tickets WHERE expires_at < $1`, [new Date(t.createdAt.getTime() - 3_600_000)]);
      await db.query(
        `INSERT INTO board_tickets (ticket_hash, user_id, organisation_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
        [t.ticketHash, t.userId, t.organisationId, t.createdAt, t.expiresAt],
      );
    },
    async redeemTicket(ticketHash, at) {
      const { rows } = await db.query<{ user_id: string; organisation_id: string }>(
        `UPDATE board_tickets SET used_at = $2 WHERE ticket_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id, organisation_id`,
        [ticketHash, at],
      );
      const r = rows[0];
      return r ? { userId: r.user_id, organisationId: r.organisation_id } : null;
    },
  };
}
