/**
 * The outbox table for the worker that delivers it (see src/notify/outbox.ts for the protocol): claims
 * with a lease in one committed statement, then records each result in its own short transaction.
 */
import type { Language } from '../core/model.ts';
import { staffNoticeTemplates, type NotificationParams } from '../core/notifications.ts';
import type { ClaimedNotice, OutboxStore } from '../notify/outbox.ts';
import type { Db, Queryable } from './db.ts';

interface ClaimRow {
  id: number | string;
  case_id: string;
  template: string;
  language: Language;
  params: unknown;
  fulfils_deadline_id: number | string | null;
  attempts: number;
  recipient_id: string;
  email: string | null;
  phone: string | null;
  registration_number: string;
}

/**
 * One statement, so one implicit transaction that commits at once: the due rows are locked (rows another
 * claim holds are skipped), their next attempt moved to the end of the lease, and the recipient's contact
 * read as it is now. A row whose lease ends comes due again and is taken by the next claim.
 */
const CLAIM = `
  WITH due AS (
    SELECT id FROM notifications
    WHERE state = 'pending' AND next_attempt_at <= $1
    ORDER BY next_attempt_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  UPDATE notifications n SET next_attempt_at = $3
  FROM due, users u, cases c
  WHERE n.id = due.id AND u.id = n.recipient_id AND c.id = n.case_id
  RETURNING n.id, n.case_id, n.template, n.language, n.params, n.fulfils_deadline_id, n.attempts, n.recipient_id,
            u.email, u.phone, c.registration_number`;

/** Facts are strings; anything else a hand-written row may hold is dropped, numbers kept as text. */
function paramsOf(value: unknown): NotificationParams {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  const params: Record<string, string> = {};
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [key, v] of Object.entries(parsed)) {
      if (typeof v === 'string') params[key] = v;
      else if (typeof v === 'number' && Number.isFinite(v)) params[key] = String(v);
    }
  }
  return params;
}

const claimedFromRow = (r: ClaimRow, leaseUntil: Date): ClaimedNotice => ({
  id: Number(r.id),
  caseId: r.case_id,
  template: r.template,
  language: r.language,
  params: paramsOf(r.params),
  fulfilsDeadlineId: r.fulfils_deadline_id === null ? null : Number(r.fulfils_deadline_id),
  attempts: Number(r.attempts),
  leaseUntil,
  recipient: { userId: r.recipient_id, email: r.email, phone: r.phone },
  registrationNumber: r.registration_number,
});

const appendSystemEvent = (tx: Queryable, caseId: string, type: string, payload: Record<string, unknown>, at: Date) =>
  tx.query(
    `INSERT INTO case_events (case_id, type, actor_id, actor_role, payload, occurred_at) VALUES ($1, $2, NULL, 'system', $3, $4)`,
    [caseId, type, JSON.stringify(payload), at],
  );

/**
 * Takes the case's key-share lock before any deadline row: the same order as the workflow (case, then its
 * deadlines), so a notice settling beside a workflow action on the same case cannot deadlock with it.
 */
const lockCaseForEvent = (tx: Queryable, caseId: string) => tx.query('SELECT 1 FROM cases WHERE id = $1 FOR KEY SHARE', [caseId]);

export function createNotificationStore(db: Db): OutboxStore {
  return {
    async claimDue(now, limit, leaseUntil) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer: ${limit}`);
      const { rows } = await db.query<ClaimRow>(CLAIM, [now, limit, leaseUntil], 'tyndau_claim_notifications');
      return rows.map((r) => claimedFromRow(r, leaseUntil)).sort((a, b) => a.id - b.id);
    },

    recordSent: (notice, transport, at) =>
      db.transaction(async (tx) => {
        // A success stands whoever holds the lease now: the notice did go.
        const { rowCount } = await tx.query(
          `UPDATE notifications SET state = 'sent', sent_at = $2, transport = $3, next_attempt_at = NULL WHERE id = $1 AND state = 'pending'`,
          [notice.id, at, transport],
        );
        if (rowCount !== 1) return false;
        await lockCaseForEvent(tx, notice.caseId);
        let deadlineMet = false;
        if (notice.fulfilsDeadlineId !== null) {
          const met = await tx.query(
            `UPDATE case_deadlines SET state = 'met', met_at = $2, next_check_at = NULL
             WHERE id = $1 AND case_id = $3 AND state IN ('pending', 'warned')`,
            [notice.fulfilsDeadlineId, at, notice.caseId],
          );
          deadlineMet = met.rowCount === 1;
        }
        await appendSystemEvent(
          tx,
          notice.caseId,
          staffNoticeTemplates.has(notice.template) ? 'case.staff_paged' : 'case.applicant_notified',
          { notificationId: notice.id, template: notice.template, transport, deadlineId: notice.fulfilsDeadlineId, deadlineMet },
          at,
        );
        return true;
      }),

    recordFailure: (notice, error, at, retryAt) =>
      db.transaction(async (tx) => {
        // Only under this claim's lease: a worker whose lease ran out must not overwrite a newer attempt.
        const { rows } = await tx.query<{ attempts: number }>(
          `UPDATE notifications
           SET attempts = attempts + 1, last_error = $2, state = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
               next_attempt_at = $3::timestamptz
           WHERE id = $1 AND state = 'pending' AND next_attempt_at = $4
           RETURNING attempts`,
          [notice.id, error, retryAt, notice.leaseUntil],
        );
        const row = rows[0];
        if (!row) return false;
        if (retryAt === null) {
          await lockCaseForEvent(tx, notice.caseId);
          await appendSystemEvent(
            tx,
            notice.caseId,
            'case.notification_failed',
            { notificationId: notice.id, template: notice.template, attempts: Number(row.attempts), error, deadlineId: notice.fulfilsDeadlineId },
            at,
          );
        }
        return true;
      }),
  };
}
