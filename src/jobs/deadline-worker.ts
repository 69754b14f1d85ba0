/**
 * The deadline worker: the legal clock acting by itself. Each tick claims the open deadlines whose next
 * check has come (FOR UPDATE SKIP LOCKED, so several workers share the work without taking a row twice)
 * and handles them in the claiming transaction: a crash or a kill rolls the whole batch back and the next
 * tick takes it again; nothing is lost and nothing fires twice.
 */
import type { Logger } from 'pino';
import { startWorkerLoop, type WorkerLoop } from './worker-loop.ts';
import type { Platform } from '../app/platform.ts';
import { handleDueDeadline, type DeadlineDeps } from '../core/deadlines.ts';
import { deadlineBatchOf } from '../storage/deadline-batch.ts';
import { writeBehind, type TickScope } from './deadline-write-behind.ts';

export interface DeadlineTickResult {
  /** Deadlines claimed in this tick. */
  claimed: number;
  warned: number;
  breached: number;
  /** Breaches escalated to the responsible organisation's higher body. */
  escalated: number;
  silenceRefusals: number;
  complaintsFiled: number;
  /** Claimed deadlines whose case had already stopped its clock. */
  met: number;
  /** Left for the next tick: another transaction was changing the case. */
  busy: number;
  rescheduled: number;
  /** Timers that went off (the applicant's deadline lapsed, a survey sent) or were no longer needed. */
  fired: number;
  cancelled: number;
}

export const DEFAULT_BATCH_SIZE = 500;

const emptyResult = (): DeadlineTickResult => ({
  claimed: 0,
  warned: 0,
  breached: 0,
  escalated: 0,
  silenceRefusals: 0,
  complaintsFiled: 0,
  met: 0,
  busy: 0,
  rescheduled: 0,
  fired: 0,
  cancelled: 0,
});

/** One batch: claim up to batchSize due deadlines and handle them, all in one transaction. */
export async function runDeadlineTick(deps: DeadlineDeps, options: { batchSize?: number } = {}): Promise<DeadlineTickResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer: ${batchSize}`);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const claimed = await tx.claimDueDeadlines(now, batchSize);
    // Set-based when the store offers it (a few statements per batch instead of a few per deadline); the same writes either way.
    const batch = deadlineBatchOf(tx);
    const scope: TickScope = batch ? await writeBehind(deps, tx, batch, claimed, now) : { deps, tx, flush: async () => undefined };
    const result = emptyResult();
    result.claimed = claimed.length;
    for (const deadline of claimed) {
      const handled = await handleDueDeadline(scope.deps, scope.tx, deadline, now);
      switch (handled.type) {
        case 'busy':
          result.busy++;
          break;
        case 'rescheduled':
          result.rescheduled++;
          break;
        case 'met':
          result.met++;
          break;
        case 'warned':
          result.warned++;
          break;
        case 'fired':
          result.fired++;
          break;
        case 'cancelled':
          result.cancelled++;
          break;
        case 'breached':
          result.breached++;
          if (handled.escalatedTo) result.escalated++;
          if (handled.silenceRefusal) result.silenceRefusals++;
          if (handled.complaint) result.complaintsFiled++;
      }
    }
    await scope.flush();
    return result;
  });
}

export type DeadlineWorker = WorkerLoop;

/**
 * Runs ticks every intervalMs; a full batch is followed at once by another, so a backlog drains quickly
 * (a batch of only busy cases waits for the next wake-up).
 */
export function startDeadlineWorker(
  platform: Pick<Platform, 'deadlines' | 'logger'>,
  options: { intervalMs: number; batchSize?: number; logger?: Logger },
): DeadlineWorker {
  const logger = options.logger ?? platform.logger;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  return startWorkerLoop({
    name: 'deadline',
    intervalMs: options.intervalMs,
    logger,
    batch: async () => {
      const r = await runDeadlineTick(platform.deadlines, { batchSize });
      if (r.warned + r.breached + r.met + r.fired > 0) logger.info(r, 'deadline tick');
      return r.claimed >= batchSize && r.claimed - r.busy > 0;
    },
  });
}
