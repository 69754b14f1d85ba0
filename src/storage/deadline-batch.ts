/**
 * The deadline worker's set-based writes: the same rows as tryLockCase, saveDeadline, appendEvent,
 * register (without idempotency record) and enqueueNotification on a CaseTransaction, for a whole batch
 * per round trip. A
 * transaction of the PostgreSQL/PGlite case store carries them under DEADLINE_BATCH (see case-store.ts);
 * they are not part of the core's CaseTransaction port, and the worker falls back to the port's one-row
 * methods when a transaction does not carry them.
 */
import type { CaseRecord, NewCaseEvent } from '../core/model.ts';
import type { NewNotification } from '../core/notifications.ts';
import type { CaseTransaction, NewDeadline, Registration } from '../core/ports.ts';
import type { Deadline } from '../core/sla/deadline-rules.ts';
import { CASE_COLUMNS, caseFromRow, caseParams, type CaseRow } from './case-rows.ts';
import type { Queryable } from './db.ts';

export const DEADLINE_BATCH: unique symbol = Symbol('tyndau.deadlineBatch');

export interface DeadlineBatch {
  /**
   * tryLockCase for many cases in one statement: the records this transaction now holds. A case another
   * transaction holds is left out (SKIP LOCKED), as tryLockCase would answer null for it.
   */
  tryLockCases(ids: readonly string[]): Promise<CaseRecord[]>;
  /**
   * In one statement: saveDeadline for every deadline (the last save of an id wins), and appendEvent,
   * register or enqueueNotification for every entry, events and notices taking their ids in the entries'
   * order. Throws, as saveDeadline
   * does, when a deadline does not exist, and as register does on a constraint (e.g. a registration number taken).
   */
  write(deadlines: readonly Deadline[], entries: readonly BatchEntry[]): Promise<void>;
}

/** An event to append, a case to register (its registration event takes its place among the events), or a notice for the outbox. */
export type BatchEntry = { event: NewCaseEvent } | { registration: Registration } | { notification: NewNotification; at: Date };

/** Whether write() can take this registration: one with an idempotency record goes through register itself. */
export const batchable = (r: Registration): boolean => r.idempotency === null && Object.keys(r).every((k) => k in REGISTRATION_PARTS);

export const deadlineBatchOf = (tx: CaseTransaction): DeadlineBatch | null =>
  (tx as CaseTransaction & Partial<Record<typeof DEADLINE_BATCH, DeadlineBatch>>)[DEADLINE_BATCH] ?? null;

// Every field and its column: a field added to Deadline or NewCaseEvent does not compile until it is mapped here.
const DEADLINE_FIELDS: { readonly [K in keyof Deadline]-?: string } = {
  id: 'id',
  caseId: 'case_id',
  obligation: 'obligation',
  dueAt: 'due_at',
  warnAt: 'warn_at',
  state: 'state',
  warnedAt: 'warned_at',
  breachedAt: 'breached_at',
  metAt: 'met_at',
  nextCheckAt: 'next_check_at',
  createdAt: 'created_at',
  counting: 'counting',
  originalDueAt: 'original_due_at',
  pausedAt: 'paused_at',
};
/** What a save never changes: the row's identity. Everything else is written, as saveDeadline writes it. */
const FIXED: readonly (keyof Deadline)[] = ['id', 'caseId', 'obligation', 'createdAt', 'counting'];
const SAVED = (Object.keys(DEADLINE_FIELDS) as (keyof Deadline)[]).filter((k) => !FIXED.includes(k)).map((k) => DEADLINE_FIELDS[k]);

const EVENT_FIELDS: { readonly [K in keyof NewCaseEvent]-?: string } = {
  caseId: 'case_id',
  type: 'type',
  actorId: 'actor_id',
  actorRole: 'actor_role',
  payload: 'payload',
  occurredAt: 'occurred_at',
};
const EVENT_COLUMNS = Object.values(EVENT_FIELDS);

/** The parts of a registration write() writes: a part added to Registration does not compile until it is handled here. */
const REGISTRATION_PARTS: { readonly [K in keyof Registration]-?: true } = { record: true, trackingCodeHash: true, event: true, idempotency: true, deadline: true };
const NEW_DEADLINE_FIELDS: { readonly [K in keyof NewDeadline]-?: string } = { obligation: 'obligation', dueAt: 'due_at', warnAt: 'warn_at', counting: 'counting' };
const NEW_CASE_COLUMNS = [...CASE_COLUMNS.split(',').map((c) => c.trim()), 'tracking_code_hash'];
/** A registered case's first deadline, as register writes it: pending, first checked at its warning, created when the case was received. */
const NEW_DEADLINE_COLUMNS = ['case_id', ...Object.values(NEW_DEADLINE_FIELDS), 'state', 'next_check_at', 'created_at'];

/** A notice as insertNotification writes it (notification-rows.ts): pending, first attempted when it may be sent. */
const NOTIFICATION_FIELDS: { readonly [K in keyof NewNotification]-?: string } = {
  caseId: 'case_id',
  recipientId: 'recipient_id',
  template: 'template',
  language: 'language',
  params: 'params',
  fulfilsDeadlineId: 'fulfils_deadline_id',
  notBefore: 'next_attempt_at',
};
const NOTIFICATION_COLUMNS = [...Object.values(NOTIFICATION_FIELDS), 'state', 'created_at'];
const notificationRow = (n: NewNotification, at: Date): Record<string, unknown> => ({ ...toRow(n, NOTIFICATION_FIELDS), state: 'pending', created_at: at });

