import type { CaseChange } from '../core/ports.ts';
import type { Channel, StateKind, Urgency } from '../core/model.ts';
import type { Queryable } from './db.ts';

interface ChangeRow {
  id: number;
  case_id: string;
  type: string;
  occurred_at: Date;
  organisation_id: string;
  from_organisation_id: string | null;
  channel: Channel;
  urgency: Urgency;
  state: string;
  state_kind: StateKind;
  confidential: boolean;
}

const toChange = (r: ChangeRow): CaseChange => ({
  eventId: Number(r.id),
  caseId: r.case_id,
  type: r.type,
  occurredAt: new Date(r.occurred_at),
  organisationId: r.organisation_id,
  fromOrganisationId: r.from_organisation_id,
  channel: r.channel,
  urgency: r.urgency,
  state: r.state,
  stateKind: r.state_kind,
  confidential: r.confidential,
});

const SELECT = `SELECT e.id, e.case_id, e.type, e.occurred_at, c.organisation_id, e.payload->>'fromOrganisationId' AS from_organisation_id,
       c.channel, c.urgency, c.state, c.state_kind, c.confidential
  FROM case_events e JOIN cases c ON c.id = e.case_id`;

/** The live feed's reads: events after a cursor (plus ids that were missing earlier), joined with their case as it is now. */
export function createLiveFeedStore(db: Queryable) {
  return {
    async latestEventId(): Promise<number> {
      const { rows } = await db.query<{ id: number | null }>('SELECT max(id) AS id FROM case_events');
      return Number(rows[0]?.id ?? 0);
    },
    async changesAfter(cursor: number, missing: readonly number[], limit: number): Promise<CaseChange[]> {
      const { rows } = await db.query<ChangeRow>(
        `${SELECT} WHERE e.id > $1 OR e.id = ANY($2::bigint[]) ORDER BY e.id LIMIT $3`,
        [cursor, missing, limit],
        'live_feed_changes',
      );
      return rows.map(toChange);
    },
  };
}

export type LiveFeedStore = ReturnType<typeof createLiveFeedStore>;
