/**
 * Issues: messages about one problem in one place at one time, from every channel.
 *
 * A message is first put in its bucket — category × district (or the city when the district is not
 * known) — and compared only with the issues of that bucket still open: last seen within the window
 * (72 hours). Within the bucket the text decides (fingerprint.ts): the best issue whose representatives
 * are similar enough (the topic threshold) takes it; a score over the near-duplicate threshold also
 * marks it a near-duplicate (a repost, a "+1", a quote). Otherwise it opens a new issue. Noise and
 * messages without a category or a place never form issues. Deterministic: the same messages in the
 * same order give the same issues, and an issue's id is its first message's.
 */
import { HOUR_MS, hourOf } from './burst.ts';
import { fingerprint, similarity, type Fingerprint, type SimilarityTuning, type TermWeights, DEFAULT_TUNING } from './fingerprint.ts';
import { refKey, type IssueMessage, type MessageRef } from './message.ts';
import type { ConceptMatcher } from '../../nlp/lexicon.ts';

export interface ClusterOptions {
  windowHours: number;
  /** Same issue at or above this score. */
  topicThreshold: number;
  /** Near-duplicate at or above this score (tuned on data/social/near-duplicates.jsonl). */
  duplicateThreshold: number;
  /** Fingerprints kept per issue to compare with: its first messages and its latest. */
  representatives: number;
  /** Texts kept per issue for its summary and samples. */
  samples: number;
  tuning: SimilarityTuning;
}

export const DEFAULT_CLUSTER: ClusterOptions = { windowHours: 72, topicThreshold: 0.2, duplicateThreshold: 0.5, representatives: 8, samples: 24, tuning: DEFAULT_TUNING };

/** Kazakhstan time (UTC+5, no daylight saving): a day's counts are local days. */
export const LOCAL_OFFSET_MS = 5 * HOUR_MS;
export const localDay = (t: Date): string => new Date(t.getTime() + LOCAL_OFFSET_MS).toISOString().slice(0, 10);

export interface IssueSample {
  ref: MessageRef;
  source: string;
  time: Date;
  text: string;
}

export interface Issue {
  id: string;
  category: string;
  city: string | null;
  districtId: string | null;
  firstSeen: Date;
  lastSeen: Date;
  messages: number;
  posts: number;
  cases: number;
  duplicates: number;
  /** Messages per source (feed or channel). */
  sources: Map<string, number>;
  /** Messages per local day (YYYY-MM-DD). */
  daily: Map<string, number>;
  /** Messages per hour (hours since the epoch), for burst detection. */
  hourly: Map<number, number>;
  members: MessageRef[];
  /** The first messages and the latest (up to `samples`). */
  samples: IssueSample[];
}

export type Assignment =
  | { issueId: string; opened: boolean; duplicate: boolean; score: number }
  | { skipped: 'noise' | 'no_category' | 'no_place' | 'already_assigned' };

interface Open {
  issue: Issue;
  reps: Fingerprint[];
}

export interface ClustererDeps {
  weights: TermWeights;
  matcher: ConceptMatcher | null;
}

export const bucketOf = (m: Pick<IssueMessage, 'category' | 'districtId' | 'city'>): string | null =>
  m.category === null ? null : m.districtId ? `${m.category}|d:${m.districtId}` : m.city ? `${m.category}|c:${m.city}` : null;

export class IssueClusterer {
  private readonly byId = new Map<string, Open>();
  private readonly buckets = new Map<string, string[]>();
  private readonly assigned = new Map<string, string>();
  readonly options: ClusterOptions;

  constructor(private readonly deps: ClustererDeps, options: Partial<ClusterOptions> = {}) {
    this.options = { ...DEFAULT_CLUSTER, ...options };
  }

  fingerprint(text: string): Fingerprint {
    return fingerprint(text, this.deps.weights, this.deps.matcher);
  }

  /** The issue a message already belongs to, if any. */
  issueOf(ref: MessageRef): string | null {
    return this.assigned.get(refKey(ref)) ?? null;
  }

