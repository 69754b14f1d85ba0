/**
 * Write-behind for one tick of the deadline worker: the core still decides every deadline one by one
 * (handleDueDeadline), but the rows it writes reach the database a batch at a time.
 *
 * - The cases the core will lock are locked up front in one statement (FOR UPDATE SKIP LOCKED, as
 *   tryLockCase); tryLockCase then answers from those records, null for a case another transaction holds.
 * - saveDeadline, appendEvent, register (the silence complaint: a case, its event and its deadline) and
 *   enqueueNotification are buffered and written together in one statement, in call order.
 * - Any other call, on the transaction or on the store, first writes the buffer: the database sees the
 *   same rows, events in the same order, and a read sees every earlier write. Only taking a registration
 *   number skips it: a sequence, no row the buffer holds. Only the round trips are merged.
 *
 * Everything stays inside the claiming transaction: a crash or a kill rolls the batch back whole, as before.
 */
import type { DeadlineDeps } from '../core/deadlines.ts';
import type { CaseRecord } from '../core/model.ts';
import type { CaseStore, CaseTransaction } from '../core/ports.ts';
import { decideDeadline, type Deadline } from '../core/sla/deadline-rules.ts';
import { batchable, type BatchEntry, type DeadlineBatch } from '../storage/deadline-batch.ts';

/** Calls that change no existing case row: the records locked up front stay current across them. */
const LEAVES_CASES = new Set<PropertyKey>([
  // CaseTransaction
  'lockCase', 'register', 'insertMessage', 'insertAttachment', 'meetOpenDeadlines', 'insertDeadline', 'deadlinesOf', 'latestEvent',
  'saveRating', 'claimDueDeadlines', 'enqueueNotification',
  // CaseStore
  'nextRegistrationSequence', 'get', 'getByRegistrationNumber', 'getByTrackingCodeHash', 'list', 'events', 'deadlines', 'messages',
  'attachments', 'attachment', 'findIdempotent',
]);

export interface TickScope {
  /** The dependencies and the transaction to hand to the core. */
  deps: DeadlineDeps;
  tx: CaseTransaction;
  /** Writes what is buffered; call it before the transaction commits. */
  flush(): Promise<void>;
}

/** Calls that read and write no row the buffer holds: they need no flush first. */
const BESIDE_BUFFER = new Set<PropertyKey>(['nextRegistrationSequence']);

type Method = (...args: unknown[]) => unknown;

export async function writeBehind(deps: DeadlineDeps, tx: CaseTransaction, batch: DeadlineBatch, claimed: readonly Deadline[], now: Date): Promise<TickScope> {
  let saves: Deadline[] = [];
  let entries: BatchEntry[] = [];
  const flush = async (): Promise<void> => {
    if (saves.length === 0 && entries.length === 0) return;
    const [s, e] = [saves, entries];
    saves = [];
    entries = [];
    await batch.write(s, e);
  };

  // The cases of the deadlines that need a decision: the ones handleDueDeadline locks.
  const wanted = new Set(claimed.filter((d) => decideDeadline(d, now) !== null).map((d) => d.caseId));
  const locked = new Map<string, CaseRecord>((await batch.tryLockCases([...wanted])).map((r) => [r.id, r]));
  const forget = (): void => {
    wanted.clear();
    locked.clear();
  };

  /** Every method of target, unless overridden, writes the buffer first; one that may change a case drops the locked records. */
  const flushingFirst = <T extends object>(target: T, overrides: Partial<T>): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        if (Object.hasOwn(overrides, prop)) return (overrides as Record<PropertyKey, unknown>)[prop];
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (!BESIDE_BUFFER.has(prop)) await flush();
          const out: unknown = await (value as Method).apply(t, args);
          if (!LEAVES_CASES.has(prop)) forget();
          return out;
        };
      },
    });

  const txOverrides: Partial<CaseTransaction> = {
    async saveDeadline(d) {
      saves.push(d);
    },
    async appendEvent(event) {
      entries.push({ event });
    },
    async enqueueNotification(notification, at) {
      entries.push({ notification, at });
    },
    async register(registration) {
      if (batchable(registration)) {
        entries.push({ registration });
        return;
      }
      await flush();
      await tx.register(registration);
    },
    async tryLockCase(id) {
      if (wanted.has(id)) return locked.get(id) ?? null;
      await flush();
      return tx.tryLockCase(id);
    },
    async updateCase(record) {
      await flush();
      await tx.updateCase(record);
      if (locked.has(record.id)) locked.set(record.id, record);
    },
  };
  const store: CaseStore = flushingFirst(deps.store, {});
  return { deps: { ...deps, store }, tx: flushingFirst(tx, txOverrides), flush };
}
