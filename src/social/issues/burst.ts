/**
 * Burst detection: is an issue growing faster than its own baseline?
 *
 * Hourly message counts are a Poisson process whose rate λ is followed by an exponentially weighted
 * moving average (EWMA, α = 0.3 per hour) of the hours before the one tested, starting from a small
 * prior rate (0.2 an hour: a quiet issue). The tested hour's count k gives z = (k − λ) / √λ, the
 * Poisson z-score. A burst is z ≥ 4 with at least 5 messages in the hour (a handful of posts in a quiet
 * issue is not yet a burst). Pure and deterministic: the same counts give the same answer.
 */
export interface BurstOptions {
  alpha: number;
  priorPerHour: number;
  minZ: number;
  minCount: number;
  /** Hours of history the average looks at (older hours count as zero and have decayed anyway). */
  lookbackHours: number;
}

export const DEFAULT_BURST: BurstOptions = { alpha: 0.3, priorPerHour: 0.2, minZ: 4, minCount: 5, lookbackHours: 72 };

export interface BurstReading {
  hour: number;
  count: number;
  expected: number;
  z: number;
  burst: boolean;
}

export const HOUR_MS = 3_600_000;
export const hourOf = (t: Date): number => Math.floor(t.getTime() / HOUR_MS);

/** The reading of one hour (hours since the epoch) against the hours before it. */
export function burstAt(hourly: ReadonlyMap<number, number>, hour: number, o: BurstOptions = DEFAULT_BURST): BurstReading {
  let rate = o.priorPerHour;
  for (let h = hour - o.lookbackHours; h < hour; h++) rate = o.alpha * (hourly.get(h) ?? 0) + (1 - o.alpha) * rate;
  const expected = Math.max(rate, o.priorPerHour);
  const count = hourly.get(hour) ?? 0;
  const z = (count - expected) / Math.sqrt(expected);
  return { hour, count, expected: Math.round(expected * 100) / 100, z: Math.round(z * 100) / 100, burst: z >= o.minZ && count >= o.minCount };
}

/** The strongest burst among the hours [fromHour, toHour): null when none. */
export function strongestBurst(hourly: ReadonlyMap<number, number>, fromHour: number, toHour: number, o: BurstOptions = DEFAULT_BURST): BurstReading | null {
  let best: BurstReading | null = null;
  for (const h of [...hourly.keys()].filter((k) => k >= fromHour && k < toHour).sort((a, b) => a - b)) {
    const r = burstAt(hourly, h, o);
    if (r.burst && (best === null || r.z > best.z)) best = r;
  }
  return best;
}
