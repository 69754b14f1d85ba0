/**
 * The deadline worker: the legal clock acting by itself. Each tick claims the open deadlines whose next
 * check has come (FOR UPDATE SKIP LOCKED, so several workers share the work without taking a row twice)
 * and handles them in the claiming transaction: a crash or a kill rolls the whole batch back and the next
 * tick takes it again; nothing is lost and nothing fires twice.
 */
import type { Logger } from 'pino';
import type { Platform } from '../app/platform.ts';
import { handleDueDeadline, type DeadlineDeps } from '../core/deadlines.ts';

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
});

/** One batch: claim up to batchSize due deadlines and handle them, all in one transaction. */
export async function runDeadlineTick(deps: DeadlineDeps, options: { batchSize?: number } = {}): Promise<DeadlineTickResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer: ${batchSize}`);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const claimed = await tx.claimDueDeadlines(now, batchSize);
    const result = emptyResult();
    result.claimed = claimed.length;
    for (const deadline of claimed) {
      const handled = await handleDueDeadline(deps, tx, deadline, now);
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
        case 'breached':
          result.breached++;
          if (handled.escalatedTo) result.escalated++;
          if (handled.silenceRefusal) result.silenceRefusals++;
          if (handled.complaint) result.complaintsFiled++;
      }
    }
    return result;
  });
}

export interface DeadlineWorker {
  /** Stops the loop and waits for a running tick to finish (commit or roll back). */
  stop(): Promise<void>;
}

/** Batches one wake-up may run back to back before sleeping again (catching up after downtime). */
const MAX_BATCHES_PER_WAKE = 50;

/**
 * Runs ticks every intervalMs (a setTimeout chain: a slow tick never overlaps the next). A full batch is
 * followed at once by another, so a backlog drains quickly. Errors are logged, never thrown: the next
 * tick simply tries again.
 */
export function startDeadlineWorker(
  platform: Pick<Platform, 'deadlines' | 'logger'>,
  options: { intervalMs: number; batchSize?: number; logger?: Logger },
): DeadlineWorker {
  const logger = options.logger ?? platform.logger;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) throw new RangeError(`intervalMs must be positive: ${options.intervalMs}`);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  const wake = async (): Promise<void> => {
    for (let i = 0; i < MAX_BATCHES_PER_WAKE && !stopped; i++) {
      const r = await runDeadlineTick(platform.deadlines, { batchSize });
      if (r.warned + r.breached + r.met > 0) logger.info(r, 'deadline tick');
      const progressed = r.claimed - r.busy > 0;
      if (r.claimed < batchSize || !progressed) break;
    }
  };

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = wake()
        .catch((err: unknown) => logger.error({ err }, 'deadline tick failed'))
        .finally(() => {
          running = undefined;
          schedule(options.intervalMs);
        });
    }, delay);
    // The worker never keeps the process alive by itself.
    timer.unref();
  };

  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
