/**
 * The outbox worker: delivers the notices the core wrote into the outbox. Each tick claims a batch of due
 * notices with a lease (one committed statement, FOR UPDATE SKIP LOCKED, so several workers on several
 * nodes share the work without taking a notice twice), sends them outside any database transaction, and
 * records each result in its own short transaction. Delivery is at-least-once: see src/notify/outbox.ts.
 */
import type { Logger } from 'pino';
import { startWorkerLoop, type WorkerLoop } from './worker-loop.ts';
import type { Platform } from '../app/platform.ts';
import { deliverNotice, type DeliveryOutcome, type OutboxDeps } from '../notify/outbox.ts';

export interface OutboxTickResult {
  /** Notices claimed in this tick. */
  claimed: number;
  sent: number;
  /** Failed attempts that will be retried after the back-off. */
  retried: number;
  /** Notices given up after the last allowed attempt. */
  failed: number;
  /** Settled by another worker meanwhile (a lease that ran out). */
  stale: number;
  /** Deliveries per transport: { smtp: 3, log: 1 }. */
  byTransport: Record<string, number>;
}

/** Sent side by side: each send is bounded by NOTIFY_SEND_TIMEOUT_MS, so a batch finishes well inside the lease. */
export const DEFAULT_OUTBOX_BATCH_SIZE = 20;

/** One batch: claim up to batchSize due notices, send them, record each result. */
export async function runOutboxTick(deps: OutboxDeps, options: { batchSize?: number } = {}): Promise<OutboxTickResult> {
  const batchSize = options.batchSize ?? DEFAULT_OUTBOX_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer: ${batchSize}`);
  const now = deps.clock.now();
  const claimed = await deps.store.claimDue(now, batchSize, new Date(now.getTime() + deps.policy.leaseMs));
  const settled = await Promise.allSettled(claimed.map((notice) => deliverNotice(deps, notice)));
  const result: OutboxTickResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, stale: 0, byTransport: {} };
  let error: unknown;
  for (const s of settled) {
    if (s.status === 'rejected') {
      // The result could not be recorded (the database): the lease runs out and the notice is tried again.
      error ??= s.reason;
      continue;
    }
    const outcome: DeliveryOutcome = s.value;
    switch (outcome.type) {
      case 'sent':
        result.sent++;
        result.byTransport[outcome.transport] = (result.byTransport[outcome.transport] ?? 0) + 1;
        break;
      case 'retry':
        result.retried++;
        break;
      case 'failed':
        result.failed++;
        break;
      case 'stale':
        result.stale++;
    }
  }
  if (error !== undefined) throw error;
  return result;
}

export type OutboxWorker = WorkerLoop;

/** Delivers the outbox every intervalMs; a full batch is followed at once by another. */
export function startOutboxWorker(
  platform: Pick<Platform, 'outbox' | 'logger'>,
  options: { intervalMs: number; batchSize?: number; logger?: Logger },
): OutboxWorker {
  const logger = options.logger ?? platform.logger;
  const batchSize = options.batchSize ?? DEFAULT_OUTBOX_BATCH_SIZE;
  return startWorkerLoop({
    name: 'outbox',
    intervalMs: options.intervalMs,
    logger,
    batch: async () => {
      const r = await runOutboxTick(platform.outbox, { batchSize });
      if (r.claimed > 0) logger.info(r, 'outbox tick');
      return r.claimed >= batchSize;
    },
  });
}
