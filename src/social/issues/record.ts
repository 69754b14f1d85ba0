/**
 * An issue as stored and served: plain JSON-able fields (the store's row, the API's body, the CLI's
 * line). Built from the clusterer's Issue with its summary; bursts are read from the hourly counts.
 */
import { summarise } from '../digest/summary.ts';
import type { Issue } from './clusterer.ts';
import type { MessageRef } from './message.ts';

/** A message newly assigned to an issue, as the store records it. */
export interface NewMember {
  ref: MessageRef;
  duplicate: boolean;
  at: Date;
}

/** Where the issues are kept (src/storage/social-issue-store.ts). */
export interface IssueSaver {
  save(issue: IssueRecord, added: readonly NewMember[]): Promise<void>;
  list(filter: { since?: Date | undefined; limit?: number | undefined }): Promise<IssueRecord[]>;
  recentCases(since: Date, limit: number): Promise<import('./message.ts').CaseLike[]>;
}

/** An issue as stored: the clusterer's Issue with its maps as plain records (JSON columns). */
export interface IssueRecord extends Omit<Issue, 'sources' | 'daily' | 'hourly'> {
  sources: Record<string, number>;
  daily: Record<string, number>;
  /** Hours since the epoch → messages (kept for burst detection). */
  hourly: Record<string, number>;
  /** The extractive summary (two or three representative sentences), as of the save. */
  summary: string[];
}

const sortedObject = <V>(m: ReadonlyMap<string | number, V>): Record<string, V> =>
  Object.fromEntries([...m.entries()].map(([k, v]) => [String(k), v] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function toRecord(i: Issue): IssueRecord {
  return {
    id: i.id,
    category: i.category,
    city: i.city,
    districtId: i.districtId,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    messages: i.messages,
    posts: i.posts,
    cases: i.cases,
    duplicates: i.duplicates,
    sources: sortedObject(i.sources),
    daily: sortedObject(i.daily),
    hourly: sortedObject(i.hourly),
    members: [...i.members],
    samples: i.samples.map((s) => ({ ...s })),
    summary: summarise(i.samples.map((s) => s.text)),
  };
}

export function fromRecord(r: IssueRecord): Issue {
  return {
    id: r.id,
    category: r.category,
    city: r.city,
    districtId: r.districtId,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    messages: r.messages,
    posts: r.posts,
    cases: r.cases,
    duplicates: r.duplicates,
    sources: new Map(Object.entries(r.sources)),
    daily: new Map(Object.entries(r.daily)),
    hourly: new Map(Object.entries(r.hourly).map(([k, v]) => [Number(k), v] as const)),
    members: [...r.members],
    samples: r.samples.map((s) => ({ ...s })),
  };
}

export const hourlyMap = (r: Pick<IssueRecord, 'hourly'>): Map<number, number> => new Map(Object.entries(r.hourly).map(([k, v]) => [Number(k), v] as const));
