import type { CalendarEvent, CalendarEventLog, NewCalendarEvent, OverrideType } from '../core/sla/calendar-admin.ts';
import type { Db } from './db.ts';

/** Any constant works; every writer of calendar_events takes it (see exclusive()). */
const CALENDAR_LOCK = 727_002;

interface EventRow {
  id: number | string;
  date: string;
  action: 'set' | 'clear';
  type: OverrideType | null;
  reason: string;
  actor_id: string | null;
  actor_role: string;
  occurred_at: Date | string;
}

// The date as text: a `date` column would otherwise arrive as a JS Date at the machine's local midnight.
const COLUMNS = `id, to_char(date, 'YYYY-MM-DD') AS date, action, type, reason, actor_id, actor_role, occurred_at`;

const toEvent = (r: EventRow): CalendarEvent => ({
  id: Number(r.id),
  date: r.date,
  action: r.action,
  type: r.type,
  reason: r.reason,
  actorId: r.actor_id,
  actorRole: r.actor_role,
  occurredAt: new Date(r.occurred_at),
});

export interface CalendarStore extends CalendarEventLog {
  /** Events recorded after the given id, oldest first (0: all). */
  since(afterId: number): Promise<CalendarEvent[]>;
}

/**
 * The append-only log of admin changes to the business calendar (table calendar_events). Appends happen
 * inside exclusive(), which holds a transaction-scoped advisory lock until commit: ids are then committed
 * in increasing order, so a reader asking for "events after id N" never skips one committed later.
 */
export function createCalendarStore(db: Db): CalendarStore {
  const since = async (afterId: number): Promise<CalendarEvent[]> =>
    (await db.query<EventRow>(`SELECT ${COLUMNS} FROM calendar_events WHERE id > $1 ORDER BY id`, [afterId])).rows.map(toEvent);
  // Inside exclusive() the transaction is joined (the Db flattens nesting) and the lock, re-entrant, is already held.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> =>
    db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CALENDAR_LOCK]);
      return fn();
    });
  return {
    since,
    all: () => since(0),
    exclusive,
    append: (e: NewCalendarEvent) =>
      exclusive(async () => {
        const { rows } = await db.query<EventRow>(
          `INSERT INTO calendar_events (date, action, type, reason, actor_id, actor_role, occurred_at)
           VALUES ($1::date, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [e.date, e.action, e.type, e.reason, e.actorId, e.actorRole, e.occurredAt],
        );
        return toEvent(rows[0]!);
      }),
  };
}
