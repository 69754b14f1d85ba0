/**
 * The daily digest of a district or of an akim (the akimat of a district, or of a whole city): the day's
 * top issues, the bursts that day, the cases resolved that day, each with links to its evidence (post
 * and case ids). Pure: the caller reads the issues and the closed cases.
 */
import { HOUR_MS } from '../issues/burst.ts';
import { strongestBurst, type BurstReading } from '../issues/burst.ts';
import { LOCAL_OFFSET_MS } from '../issues/clusterer.ts';
import { hourlyMap, type IssueRecord } from '../issues/record.ts';
import { maskPii } from '../../nlp/pii.ts';

export type DigestScope =
  | { kind: 'district'; districtId: string }
  /** An akimat: a district akimat covers its district; a city akimat its whole city. */
  | { kind: 'akim'; organisationId: string; city: string | null; districtId: string | null };

export interface ResolvedCase {
  caseId: string;
  registrationNumber: string;
  category: string;
  city: string | null;
  districtId: string | null;
  closedAt: Date;
  outcome: string | null;
  /** The issue the case belongs to, when it was clustered. */
  issueId: string | null;
}

export interface DigestIssue {
  id: string;
  category: string;
  city: string | null;
  districtId: string | null;
  messagesThatDay: number;
  messages: number;
  sources: Record<string, number>;
  firstSeen: Date;
  lastSeen: Date;
  /** Messages per day for the seven days up to the digest's date. */
  trend: { date: string; count: number }[];
  summary: string[];
  burst: BurstReading | null;
  evidence: { posts: string[]; cases: string[] };
}

export interface Digest {
  date: string;
  scope: DigestScope;
  messages: number;
  issues: number;
  topIssues: DigestIssue[];
  newBursts: DigestIssue[];
  resolved: ResolvedCase[];
}

const EVIDENCE_LINKS = 10;

/** Local midnight (UTC+5) of a YYYY-MM-DD date, as an instant. */
export const localMidnight = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET_MS);

export function inScope(scope: DigestScope, place: { city: string | null; districtId: string | null }): boolean {
  if (scope.kind === 'district') return place.districtId === scope.districtId;
  if (scope.districtId) return place.districtId === scope.districtId;
  return scope.city !== null && place.city === scope.city;
}

function shiftDay(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function digestIssue(r: IssueRecord, date: string, burst: BurstReading | null): DigestIssue {
  return {
    id: r.id,
    category: r.category,
    city: r.city,
    districtId: r.districtId,
    messagesThatDay: r.daily[date] ?? 0,
    messages: r.messages,
    sources: r.sources,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    trend: Array.from({ length: 7 }, (_, i) => shiftDay(date, i - 6)).map((d) => ({ date: d, count: r.daily[d] ?? 0 })),
    summary: r.summary.map(maskPii),
    burst,
    evidence: {
      posts: r.members.filter((m) => m.kind === 'post').slice(0, EVIDENCE_LINKS).map((m) => m.id),
      cases: r.members.filter((m) => m.kind === 'case').slice(0, EVIDENCE_LINKS).map((m) => m.id),
    },
  };
}

export function buildDigest(input: { date: string; scope: DigestScope; issues: readonly IssueRecord[]; resolved: readonly ResolvedCase[]; top?: number }): Digest {
  const { date, scope } = input;
  const fromHour = localMidnight(date).getTime() / HOUR_MS;
  const toHour = fromHour + 24;
  const active = input.issues.filter((r) => inScope(scope, r) && (r.daily[date] ?? 0) > 0);
  const withBursts = active.map((r) => ({ r, burst: strongestBurst(hourlyMap(r), fromHour, toHour) }));
  const order = (a: DigestIssue, b: DigestIssue): number => b.messagesThatDay - a.messagesThatDay || b.messages - a.messages || (a.id < b.id ? -1 : 1);
  const all = withBursts.map(({ r, burst }) => digestIssue(r, date, burst)).sort(order);
  const dayStart = localMidnight(date).getTime();
  const resolved = input.resolved
    .filter((c) => inScope(scope, c))
    .filter((c) => c.closedAt.getTime() >= dayStart && c.closedAt.getTime() < dayStart + 86_400_000)
    .sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime() || (a.caseId < b.caseId ? -1 : 1));
  return {
    date,
    scope,
    messages: all.reduce((n, i) => n + i.messagesThatDay, 0),
    issues: all.length,
    topIssues: all.slice(0, input.top ?? 5),
    newBursts: all.filter((i) => i.burst !== null).sort((a, b) => b.burst!.z - a.burst!.z),
    resolved,
  };
}
