import type { Channel, StateKind } from '../core/model.ts';
import type { Db } from './db.ts';
import { Conditions } from './sql-builder.ts';

/** Open311's reads (src/channels/open311): the public view of cases and steps, tokens, who filed a case. */

/** A non-confidential case of an Open311 service, as storage reads it for the public view. */
export interface PublicCaseRow {
  registrationNumber: string;
  channel: Channel;
  category: string;
  stateKind: StateKind;
  text: string;
  address: string | null;
  districtId: string | null;
  lat: number | null;
  lon: number | null;
  organisationId: string;
  receivedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  dueAt: Date | null;
  /** The latest dialog message written by staff: the answer, or the latest word on the case. */
  staffNote: string | null;
}

/** One workflow step of such a case. */
export interface PublicStepRow {
  eventId: string;
  registrationNumber: string;
  channel: Channel;
  payload: Record<string, unknown>;
  occurredAt: Date;
  /** The dialog message the step carried (an answer, a dispatch note), if any. */
  message: string | null;
}

/** What the Open311 door reads beyond the case store: the public view, tokens and who filed what. */
export interface PublicRequestFilter {
  /** Registration numbers; when given, the other filters but the public ones are ignored. */
  numbers?: readonly string[] | undefined;
  categories: readonly string[];
  channels: readonly Channel[];
  from?: Date | undefined;
  to?: Date | undefined;
  statuses?: readonly ('open' | 'closed')[] | undefined;
  city?: string | null | undefined;
  limit: number;
  offset: number;
}

export interface PublicStepFilter {
  categories: readonly string[];
  channels: readonly Channel[];
  from: Date;
  to: Date;
  city?: string | null | undefined;
  limit: number;
  offset: number;
}

export interface Open311Store {
  /** Non-confidential cases of these channels and categories, newest first. */
  listRequests(filter: PublicRequestFilter): Promise<PublicCaseRow[]>;
  /** Workflow steps of such cases in the window, oldest first. */
  listSteps(filter: PublicStepFilter): Promise<PublicStepRow[]>;
  /** The non-confidential case an Open311 client filed with this token (its idempotency key). */
  caseOfToken(token: string): Promise<{ registrationNumber: string } | null>;
  /** Whether this principal (intake's idempotency principal, e.g. machine:<key id>) filed the case. */
  filedBy(caseId: string, principal: string): Promise<boolean>;
  /** The id of the case's latest event of this type, or of the event that posted this message. */
  stepEventId(caseId: string, match: { type: string } | { messageId: string }): Promise<string | null>;
}

interface CaseViewRow {
  registration_number: string;
  channel: Channel;
  category: string;
  state_kind: StateKind;
  text: string;
  address: string | null;
  district_id: string | null;
  lat: number | null;
  lon: number | null;
  organisation_id: string;
  received_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  due_at: Date | null;
  staff_note: string | null;
}

interface StepViewRow {
  id: string;
  registration_number: string;
  channel: Channel;
  payload: Record<string, unknown>;
  occurred_at: Date;
  message: string | null;
}

/** Staff's latest word in the dialog: messages not written by the applicant (citizen or tracking-code holder). */
const STAFF_NOTE = `(SELECT m.body FROM case_messages m
   WHERE m.case_id = c.id AND m.visibility = 'dialog' AND m.author_role NOT IN ('applicant', 'public')
   ORDER BY m.created_at DESC, m.id DESC LIMIT 1)`;

// Invisible to Open311, whatever the filter: confidential cases, other channels and categories.
function publicCases(where: Conditions, f: { categories: readonly string[]; channels: readonly Channel[]; city?: string | null | undefined }): void {
  where.add('NOT c.confidential').add('c.channel = ANY(?::text[])', f.channels).add('c.category = ANY(?::text[])', f.categories);
  if (f.city) where.add('c.city = ?', f.city);
}