  assign(m: IssueMessage, fp?: Fingerprint): Assignment {
    if (!m.relevant) return { skipped: 'noise' };
    if (m.category === null) return { skipped: 'no_category' };
    const bucket = bucketOf(m);
    if (bucket === null) return { skipped: 'no_place' };
    const key = refKey(m.ref);
    if (this.assigned.has(key)) return { skipped: 'already_assigned' };
    const print = fp ?? this.fingerprint(m.text);
    const since = m.time.getTime() - this.options.windowHours * HOUR_MS;
    let best: Open | null = null;
    let bestScore = 0;
    const list = this.buckets.get(bucket) ?? [];
    // Newest issues last: walk back, stop at ones closed by the window (they stay, only not offered).
    for (let i = list.length - 1; i >= 0; i--) {
      const open = this.byId.get(list[i]!)!;
      if (open.issue.lastSeen.getTime() < since) continue;
      let score = 0;
      for (const rep of open.reps) score = Math.max(score, similarity(print, rep, this.options.tuning));
      if (score > bestScore) {
        bestScore = score;
        best = open;
      }
    }
    let opened = false;
    if (best === null || bestScore < this.options.topicThreshold) {
      best = this.open(m, bucket);
      opened = true;
    }
    this.add(best, m, print);
    this.assigned.set(key, best.issue.id);
    const duplicate = !opened && bestScore >= this.options.duplicateThreshold;
    if (duplicate) best.issue.duplicates++;
    return { issueId: best.issue.id, opened, duplicate, score: Math.round(bestScore * 1000) / 1000 };
  }

  private open(m: IssueMessage, bucket: string): Open {
    const issue: Issue = {
      id: `${m.ref.kind}-${m.ref.id}`,
      category: m.category!,
      city: m.city,
      districtId: m.districtId,
      firstSeen: m.time,
      lastSeen: m.time,
      messages: 0,
      posts: 0,
      cases: 0,
      duplicates: 0,
      sources: new Map(),
      daily: new Map(),
      hourly: new Map(),
      members: [],
      samples: [],
    };
    const open = { issue, reps: [] };
    this.byId.set(issue.id, open);
    const list = this.buckets.get(bucket);
    if (list) list.push(issue.id);
    else this.buckets.set(bucket, [issue.id]);
    return open;
  }

  private add(open: Open, m: IssueMessage, print: Fingerprint): void {
    const i = open.issue;
    i.messages++;
    if (m.ref.kind === 'post') i.posts++;
    else i.cases++;
    if (m.time < i.firstSeen) i.firstSeen = m.time;
    if (m.time > i.lastSeen) i.lastSeen = m.time;
    i.sources.set(m.source, (i.sources.get(m.source) ?? 0) + 1);
    const day = localDay(m.time);
    i.daily.set(day, (i.daily.get(day) ?? 0) + 1);
    const hour = hourOf(m.time);
    i.hourly.set(hour, (i.hourly.get(hour) ?? 0) + 1);
    i.members.push(m.ref);
    const sample = { ref: m.ref, source: m.source, time: m.time, text: m.text };
    const keep = this.options.samples;
    // The first half of the slots keep the earliest messages, the rest roll with the latest.
    if (i.samples.length >= keep) i.samples.splice(Math.floor(keep / 2), 1);
    i.samples.push(sample);
    const reps = this.options.representatives;
    if (open.reps.length < reps) open.reps.push(print);
    else open.reps[Math.floor(reps / 2) + ((i.messages - 1) % Math.ceil(reps / 2))] = print;
  }

  /** Puts back an issue read from the store (its representatives from its samples). */
  restore(issue: Issue): void {
    const bucket = bucketOf(issue);
    if (bucket === null || this.byId.has(issue.id)) return;
    const reps = issue.samples.slice(-this.options.representatives).map((s) => this.fingerprint(s.text));
    this.byId.set(issue.id, { issue, reps });
    const list = this.buckets.get(bucket);
    if (list) list.push(issue.id);
    else this.buckets.set(bucket, [issue.id]);
    for (const r of issue.members) this.assigned.set(refKey(r), issue.id);
  }

  get(id: string): Issue | null {
    return this.byId.get(id)?.issue ?? null;
  }

  issues(): Issue[] {
    return [...this.byId.values()].map((o) => o.issue);
  }
}
