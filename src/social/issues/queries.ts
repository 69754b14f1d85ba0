/**
 * Reading issues and digests: who may (analysts, heads and admins — staff who watch a territory, not
 * citizens or the public), what the filters mean, and the digest's scope from a district or an akimat.
 * Pure over the reader it is given (src/storage/social-issue-store.ts).
 */
import { DomainError } from '../../core/errors.ts';
import type { Organisation } from '../../core/model.ts';
import { isStaff, type Principal } from '../../core/principal.ts';
import { buildDigest, localMidnight, type Digest, type DigestScope, type ResolvedCase } from '../digest/digest.ts';
import type { IssueRecord } from './record.ts';

export interface IssueReader {
  list(filter: { districtId?: string | undefined; city?: string | undefined; category?: string | undefined; since?: Date | undefined; limit?: number | undefined }): Promise<IssueRecord[]>;
  get(id: string): Promise<IssueRecord | null>;
  resolvedCases(input: { from: Date; to: Date; city?: string | null; districtId?: string | null }): Promise<ResolvedCase[]>;
}

export interface IssueQueryDeps {
  issues: IssueReader;
  districts: readonly { id: string; city: string }[];
  organisations: readonly Organisation[];
  categories: readonly { code: string }[];
}

const READERS: ReadonlySet<string> = new Set(['analyst', 'head', 'admin']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function assertCanReadIssues(p: Principal): void {
  if (p.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  if (!isStaff(p) || !READERS.has(p.role)) throw new DomainError('ERR_FORBIDDEN');
}

function checkDistrict(deps: IssueQueryDeps, districtId: string): void {
  if (!deps.districts.some((d) => d.id === districtId)) throw new DomainError('ERR_UNKNOWN_DISTRICT', undefined, { districtId });
}

export async function listIssues(deps: IssueQueryDeps, p: Principal, q: { district?: string | undefined; category?: string | undefined; since?: string | undefined; limit?: number | undefined }): Promise<IssueRecord[]> {
  assertCanReadIssues(p);
  if (q.district !== undefined) checkDistrict(deps, q.district);
  if (q.category !== undefined && !deps.categories.some((c) => c.code === q.category)) throw new DomainError('ERR_VALIDATION', 'Unknown category', { category: q.category });
  let since: Date | undefined;
  if (q.since !== undefined) {
    since = new Date(DATE.test(q.since) ? localMidnight(q.since) : q.since);
    if (Number.isNaN(since.getTime())) throw new DomainError('ERR_VALIDATION', 'since is a date (YYYY-MM-DD) or an ISO instant', { since: q.since });
  }
  return deps.issues.list({ districtId: q.district, category: q.category, since, limit: q.limit });
}

export async function readIssue(deps: IssueQueryDeps, p: Principal, id: string): Promise<IssueRecord> {
  assertCanReadIssues(p);
  const issue = await deps.issues.get(id);
  if (!issue) throw new DomainError('ERR_SOCIAL_ISSUE_NOT_FOUND', undefined, { id });
  return issue;
}

const AKIMATS: ReadonlySet<string> = new Set(['district_akimat', 'city_akimat']);

/** The digest's scope: a district, or an akimat (its district, or its whole city). */
export function digestScope(deps: IssueQueryDeps, q: { district?: string | undefined; akim?: string | undefined }): DigestScope {
  if ((q.district === undefined) === (q.akim === undefined)) throw new DomainError('ERR_VALIDATION', 'Give either district or akim', { district: q.district, akim: q.akim });
  if (q.district !== undefined) {
    checkDistrict(deps, q.district);
    return { kind: 'district', districtId: q.district };
  }
  const org = deps.organisations.find((o) => o.id === q.akim);
  if (!org || !AKIMATS.has(org.type)) throw new DomainError('ERR_UNKNOWN_ORGANISATION', 'Not an akimat of a district or a city', { organisationId: q.akim });
  return { kind: 'akim', organisationId: org.id, city: org.city, districtId: org.districtId };
}

export async function dailyDigest(deps: IssueQueryDeps, p: Principal, q: { district?: string | undefined; akim?: string | undefined; date: string }): Promise<Digest> {
  assertCanReadIssues(p);
  if (!DATE.test(q.date) || Number.isNaN(Date.parse(`${q.date}T00:00:00Z`))) throw new DomainError('ERR_VALIDATION', 'date is YYYY-MM-DD', { date: q.date });
  const scope = digestScope(deps, q);
  const from = localMidnight(q.date);
  const to = new Date(from.getTime() + 86_400_000);
  const city = scope.kind === 'akim' ? scope.city : null;
  const districtId = scope.kind === 'district' ? scope.districtId : scope.districtId;
  // Issues seen that day or later (a week's window: the trend needs the days before).
  const issues = await deps.issues.list({ ...(districtId ? { districtId } : { city: city ?? undefined }), since: from, limit: 1000 });
  const resolved = await deps.issues.resolvedCases({ from, to, city, districtId });
  return buildDigest({ date: q.date, scope, issues, resolved });
}
