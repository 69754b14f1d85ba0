import { DomainError } from '../core/errors.ts';
import type { CaseAttachment, CaseMessage, CaseRecord, NewCaseEvent } from '../core/model.ts';
import type { ListScope } from '../core/policy.ts';
import type { CaseListQuery, CaseStore, CaseTransaction, IdempotentSubmission, Registration } from '../core/ports.ts';
import {
  attachmentFromRow,
  CASE_COLUMN_COUNT,
  CASE_COLUMNS,
  DEADLINE_COLUMNS,
  deadlineFromRow,
  caseFromRow,
  caseParams,
  eventFromRow,
  messageFromRow,
  type AttachmentRow,
  type CaseRow,
  type DeadlineRow,
  type EventRow,
  type MessageRow,
} from './case-rows.ts';
import type { Db, Queryable } from './db.ts';
import { DEADLINE_BATCH, deadlineBatch, type DeadlineBatch } from './deadline-batch.ts';
import { ATTACHMENTS_WITH_EVIDENCE, insertEvidence, withEvidence, type EvidenceColumns } from './evidence-rows.ts';
import { insertNotification } from './notification-rows.ts';
import { Conditions } from './sql-builder.ts';

const placeholders = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');
const INSERT_EVENT_COLUMNS = 'case_id, type, actor_id, actor_role, payload, occurred_at';
/** Parameter k (1-based) after the case columns and the tracking code hash. */
const after = (k: number): string => `$${CASE_COLUMN_COUNT + 1 + k}`;
/**
 * Registration is one statement (so one round trip and one implicit transaction): the case, its event,
 * its first deadline and the idempotency record commit together or not at all.
 */
const REGISTER = `
  WITH new_case AS (
    INSERT INTO cases (${CASE_COLUMNS}, tracking_code_hash) VALUES (${placeholders(CASE_COLUMN_COUNT + 1)}) RETURNING id
  ), new_event AS (
    INSERT INTO case_events (${INSERT_EVENT_COLUMNS}) SELECT id, ${after(1)}, ${after(2)}, ${after(3)}, ${after(4)}, ${after(5)} FROM new_case
  ), new_deadline AS (
    INSERT INTO case_deadlines (case_id, obligation, due_at, warn_at, state, next_check_at, created_at, counting)
      SELECT id, ${after(10)}::text, ${after(11)}::timestamptz, ${after(12)}::timestamptz, 'pending', ${after(12)}::timestamptz, ${after(5)}, ${after(13)}::text
      FROM new_case WHERE ${after(10)}::text IS NOT NULL
  )
  INSERT INTO idempotency_keys (principal, key, request_hash, case_id, response, created_at)
    SELECT ${after(6)}, ${after(7)}, ${after(8)}, id, ${after(9)}, ${after(5)} FROM new_case WHERE ${after(6)}::text IS NOT NULL`;
const IDEMPOTENCY_PKEY = 'idempotency_keys_pkey';
const UPDATE_CASE = `UPDATE cases SET (${CASE_COLUMNS}) = (${placeholders(CASE_COLUMN_COUNT)}) WHERE id = $1 AND version = $${CASE_COLUMN_COUNT + 1}`;
const OPEN_DEADLINE = "state IN ('pending', 'warned')";
const ONE_OPEN_ANSWER_COMPLAINT = 'cases_one_open_answer_complaint';

function registrationParams({ record, trackingCodeHash, event, idempotency, deadline }: Registration): unknown[] {
  return [
    ...caseParams(record),
    trackingCodeHash,
    event.type,
    event.actorId,
    event.actorRole,
    JSON.stringify(event.payload),
    event.occurredAt,
    idempotency?.principal ?? null,
    idempotency?.key ?? null,
    idempotency?.requestHash ?? null,
    idempotency ? JSON.stringify(idempotency.response) : null,
    deadline?.obligation ?? null,
    deadline?.dueAt ?? null,
    deadline?.warnAt ?? null,
    deadline?.counting ?? 'elapsed',
  ];
}

