/**
 * Social issues as stored (migration 0014): one row per issue (its counts, per-source/day/hour counts,
 * samples with personal data masked, summary) and one row per message that went to it. Also the two
 * reads of cases the issues need: recent cases to cluster, and the cases closed on a day (the digest).
 */
import type { ResolvedCase } from '../social/digest/digest.ts';
import type { CaseLike, MessageRef } from '../social/issues/message.ts';
import type { IssueRecord, NewMember } from '../social/issues/record.ts';
import { maskPii } from '../nlp/pii.ts';
import type { Db, Queryable } from './db.ts';

export interface IssueFilter {
  districtId?: string | undefined;
  city?: string | undefined;
  category?: string | undefined;
  /** Issues last seen at or after this instant. */
  since?: Date | undefined;
  limit?: number | undefined;
}

export interface SocialIssueStore {
  /** The issue's row (inserted or replaced) and its new members, in one transaction. */
  save(issue: IssueRecord, added: readonly NewMember[]): Promise<void>;
  list(filter: IssueFilter): Promise<IssueRecord[]>;
  get(id: string): Promise<IssueRecord | null>;
  /** Cases created since an instant (not confidential, not in triage), oldest first: to cluster. */
  recentCases(since: Date, limit: number): Promise<CaseLike[]>;
  /** Cases closed in [from, to) in a city or district. */
  resolvedCases(input: { from: Date; to: Date; city?: string | null; districtId?: string | null }): Promise<ResolvedCase[]>;
}

interface IssueRow {
  id: string;
  category: string;
  city: string | null;
  district_id: string | null;
  first_seen: Date;
  last_seen: Date;
  messages: number;
  posts: number;
  cases: number;
  duplicates: number;
  sources: Record<string, number>;
  daily: Record<string, number>;
  hourly: Record<string, number>;
  samples: { ref: MessageRef; source: string; time: string; text: string }[];
  summary: string[];
}

const UPSERT = `
  INSERT INTO social_issues (id, category, city, district_id, first_seen, last_seen, messages, posts, cases, duplicates, sources, daily, hourly, samples, summary, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
  ON CONFLICT (id) DO UPDATE SET first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, messages = EXCLUDED.messages,
    posts = EXCLUDED.posts, cases = EXCLUDED.cases, duplicates = EXCLUDED.duplicates, sources = EXCLUDED.sources, daily = EXCLUDED.daily,
    hourly = EXCLUDED.hourly, samples = EXCLUDED.samples, summary = EXCLUDED.summary, updated_at = now()`;

const INSERT_MEMBERS = `
  INSERT INTO social_issue_members (ref_kind, ref_id, issue_id, duplicate, at)
  SELECT k, r, $1, d, a FROM unnest($2::text[], $3::text[], $4::boolean[], $5::timestamptz[]) AS m(k, r, d, a)
  ON CONFLICT (ref_kind, ref_id) DO NOTHING`;

async function withMembers(db: Queryable, rows: IssueRow[]): Promise<IssueRecord[]> {
  if (rows.length === 0) return [];
  const members = await db.query<{ issue_id: string; ref_kind: 'post' | 'case'; ref_id: string }>(
    'SELECT issue_id, ref_kind, ref_id FROM social_issue_members WHERE issue_id = ANY($1::text[]) ORDER BY issue_id, at, ref_kind, ref_id',
    [rows.map((r) => r.id)],
  );
  const byIssue = new Map<string, MessageRef[]>();
  for (const m of members.rows) {
    const list = byIssue.get(m.issue_id) ?? [];
    list.push({ kind: m.ref_kind, id: m.ref_id });
    byIssue.set(m.issue_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    city: r.city,
    districtId: r.district_id,
    firstSeen: new Date(r.first_seen),
    lastSeen: new Date(r.last_seen),
    messages: r.messages,
    posts: r.posts,
    cases: r.cases,
    duplicates: r.duplicates,
    sources: r.sources,
    daily: r.daily,
    hourly: r.hourly,
    members: byIssue.get(r.id) ?? [],
    samples: r.samples.map((s) => ({ ...s, time: new Date(s.time) })),
    summary: r.summary,
  }));
}

export function createSocialIssueStore(db: Db): SocialIssueStore {
  return {
    async save(issue, added) {
      const samples = issue.samples.map((s) => ({ ref: s.ref, source: s.source, time: s.time.toISOString(), text: maskPii(s.text) }));
      await db.transaction(async (tx) => {
        await tx.query(UPSERT, [
          issue.id, issue.category, issue.city, issue.districtId, issue.firstSeen, issue.lastSeen, issue.messages, issue.posts, issue.cases, issue.duplicates,
          JSON.stringify(issue.sources), JSON.stringify(issue.daily), JSON.stringify(issue.hourly), JSON.stringify(samples), JSON.stringify(issue.summary.map(maskPii)),
        ]);
        if (added.length > 0) {
          await tx.query(INSERT_MEMBERS, [issue.id, added.map((m) => m.ref.kind), added.map((m) => m.ref.id), added.map((m) => m.duplicate), added.map((m) => m.at.toISOString())]);
        }
      });
    },
    async list(f) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown): void => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (f.districtId !== undefined) add('district_id = ?', f.districtId);
      if (f.city !== undefined) add('city = ?', f.city);
      if (f.category !== undefined) add('category = ?', f.category);
      if (f.since !== undefined) add('last_seen >= ?', f.since);
      params.push(Math.min(Math.max(f.limit ?? 100, 1), 1000));
      const rows = await db.query<IssueRow>(
        `SELECT * FROM social_issues ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY messages DESC, last_seen DESC, id LIMIT $${params.length}`,
        params,
      );
      return withMembers(db, rows.rows);
    },
    async get(id) {
      const rows = await db.query<IssueRow>('SELECT * FROM social_issues WHERE id = $1', [id]);
      return (await withMembers(db, rows.rows))[0] ?? null;
    },
    async recentCases(since, limit) {
      const rows = await db.query<{ id: string; channel: string; category: string; city: string | null; district_id: string | null; text: string; created_at: Date }>(
        `SELECT id, channel, category, city, district_id, text, created_at FROM cases
         WHERE created_at >= $1 AND NOT confidential AND NOT triage ORDER BY created_at, id LIMIT $2`,
        [since, limit],
      );
      return rows.rows.map((r) => ({ id: r.id, channel: r.channel, category: r.category, city: r.city, districtId: r.district_id, text: r.text, createdAt: new Date(r.created_at) }));
    },
    async resolvedCases({ from, to, city, districtId }) {
      const rows = await db.query<{ id: string; registration_number: string; category: string; city: string | null; district_id: string | null; closed_at: Date; outcome: string | null; issue_id: string | null }>(
        `SELECT c.id, c.registration_number, c.category, c.city, c.district_id, c.closed_at, c.outcome, m.issue_id
         FROM cases c LEFT JOIN social_issue_members m ON m.ref_kind = 'case' AND m.ref_id = c.id::text
         WHERE c.closed_at >= $1 AND c.closed_at < $2 AND NOT c.confidential
           AND ($3::text IS NULL OR c.city = $3) AND ($4::text IS NULL OR c.district_id = $4)
         ORDER BY c.closed_at, c.id LIMIT 500`,
        [from, to, city ?? null, districtId ?? null],
      );
      return rows.rows.map((r) => ({ caseId: r.id, registrationNumber: r.registration_number, category: r.category, city: r.city, districtId: r.district_id, closedAt: new Date(r.closed_at), outcome: r.outcome, issueId: r.issue_id }));
    },
  };
}
