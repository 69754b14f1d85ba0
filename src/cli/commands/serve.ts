import { seedDemo } from '../../app/demo/seed-demo.ts';
import { resolveSecretKey } from '../../app/secret-key.ts';
import { buildApp } from '../../http/app.ts';
import { startDeadlineWorker } from '../../jobs/deadline-worker.ts';
import { startOutboxWorker } from '../../jobs/outbox-worker.ts';
import { openContext, openPlatform } from '../context.ts';
import { progressBar } from '../progress.ts';

export async function serve(options: { demo?: boolean }): Promise<void> {
  const ctx = await openContext(options.demo ? { DEMO: true } : {}, 'stdout');
  const { config, logger } = ctx;
  const platform = await openPlatform(ctx);
  if (config.DEMO) {
    let bar: ReturnType<typeof progressBar> | undefined;
    const seeded = await seedDemo(config, ctx.db, {
      secretKey: resolveSecretKey(config),
      logger,
      onProgress: (done, total) => (bar ??= progressBar('demo cases', total)).update(done),
    });
    bar?.stop();
    if (seeded) logger.info(seeded, 'demo data created');
  }
  const app = await buildApp(platform);
  const worker = config.DEADLINE_WORKER_INTERVAL_MS > 0 ? startDeadlineWorker(platform, { intervalMs: config.DEADLINE_WORKER_INTERVAL_MS }) : null;
  const outboxWorker = config.NOTIFY_WORKER_INTERVAL_MS > 0 ? startOutboxWorker(platform, { intervalMs: config.NOTIFY_WORKER_INTERVAL_MS }) : null;
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await worker?.stop();
    await outboxWorker?.stop();
    await Promise.all(platform.outbox.transports.map((t) => t.close?.()));
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address, docs: `${address}/api/v1/docs`, demo: config.DEMO }, 'Tyndau is listening');
}
