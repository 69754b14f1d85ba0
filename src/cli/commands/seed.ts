import { seedDemo } from '../../app/demo/seed-demo.ts';
import { resolveSecretKey } from '../../app/secret-key.ts';
import { seedReferenceData } from '../../app/seed.ts';
import { openContext } from '../context.ts';
import { progressBar } from '../progress.ts';

export async function seed(options: { demo?: boolean; cases?: string }): Promise<void> {
  const ctx = await openContext();
  try {
    const counts = await seedReferenceData(ctx.db);
    process.stdout.write(`reference data: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
    if (!options.demo) return;
    let bar: ReturnType<typeof progressBar> | undefined;
    const seeded = await seedDemo(ctx.config, ctx.db, {
      secretKey: resolveSecretKey(ctx.config),
      logger: ctx.logger,
      cases: options.cases ? Number.parseInt(options.cases, 10) : undefined,
      onProgress: (done, total) => (bar ??= progressBar('demo cases', total)).update(done),
    });
    bar?.stop();
    process.stdout.write(seeded ? `demo: ${seeded.accounts} accounts, ${seeded.cases} cases\n` : 'demo: cases already exist, nothing added\n');
  } finally {
    await ctx.close();
  }
}