function newCaseRow(r: Registration): Record<string, unknown> {
  const values = [...caseParams(r.record), r.trackingCodeHash];
  return Object.fromEntries(NEW_CASE_COLUMNS.map((c, i) => [c, values[i] ?? null]));
}

function newDeadlineRow(r: Registration, d: NewDeadline): Record<string, unknown> {
  return { case_id: r.record.id, ...toRow(d, NEW_DEADLINE_FIELDS), state: 'pending', next_check_at: d.warnAt, created_at: r.event.occurredAt };
}

/** A record as a JSON object keyed by column (dates become ISO strings, which PostgreSQL reads back exactly). */
function toRow<T extends object>(value: T, fields: { readonly [K in keyof T]-?: string }): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) row[fields[key]] = value[key] ?? null;
  return row;
}

// The rows arrive as one JSON array each and take the tables' own column types (jsonb_populate_recordset).
const LOCK_CASES = `SELECT ${CASE_COLUMNS} FROM cases WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`;
const columnsOf = (columns: readonly string[]): string => columns.join(', ');
const valuesOf = (columns: readonly string[]): string => columns.map((c) => `v.${c}`).join(', ');
const WRITE = `
  WITH saved AS (
    UPDATE case_deadlines d SET (${columnsOf(SAVED)}) = ROW(${valuesOf(SAVED)})
    FROM jsonb_populate_recordset(NULL::case_deadlines, $1::jsonb) AS v WHERE d.id = v.id RETURNING d.id
  ), new_cases AS (
    INSERT INTO cases (${columnsOf(NEW_CASE_COLUMNS)})
    SELECT ${valuesOf(NEW_CASE_COLUMNS)} FROM jsonb_populate_recordset(NULL::cases, $3::jsonb) WITH ORDINALITY AS v ORDER BY v.ordinality
    RETURNING id
  ), new_deadlines AS (
    INSERT INTO case_deadlines (${columnsOf(NEW_DEADLINE_COLUMNS)})
    SELECT ${valuesOf(NEW_DEADLINE_COLUMNS)} FROM jsonb_populate_recordset(NULL::case_deadlines, $4::jsonb) WITH ORDINALITY AS v ORDER BY v.ordinality
    RETURNING id
  ), notices AS (
    INSERT INTO notifications (${columnsOf(NOTIFICATION_COLUMNS)})
    SELECT ${valuesOf(NOTIFICATION_COLUMNS)} FROM jsonb_populate_recordset(NULL::notifications, $5::jsonb) WITH ORDINALITY AS v ORDER BY v.ordinality
    RETURNING id
  ), appended AS (
    INSERT INTO case_events (${EVENT_COLUMNS.join(', ')})
    SELECT ${EVENT_COLUMNS.map((c) => `v.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::case_events, $2::jsonb) WITH ORDINALITY AS v
    ORDER BY v.ordinality
    RETURNING id
  )
  SELECT (SELECT count(*) FROM saved)::int AS saved, (SELECT count(*) FROM appended)::int AS appended,
         (SELECT count(*) FROM new_cases)::int AS cases, (SELECT count(*) FROM new_deadlines)::int AS deadlines,
         (SELECT count(*) FROM notices)::int AS notices`;

export function deadlineBatch(q: Queryable): DeadlineBatch {
  return {
    async tryLockCases(ids) {
      if (ids.length === 0) return [];
      const { rows } = await q.query<CaseRow>(LOCK_CASES, [[...ids]], 'tyndau_lock_cases');
      return rows.map(caseFromRow);
    },
    async write(deadlines, entries) {
      const latest = new Map<number, Deadline>();
      for (const d of deadlines) {
        latest.delete(d.id); // keeps the order of the last saves
        latest.set(d.id, d);
      }
      if (latest.size === 0 && entries.length === 0) return;
      const events: Record<string, unknown>[] = [];
      const cases: Record<string, unknown>[] = [];
      const firstDeadlines: Record<string, unknown>[] = [];
      const notices: Record<string, unknown>[] = [];
      for (const entry of entries) {
        if ('event' in entry) {
          events.push(toRow(entry.event, EVENT_FIELDS));
          continue;
        }
        if ('notification' in entry) {
          notices.push(notificationRow(entry.notification, entry.at));
          continue;
        }
        const r = entry.registration;
        if (!batchable(r)) throw new Error(`registration of ${r.record.id} cannot be batched`);
        cases.push(newCaseRow(r));
        // The registration event belongs to the new case, as register writes it.
        events.push(toRow({ ...r.event, caseId: r.record.id }, EVENT_FIELDS));
        if (r.deadline) firstDeadlines.push(newDeadlineRow(r, r.deadline));
      }
      const { rows } = await q.query<{ saved: number; appended: number; cases: number; deadlines: number; notices: number }>(
        WRITE,
        [
          JSON.stringify([...latest.values()].map((d) => toRow(d, DEADLINE_FIELDS))),
          JSON.stringify(events),
          JSON.stringify(cases),
          JSON.stringify(firstDeadlines),
          JSON.stringify(notices),
        ],
        'tyndau_deadline_batch_write',
      );
      const written = rows[0]!;
      if (written.saved !== latest.size) throw new Error(`${latest.size - written.saved} of the deadlines ${[...latest.keys()].join(', ')} do not exist`);
      const wanted = { appended: events.length, cases: cases.length, deadlines: firstDeadlines.length, notices: notices.length };
      if ((Object.keys(wanted) as (keyof typeof wanted)[]).some((k) => written[k] !== wanted[k])) {
        throw new Error(`batch write incomplete: wrote ${JSON.stringify(written)}, wanted ${JSON.stringify(wanted)}`);
      }
    },
  };
}