export function createOpen311Store(db: Db): Open311Store {
  return {
    async listRequests(f) {
      const where = new Conditions();
      publicCases(where, f.numbers ? { categories: f.categories, channels: f.channels } : f);
      if (f.numbers) {
        where.add('c.registration_number = ANY(?::text[])', f.numbers);
      } else {
        // created_at is the moment received (intake sets both): the listing index serves the window.
        if (f.from) where.add('c.created_at >= ?', f.from);
        if (f.to) where.add('c.created_at < ?', f.to);
        const statuses = new Set(f.statuses ?? []);
        if (statuses.size === 1) where.add(statuses.has('closed') ? "c.state_kind = 'closed'" : "c.state_kind <> 'closed'");
      }
      const limit = where.param(f.limit);
      const offset = where.param(f.offset);
      const { rows } = await db.query<CaseViewRow>(
        `SELECT c.registration_number, c.channel, c.category, c.state_kind, c.text, c.address, c.district_id, c.lat, c.lon,
                c.organisation_id, c.received_at, c.updated_at, c.closed_at, c.due_at, ${STAFF_NOTE} AS staff_note
           FROM cases c ${where.where()}
          ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit} OFFSET ${offset}`,
        where.params,
      );
      return rows.map(
        (r): PublicCaseRow => ({
          registrationNumber: r.registration_number,
          channel: r.channel,
          category: r.category,
          stateKind: r.state_kind,
          text: r.text,
          address: r.address,
          districtId: r.district_id,
          lat: r.lat,
          lon: r.lon,
          organisationId: r.organisation_id,
          receivedAt: r.received_at,
          updatedAt: r.updated_at,
          closedAt: r.closed_at,
          dueAt: r.due_at,
          staffNote: r.staff_note,
        }),
      );
    },

    async listSteps(f) {
      const where = new Conditions();
      publicCases(where, f);
      // A step is an event that moved the workflow (it records toState); notes, reads and warnings are not.
      where.add("e.payload->>'toState' IS NOT NULL").add('e.occurred_at >= ?', f.from).add('e.occurred_at < ?', f.to);
      const limit = where.param(f.limit);
      const offset = where.param(f.offset);
      const { rows } = await db.query<StepViewRow>(
        `SELECT e.id::text AS id, c.registration_number, c.channel, e.payload, e.occurred_at,
                (SELECT m.body FROM case_messages m
                  WHERE m.case_id = e.case_id AND m.visibility = 'dialog' AND m.id::text = e.payload->>'messageId') AS message
           FROM case_events e JOIN cases c ON c.id = e.case_id ${where.where()}
          ORDER BY e.id LIMIT ${limit} OFFSET ${offset}`,
        where.params,
      );
      return rows.map(
        (r): PublicStepRow => ({
          eventId: r.id,
          registrationNumber: r.registration_number,
          channel: r.channel,
          payload: r.payload,
          occurredAt: r.occurred_at,
          message: r.message,
        }),
      );
    },

    async caseOfToken(token) {
      // The earliest holder of the key wins: a later machine cannot take over another client's token.
      const { rows } = await db.query<{ registration_number: string; confidential: boolean }>(
        `SELECT c.registration_number, c.confidential FROM idempotency_keys k JOIN cases c ON c.id = k.case_id
          WHERE k.key = $1 AND k.principal LIKE 'machine:%' ORDER BY k.created_at, k.principal LIMIT 1`,
        [token],
      );
      const r = rows[0];
      return r && !r.confidential ? { registrationNumber: r.registration_number } : null;
    },

    async filedBy(caseId, principal) {
      const { rows } = await db.query('SELECT 1 FROM idempotency_keys WHERE case_id = $1 AND principal = $2 LIMIT 1', [caseId, principal]);
      return rows.length > 0;
    },

    async stepEventId(caseId, match) {
      const { rows } =
        'type' in match
          ? await db.query<{ id: string }>('SELECT id::text AS id FROM case_events WHERE case_id = $1 AND type = $2 ORDER BY id DESC LIMIT 1', [caseId, match.type])
          : await db.query<{ id: string }>(
              "SELECT id::text AS id FROM case_events WHERE case_id = $1 AND payload->>'messageId' = $2 ORDER BY id DESC LIMIT 1",
              [caseId, match.messageId],
            );
      return rows[0]?.id ?? null;
    },
  };
}
