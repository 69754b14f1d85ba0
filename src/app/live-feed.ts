import type { Logger } from 'pino';
import type { CaseChange, LiveFeed, LiveFeedFilter } from '../core/ports.ts';
import type { LiveFeedStore } from '../storage/live-feed-store.ts';

/** An id below the cursor that was not there yet: a transaction still open (or rolled back). Looked for this long. */
const MISSING_FOR_MS = 15_000;
const MAX_MISSING = 10_000;
const BATCH = 1_000;

interface Subscription {
  filter: LiveFeedFilter;
  listener: (change: CaseChange) => void;
}

export interface PollingLiveFeed extends LiveFeed {
  /** Reads what committed since the last poll and tells the subscribers; returns how many changes it read. */
  poll(): Promise<number>;
  subscribers(): number;
  stop(): void;
}

const matches = (f: LiveFeedFilter, c: CaseChange): boolean =>
  (f.caseId === undefined || f.caseId === c.caseId) &&
  (f.channel === undefined || f.channel === c.channel) &&
  (f.organisationId === undefined || f.organisationId === c.organisationId || f.organisationId === c.fromOrganisationId);

/**
 * The live feed over case_events, which every node writes: each node polls the table after its cursor, so a
 * change made on any node reaches the boards of all (no broker needed; NOTIFY would serialise every commit).
 * Ids of a sequence commit out of order, so an id skipped by a poll is looked for again for a while.
 * It polls only while someone listens: a CLI command or a test that never subscribes costs nothing.
 */
export function createLiveFeed(store: LiveFeedStore, options: { intervalMs: number; logger: Logger }): PollingLiveFeed {
  const subs = new Set<Subscription>();
  let cursor: number | null = null;
  const missing = new Map<number, number>(); // id → when first missed (ms)
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<number> | null = null;

  function remember(from: number, to: number, seen: Set<number>, now: number): void {
    for (let id = from + 1; id < to && missing.size < MAX_MISSING; id++) if (!seen.has(id)) missing.set(id, now);
  }

  async function readOnce(): Promise<number> {
    if (cursor === null) {
      cursor = await store.latestEventId();
      return 0;
    }
    const now = Date.now();
    for (const [id, since] of missing) if (now - since > MISSING_FOR_MS) missing.delete(id);
    const changes = await store.changesAfter(cursor, [...missing.keys()], BATCH);
    const seen = new Set<number>();
    for (const change of changes) {
      seen.add(change.eventId);
      missing.delete(change.eventId);
      if (change.eventId > cursor) {
        remember(cursor, change.eventId, seen, now);
        cursor = change.eventId;
      }
      for (const sub of subs) {
        if (!matches(sub.filter, change)) continue;
        try {
          sub.listener(change);
        } catch (err) {
          options.logger.warn({ err }, 'live feed listener failed');
        }
      }
    }
    return changes.length;
  }

  const poll = (): Promise<number> => {
    // One read at a time: a slow database must not pile up overlapping polls.
    polling ??= readOnce().finally(() => (polling = null));
    return polling;
  };

  function tick(): void {
    poll().then(
      (n) => schedule(n === BATCH ? 0 : options.intervalMs),
      (err: unknown) => {
        options.logger.warn({ err }, 'live feed poll failed');
        schedule(options.intervalMs);
      },
    );
  }
  function schedule(ms: number): void {
    if (subs.size === 0 || options.intervalMs === 0) {
      timer = null;
      return;
    }
    timer = setTimeout(tick, ms);
    timer.unref();
  }

  return {
    subscribe(filter, listener) {
      const sub = { filter, listener };
      subs.add(sub);
      if (cursor === null) void poll().catch((err: unknown) => options.logger.warn({ err }, 'live feed start failed'));
      if (!timer && options.intervalMs > 0) schedule(options.intervalMs);
      return () => {
        subs.delete(sub);
        if (subs.size === 0 && timer) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
    poll,
    subscribers: () => subs.size,
    stop() {
      subs.clear();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
