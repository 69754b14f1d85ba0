import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import type { Db } from '../../storage/db.ts';
import { ManualClock } from '../manual-clock.ts';
import { createPlatform } from '../platform.ts';
import { createDemoAccounts } from './accounts.ts';
import { generateDemoCases } from './generate.ts';

export const DEMO_CASES = 2000;
export const DEMO_SEED = 20261125;

export async function hasCases(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM cases) AS any');
  return rows[0]!.any;
}

/**
 * Fills an empty database with the demo: accounts for every role and ~2,000 cases in every state.
 * Does nothing when cases already exist, so a restart never doubles the demo.
 */
export async function seedDemo(
  config: Config,
  db: Db,
  options: { secretKey: string; logger: Logger; cases?: number; onProgress?: (done: number, total: number) => void },
): Promise<{ accounts: number; cases: number } | null> {
  if (await hasCases(db)) return null;
  const clock = new ManualClock();
  const now = clock.now();
  const platform = await createPlatform(config, db, { secretKey: options.secretKey, logger: options.logger, clock });
  try {
    const staff = await createDemoAccounts(platform);
    const total = options.cases ?? DEMO_CASES;
    const cases = await generateDemoCases(platform, staff, {
      cases: total,
      seed: DEMO_SEED,
      now,
      clock,
      onProgress: (done) => options.onProgress?.(done, total),
    });
    return { accounts: staff.length, cases };
  } finally {
    platform.calendarAdmin.stop(); // this platform lives only for the seeding
  }
}
