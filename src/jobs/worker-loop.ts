import type { Logger } from 'pino';

export interface WorkerLoop {
  /** Stops the loop and waits for a running wake-up to finish (commit or roll back). */
  stop(): Promise<void>;
}

/** Batches one wake-up may run back to back before sleeping again (catching up after downtime). */
const MAX_BATCHES_PER_WAKE = 50;

/**
 * The loop every worker runs: a wake-up every intervalMs (a setTimeout chain, so a slow one never overlaps
 * the next), in which batches run back to back while `batch` says there is more. Errors are logged, never
 * thrown: the next wake-up tries again. The timer never keeps the process alive by itself.
 */
export function startWorkerLoop(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  /** One batch; true when a full batch was done and another may follow at once. */
  batch: () => Promise<boolean>;
}): WorkerLoop {
  const { name, intervalMs, logger } = options;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`intervalMs must be positive: ${intervalMs}`);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  const wake = async (): Promise<void> => {
    for (let i = 0; i < MAX_BATCHES_PER_WAKE && !stopped; i++) if (!(await options.batch())) break;
  };

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = wake()
        .catch((err: unknown) => logger.error({ err }, `${name} tick failed`))
        .finally(() => {
          running = undefined;
          schedule(intervalMs);
        });
    }, delay);
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
