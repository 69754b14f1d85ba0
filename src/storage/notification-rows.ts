import type { NewNotification } from '../core/notifications.ts';
import type { Queryable } from './db.ts';

/** Writes a notice into the outbox through the caller's transaction (see migrations/0005_notifications.sql). */
export async function insertNotification(q: Queryable, n: NewNotification, createdAt: Date): Promise<void> {
  await q.query(
    `INSERT INTO notifications (case_id, recipient_id, template, language, params, fulfils_deadline_id, state, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)`,
    [n.caseId, n.recipientId, n.template, n.language, JSON.stringify(n.params), n.fulfilsDeadlineId, n.notBefore, createdAt],
  );
}