function transactionOn(q: Queryable): CaseTransaction & { [DEADLINE_BATCH]: DeadlineBatch } {
  return {
    async lockCase(id) {
      const { rows } = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 FOR UPDATE`, [id]);
      return rows[0] ? caseFromRow(rows[0]) : null;
    },
    async tryLockCase(id) {
      const { rows } = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
      return rows[0] ? caseFromRow(rows[0]) : null;
    },
    async updateCase(record) {
      const { rowCount } = await q.query(UPDATE_CASE, [...caseParams(record), record.version - 1]);
      if (rowCount !== 1) throw new DomainError('ERR_CONCURRENT_UPDATE', undefined, { caseId: record.id });
    },
    async appendEvent(e: NewCaseEvent) {
      await q.query(
        `INSERT INTO case_events (${INSERT_EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
        [e.caseId, e.type, e.actorId, e.actorRole, JSON.stringify(e.payload), e.occurredAt],
      );
    },
    async insertMessage(m: CaseMessage) {
      await q.query(
        'INSERT INTO case_messages (id, case_id, author_id, author_role, visibility, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [m.id, m.caseId, m.authorId, m.authorRole, m.visibility, m.body, m.createdAt],
      );
    },
    async insertAttachment(a: CaseAttachment) {
      await q.query(
        `INSERT INTO case_attachments (id, case_id, message_id, sha256, media_type, size_bytes, file_name, uploaded_by, uploader_role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [a.id, a.caseId, a.messageId, a.sha256, a.mediaType, a.sizeBytes, a.fileName, a.uploadedBy, a.uploaderRole, a.createdAt],
      );
    },
    insertEvidence: (a, e) => insertEvidence(q, a, e),
    async register(registration) {
      try {
        await q.query(REGISTER, registrationParams(registration), 'tyndau_register_case');
      } catch (err) {
        if ((err as { constraint?: string }).constraint === ONE_OPEN_ANSWER_COMPLAINT) {
          throw new DomainError('ERR_COMPLAINT_EXISTS', undefined, { caseId: registration.record.relatedCaseId });
        }
        throw err;
      }
    },
    async meetOpenDeadlines(caseId, obligations, at) {
      if (obligations.length === 0) return [];
      const { rows } = await q.query<DeadlineRow>(
        `UPDATE case_deadlines SET state = 'met', met_at = $3, next_check_at = NULL, paused_at = NULL
         WHERE case_id = $1 AND obligation = ANY($2::text[]) AND state IN ('pending', 'warned', 'paused') RETURNING ${DEADLINE_COLUMNS}`,
        [caseId, [...obligations], at],
      );
      return rows.map(deadlineFromRow).sort((a, b) => a.id - b.id);
    },
    async insertDeadline(caseId, d, at) {
      const { rows } = await q.query<DeadlineRow>(
        `INSERT INTO case_deadlines (case_id, obligation, due_at, warn_at, state, next_check_at, created_at, counting)
         VALUES ($1, $2, $3, $4, 'pending', $4, $5, $6) RETURNING ${DEADLINE_COLUMNS}`,
        [caseId, d.obligation, d.dueAt, d.warnAt, at, d.counting],
      );
      return deadlineFromRow(rows[0]!);
    },
    async deadlinesOf(caseId) {
      const { rows } = await q.query<DeadlineRow>(`SELECT ${DEADLINE_COLUMNS} FROM case_deadlines WHERE case_id = $1 ORDER BY id`, [caseId]);
      return rows.map(deadlineFromRow);
    },
    async latestEvent(caseId, types) {
      const { rows } = await q.query<EventRow>(
        'SELECT * FROM case_events WHERE case_id = $1 AND type = ANY($2::text[]) ORDER BY id DESC LIMIT 1',
        [caseId, [...types]],
      );
      return rows[0] ? eventFromRow(rows[0]) : null;
    },
    async saveRating(r) {
      await q.query(
        `INSERT INTO case_ratings (case_id, applicant_id, score, comment, rated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (case_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, rated_at = EXCLUDED.rated_at`,
        [r.caseId, r.applicantId, r.score, r.comment, r.ratedAt],
      );
    },
    async claimDueDeadlines(now, limit) {
      const { rows } = await q.query<DeadlineRow>(
        `SELECT ${DEADLINE_COLUMNS} FROM case_deadlines WHERE next_check_at <= $1 AND ${OPEN_DEADLINE}
         ORDER BY next_check_at FOR UPDATE SKIP LOCKED LIMIT $2`,
        [now, limit],
        'tyndau_claim_deadlines',
      );
      return rows.map(deadlineFromRow);
    },
    async saveDeadline(d) {
      const { rowCount } = await q.query(
        `UPDATE case_deadlines SET state = $2, warned_at = $3, breached_at = $4, met_at = $5, next_check_at = $6,
           due_at = $7, warn_at = $8, original_due_at = $9, paused_at = $10 WHERE id = $1`,
        [d.id, d.state, d.warnedAt, d.breachedAt, d.metAt, d.nextCheckAt, d.dueAt, d.warnAt, d.originalDueAt, d.pausedAt],
      );
      if (rowCount !== 1) throw new Error(`deadline ${d.id} does not exist`);
    },
    // The deadline worker's set-based forms of tryLockCase, saveDeadline and appendEvent (deadline-batch.ts).
    [DEADLINE_BATCH]: deadlineBatch(q),
    enqueueNotification: (n, at) => insertNotification(q, n, at),
  };
}

function applyScope(where: Conditions, scope: ListScope): void {
  switch (scope.type) {
    case 'none':
      where.add('false');
      return;
    case 'applicant':
      where.add('applicant_id = ?', scope.applicantId);
      return;
    case 'case':
      where.add('id = ?', scope.caseId);
      return;
    case 'staff': {
      const orgs = where.param(scope.organisations);
      const open = `(NOT confidential AND organisation_id = ANY(${orgs}::text[]))`;
      const assignee = scope.confidentialAssignee ? ` OR (confidential AND assignee_id = ${where.param(scope.confidentialAssignee)})` : '';
      const head = scope.confidentialHeadOf ? ` OR (confidential AND organisation_id = ${where.param(scope.confidentialHeadOf)})` : '';
      where.add(`(${open}${assignee}${head})`);
    }
  }
}

function applyFilters(where: Conditions, q: CaseListQuery): void {
  if (q.stateKind) where.add('state_kind = ?', q.stateKind);
  if (q.channel) where.add('channel = ?', q.channel);
  if (q.category) {
    // The prefix is literal: a % or _ in it is escaped, not a wildcard.
    if (q.category.endsWith('.*')) where.add("category LIKE ? ESCAPE '\\'", `${q.category.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`);
    else where.add('category = ?', q.category);
  }
  if (q.organisationId) where.add('organisation_id = ?', q.organisationId);
  if (q.districtId) where.add('district_id = ?', q.districtId);
  if (q.from) where.add('created_at >= ?', q.from);
  if (q.to) where.add('created_at < ?', q.to);
  if (q.triage !== undefined) where.add('triage = ?', q.triage);
  if (q.assigneeId) where.add('assignee_id = ?', q.assigneeId);
  if (q.cursor) where.add('(created_at, id) < (?, ?::uuid)', q.cursor.createdAt, q.cursor.id);
}

const sequenceName = (prefix: string, year: number): string => `registration_${year}_${Buffer.from(prefix, 'utf8').toString('hex')}`;

export function createCaseStore(db: Db): CaseStore {
  const one = async <R>(sql: string, params: unknown[], map: (r: R) => CaseRecord): Promise<CaseRecord | null> => {
    const { rows } = await db.query<R>(sql, params);
    return rows[0] ? map(rows[0]) : null;
  };
  return {
    transaction: (fn) => db.transaction((tx) => fn(transactionOn(tx))),
    async register(registration) {
      try {
        await db.query(REGISTER, registrationParams(registration), 'tyndau_register_case');
        return 'registered';
      } catch (err) {
        if ((err as { constraint?: string }).constraint === IDEMPOTENCY_PKEY) return 'duplicate';
        throw err;
      }
    },
    async nextRegistrationSequence(prefix, year) {
      const name = sequenceName(prefix, year);
      // to_regclass makes a missing sequence a NULL rather than an error, which would abort a surrounding
      // transaction (the deadline worker files complaints inside its claiming transaction).
      const next = async (): Promise<number | null> => {
        const n = (await db.query<{ n: number | null }>('SELECT nextval(to_regclass($1)) AS n', [name], 'tyndau_next_registration')).rows[0]?.n;
        return n === null || n === undefined ? null : Number(n);
      };
      const n = await next();
      if (n !== null) return n;
      // First case of a series this year: create its sequence (another node may win the race).
      await db.exec(`CREATE SEQUENCE IF NOT EXISTS ${name}`).catch(() => undefined);
      const created = await next();
      if (created === null) throw new Error(`registration sequence ${name} could not be created`);
      return created;
    },
    get: (id) => one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1`, [id], caseFromRow),
    getByRegistrationNumber: (n) => one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE registration_number = $1`, [n], caseFromRow),
    getByTrackingCodeHash: (h) => one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE tracking_code_hash = $1`, [h], caseFromRow),
    async list(query, scope) {
      const where = new Conditions();
      applyScope(where, scope);
      applyFilters(where, query);
      const limit = where.param(query.limit);
      const { rows } = await db.query<CaseRow>(
        `SELECT ${CASE_COLUMNS} FROM cases ${where.where()} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
        where.params,
      );
      return rows.map(caseFromRow);
    },
    async events(caseId) {
      const { rows } = await db.query<EventRow>('SELECT * FROM case_events WHERE case_id = $1 ORDER BY id', [caseId]);
      return rows.map(eventFromRow);
    },
    async deadlines(caseId) {
      const { rows } = await db.query<DeadlineRow>(`SELECT ${DEADLINE_COLUMNS} FROM case_deadlines WHERE case_id = $1 ORDER BY id`, [caseId]);
      return rows.map(deadlineFromRow);
    },
    async messages(caseId, includeInternal) {
      const { rows } = await db.query<MessageRow>(
        `SELECT * FROM case_messages WHERE case_id = $1 ${includeInternal ? '' : "AND visibility = 'dialog'"} ORDER BY created_at, id`,
        [caseId],
      );
      return rows.map(messageFromRow);
    },
    async attachments(caseId) {
      const { rows } = await db.query<AttachmentRow & EvidenceColumns>(`${ATTACHMENTS_WITH_EVIDENCE} WHERE a.case_id = $1 ORDER BY a.created_at, a.id`, [caseId]);
      return rows.map((r) => withEvidence(attachmentFromRow(r), r));
    },
    async attachment(caseId, attachmentId) {
      const { rows } = await db.query<AttachmentRow & EvidenceColumns>(`${ATTACHMENTS_WITH_EVIDENCE} WHERE a.case_id = $1 AND a.id = $2`, [caseId, attachmentId]);
      return rows[0] ? withEvidence(attachmentFromRow(rows[0]), rows[0]) : null;
    },
    async findIdempotent(principal, key): Promise<IdempotentSubmission | null> {
      const { rows } = await db.query<{ request_hash: string; case_id: string; response: Record<string, unknown> }>(
        'SELECT request_hash, case_id, response FROM idempotency_keys WHERE principal = $1 AND key = $2',
        [principal, key],
      );
      const r = rows[0];
      return r ? { requestHash: r.request_hash, caseId: r.case_id, response: r.response } : null;
    },
  };
}
