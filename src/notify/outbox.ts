/**
 * The notification outbox, delivery side. The core writes a notice into the outbox inside the transaction
 * of the step it reports (src/core/notifications.ts); this module delivers one claimed notice: it reads
 * where the person can be reached, renders the text in the notice's language, picks a transport, sends,
 * and records the result.
 *
 * Delivery is at-least-once. A notice is claimed with a lease (its next attempt moved to now + lease, then
 * committed), so no database transaction stays open during network I/O and a worker that dies mid-send
 * leaves the notice to be taken again when the lease ends. A notice can therefore arrive twice (a crash
 * after the far side accepted it but before the result was written, or a send slower than the lease);
 * it is never silently lost.
 *
 * Language: the notice's own `language` (chosen by the core when it enqueued it, the case's language) is
 * used, not the user's current preference, so a notice says the same thing however often it is retried.
 */
import type { Logger } from 'pino';
import type { Language } from '../core/model.ts';
import type { NotificationParams } from '../core/notifications.ts';
import type { Clock } from '../core/ports.ts';
import { isNotificationTemplate, render } from './templates.ts';
import { DeliveryError, safeErrorMessage, type OutgoingNotice, type Recipient, type Transport } from './transports/transport.ts';

/** A pending notice taken by one worker, with where its recipient can be reached now. */
export interface ClaimedNotice {
  id: number;
  caseId: string;
  template: string;
  language: Language;
  params: NotificationParams;
  fulfilsDeadlineId: number | null;
  /** Failed attempts before this one. */
  attempts: number;
  /** The lease this claim holds: the row's next attempt time as the claim set it. */
  leaseUntil: Date;
  recipient: Recipient;
  /** The case's registration number (fills `registrationNumber` when the params lack it). */
  registrationNumber: string;
}

/** The outbox table as the worker needs it (src/storage/notification-store.ts). */
export interface OutboxStore {
  /**
   * Claims up to `limit` pending notices due at `now` (oldest first; rows another worker is claiming are
   * skipped) by moving their next attempt to `leaseUntil`, and commits at once.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedNotice[]>;
  /**
   * Marks the notice sent; in the same transaction meets the deadline it fulfils (if still open) and
   * appends `case.applicant_notified`. False when the notice was no longer pending (settled elsewhere).
   */
  recordSent(notice: ClaimedNotice, transport: string, at: Date): Promise<boolean>;
  /**
   * Counts a failed attempt: pending again at `retryAt`, or `failed` (with `case.notification_failed`)
   * when `retryAt` is null. False when this claim's lease was lost meanwhile (nothing written).
   */
  recordFailure(notice: ClaimedNotice, error: string, at: Date, retryAt: Date | null): Promise<boolean>;
}

export interface OutboxPolicy {
  /** Failed attempts after which a notice is given up. */
  maxAttempts: number;
  /** Wait after the first failure; doubles with each further one, up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim reserves a notice. */
  leaseMs: number;
  /** Longest one send may take. */
  sendTimeoutMs: number;
}

export interface OutboxDeps {
  store: OutboxStore;
  clock: Clock;
  /** In order of preference; the first that can reach the recipient sends (e-mail, then SMS, then the log). */
  transports: readonly Transport[];
  logger: Logger;
  policy: OutboxPolicy;
}

export type DeliveryOutcome =
  | { type: 'sent'; transport: string }
  | { type: 'retry'; error: string; retryAt: Date }
  | { type: 'failed'; error: string }
  /** Settled by another worker meanwhile (its lease had run out): nothing recorded here. */
  | { type: 'stale' };

/** The wait after the n-th failure (n ≥ 1): base · 2^(n-1), at most the cap. */
export function backoffMs(policy: Pick<OutboxPolicy, 'backoffBaseMs' | 'backoffMaxMs'>, failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** exponent);
}

export const chooseTransport = (transports: readonly Transport[], recipient: Recipient): Transport | null =>
  transports.find((t) => t.canReach(recipient)) ?? null;

/** Sends with a deadline: past it the attempt counts as failed (the send itself may still complete). */
async function sendWithin(transport: Transport, recipient: Recipient, notice: OutgoingNotice, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeliveryError(`${transport.name}: timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const sending = transport.send(recipient, notice, controller.signal);
  sending.catch(() => undefined); // a send that loses the race must not become an unhandled rejection
  try {
    await Promise.race([sending, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Delivers one claimed notice and records the outcome. Transport failures are outcomes; database errors throw. */
export async function deliverNotice(deps: OutboxDeps, notice: ClaimedNotice): Promise<DeliveryOutcome> {
  const { policy, logger } = deps;
  const facts = { notificationId: notice.id, caseId: notice.caseId, template: notice.template };
  let transport: Transport | null = null;
  try {
    if (!isNotificationTemplate(notice.template)) throw new DeliveryError(`unknown template ${notice.template.slice(0, 40)}`);
    transport = chooseTransport(deps.transports, notice.recipient);
    if (!transport) throw new DeliveryError('no transport reaches the recipient');
    const { subject, text } = render(notice.template, notice.language, { registrationNumber: notice.registrationNumber, ...notice.params });
    const outgoing: OutgoingNotice = { notificationId: notice.id, caseId: notice.caseId, template: notice.template, language: notice.language, subject, text };
    await sendWithin(transport, notice.recipient, outgoing, policy.sendTimeoutMs);
  } catch (err) {
    const error = safeErrorMessage(err);
    const failures = notice.attempts + 1;
    const now = deps.clock.now();
    const retryAt = failures >= policy.maxAttempts ? null : new Date(now.getTime() + backoffMs(policy, failures));
    if (!(await deps.store.recordFailure(notice, error, now, retryAt))) return { type: 'stale' };
    const logged = { ...facts, transport: transport?.name ?? null, attempts: failures, error };
    if (retryAt) {
      logger.warn({ ...logged, retryAt: retryAt.toISOString() }, 'notice delivery failed; will retry');
      return { type: 'retry', error, retryAt };
    }
    logger.error(logged, 'notice delivery failed for good');
    return { type: 'failed', error };
  }
  if (!(await deps.store.recordSent(notice, transport.name, deps.clock.now()))) return { type: 'stale' };
  return { type: 'sent', transport: transport.name };
}
