/**
 * The issue clustering as ingestion's PostSink: each new post goes to an issue and the issue is saved
 * with it (the clusterer in memory decides, the store keeps). Cases of the other channels join through
 * `addCases`. Edits and deletions change no issue: the post was counted once, as first seen, and the
 * evidence store keeps its versions (a deletion is recorded, not applied). A restart restores the issues
 * still open (last seen within the window) from the store. Saves are serialised, so counts never race.
 */
import type { PostSink, SinkKind, SocialPost } from '../post.ts';
import { HOUR_MS } from './burst.ts';
import type { Assignment, IssueClusterer } from './clusterer.ts';
import { caseMessage, postMessage, type CaseLike, type IssueMessage } from './message.ts';
import { fromRecord, toRecord, type IssueSaver } from './record.ts';

export interface IssueCounts {
  assigned: number;
  opened: number;
  duplicates: number;
  skipped: Record<string, number>;
}

export class IssueService implements PostSink {
  private chain: Promise<unknown> = Promise.resolve();
  readonly counts: IssueCounts = { assigned: 0, opened: 0, duplicates: 0, skipped: {} };

  constructor(readonly clusterer: IssueClusterer, private readonly store: IssueSaver) {}

  /** The open issues read back into the clusterer (call once, before the first post). */
  async restore(now: Date): Promise<number> {
    const since = new Date(now.getTime() - this.clusterer.options.windowHours * HOUR_MS);
    const open = await this.store.list({ since, limit: 1000 });
    // Oldest first, as they were opened.
    for (const r of [...open].sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime() || (a.id < b.id ? -1 : 1))) this.clusterer.restore(fromRecord(r));
    return open.length;
  }

  accept(post: SocialPost, kind: SinkKind): Promise<void> {
    if (kind !== 'new') return Promise.resolve();
    return this.serial(async () => {
      await this.take(postMessage(post));
    });
  }

  /** Cases (any channel) into the issues; a case already in one is skipped. */
  addCases(cases: readonly CaseLike[]): Promise<void> {
    return this.serial(async () => {
      for (const c of cases) await this.take(caseMessage(c));
    });
  }

  /** Cases created since an instant, read from the store and clustered. */
  async addRecentCases(since: Date, limit = 10_000): Promise<number> {
    const cases = await this.store.recentCases(since, limit);
    await this.addCases(cases);
    return cases.length;
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async take(m: IssueMessage): Promise<Assignment> {
    const a = this.clusterer.assign(m);
    if ('skipped' in a) {
      this.counts.skipped[a.skipped] = (this.counts.skipped[a.skipped] ?? 0) + 1;
      return a;
    }
    this.counts.assigned++;
    if (a.opened) this.counts.opened++;
    if (a.duplicate) this.counts.duplicates++;
    const issue = this.clusterer.get(a.issueId)!;
    await this.store.save(toRecord(issue), [{ ref: m.ref, duplicate: a.duplicate, at: m.time }]);
    return a;
  }
}
