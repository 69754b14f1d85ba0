import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import type { Db } from '../../storage/db.ts';
import { ManualClock } from '../manual-clock.ts';
import { createPlatform } from '../platform.ts';
import { createDemoAccounts } from './accounts.ts';
import { generateDemoCases } from './generate.ts';
import { seedChildDemo } from './child.ts';
import { seedCityDemo } from './city.ts';
import { seedOpen311Demo } from './open311.ts';
import { seedPoliceReports } from './police.ts';
import { seedTelegramDemo } from './telegram.ts';

/** What the demo made: counts per door, and the Open311 client's key (shown once, like any new key). */
export interface DemoSummary {
  accounts: number;
  cases: number;
  doors: { police: number; city: number; child: number; telegram: number; open311: number };
  open311ApiKey: string;
}

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
): Promise<DemoSummary | null> {
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
    // Each door's own format, through its own command, so the live boards show cases from every door.
    const police = await seedPoliceReports(platform, { clock });
    const city = await seedCityDemo(platform, { clock });
    const child = await seedChildDemo(platform, { clock });
    const telegram = await seedTelegramDemo(platform);
    const open311 = await seedOpen311Demo(platform, staff);
    return {
      accounts: staff.length,
      cases,
      doors: { police, city, child, telegram: telegram.cases, open311: open311.filed },
      open311ApiKey: open311.apiKey,
    };
  } finally {
    platform.calendarAdmin.stop(); // this platform lives only for the seeding
  }
}
