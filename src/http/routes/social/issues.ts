/**
 * Social issues and the daily digest (issue 7), for analysts, heads and admins:
 * GET /social/issues (district, category, since), GET /social/issues/:id,
 * GET /social/digest?district=…&date=… or ?akim=<akimat id>&date=…
 * Texts are served with personal data masked; the evidence is linked by post and case ids.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { maskPii } from '../../../nlp/pii.ts';
import type { Digest, DigestIssue } from '../../../social/digest/digest.ts';
import { dailyDigest, listIssues, readIssue, type IssueQueryDeps } from '../../../social/issues/queries.ts';
import type { IssueRecord } from '../../../social/issues/record.ts';
import { createSocialIssueStore } from '../../../storage/social-issue-store.ts';
import { errorResponses, Nullable } from '../common-schema.ts';

const Ref = Type.Object({ kind: Type.Union([Type.Literal('post'), Type.Literal('case')]), id: Type.String() });
const Counts = Type.Record(Type.String(), Type.Integer());

const Issue = Type.Object({
  id: Type.String(),
  category: Type.String(),
  city: Nullable(Type.String()),
  districtId: Nullable(Type.String()),
  districts: Type.Array(Type.String()),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  messages: Type.Integer(),
  posts: Type.Integer(),
  cases: Type.Integer(),
  duplicates: Type.Integer(),
  sources: Counts,
  trend: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() }), { description: 'Messages per local day' }),
  summary: Type.Array(Type.String()),
  postIds: Type.Array(Type.String()),
  caseIds: Type.Array(Type.String()),
});

const IssueDetail = Type.Object({
  ...Issue.properties,
  samples: Type.Array(Type.Object({ ref: Ref, source: Type.String(), time: Type.String({ format: 'date-time' }), text: Type.String() })),
});

const Burst = Type.Object({ hour: Type.Integer(), count: Type.Integer(), expected: Type.Number(), z: Type.Number(), burst: Type.Boolean() });
const DigestIssueSchema = Type.Object({
  id: Type.String(),
  category: Type.String(),
  city: Nullable(Type.String()),
  districtId: Nullable(Type.String()),
  messagesThatDay: Type.Integer(),
  messages: Type.Integer(),
  sources: Counts,
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  trend: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() })),
  summary: Type.Array(Type.String()),
  burst: Nullable(Burst),
  evidence: Type.Object({ posts: Type.Array(Type.String()), cases: Type.Array(Type.String()) }),
});
const DigestSchema = Type.Object({
  date: Type.String(),
  scope: Type.Object({ kind: Type.String(), districtId: Type.Optional(Nullable(Type.String())), organisationId: Type.Optional(Type.String()), city: Type.Optional(Nullable(Type.String())) }),
  messages: Type.Integer(),
  issues: Type.Integer(),
  topIssues: Type.Array(DigestIssueSchema),
  newBursts: Type.Array(DigestIssueSchema),
  resolved: Type.Array(Type.Object({
    caseId: Type.String(),
    registrationNumber: Type.String(),
    category: Type.String(),
    city: Nullable(Type.String()),
    districtId: Nullable(Type.String()),
    closedAt: Type.String({ format: 'date-time' }),
    outcome: Nullable(Type.String()),
    issueId: Nullable(Type.String()),
  })),
});

const ListQuery = Type.Object(
  {
    district: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    since: Type.Optional(Type.String({ minLength: 10, maxLength: 40, description: 'YYYY-MM-DD (local) or an ISO instant: issues last seen since' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
const DigestQuery = Type.Object(
  {
    district: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    akim: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'An akimat organisation id (district or city)' })),
    date: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);

/** The wire shape of an issue (also the CLI's --json line): masked texts, evidence ids. */
export function presentIssue(r: IssueRecord) {
  return {
    id: r.id,
    category: r.category,
    city: r.city,
    districtId: r.districtId,
    districts: r.districtId ? [r.districtId] : [],
    firstSeen: r.firstSeen.toISOString(),
    lastSeen: r.lastSeen.toISOString(),
    messages: r.messages,
    posts: r.posts,
    cases: r.cases,
    duplicates: r.duplicates,
    sources: r.sources,
    trend: Object.entries(r.daily).map(([date, count]) => ({ date, count })),
    summary: r.summary.map(maskPii),
    postIds: r.members.filter((m) => m.kind === 'post').map((m) => m.id),
    caseIds: r.members.filter((m) => m.kind === 'case').map((m) => m.id),
  };
}

const presentDigestIssue = (i: DigestIssue) => ({ ...i, firstSeen: i.firstSeen.toISOString(), lastSeen: i.lastSeen.toISOString() });
export const presentDigest = (d: Digest) => ({
  ...d,
  topIssues: d.topIssues.map(presentDigestIssue),
  newBursts: d.newBursts.map(presentDigestIssue),
  resolved: d.resolved.map((c) => ({ ...c, closedAt: c.closedAt.toISOString() })),
});

export function issueQueryDeps(platform: Pick<Platform, 'db' | 'reference'>): IssueQueryDeps {
  return { issues: createSocialIssueStore(platform.db), districts: platform.reference.districts, organisations: platform.reference.organisations, categories: platform.reference.categories };
}

export const socialIssueRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const deps = issueQueryDeps(platform);
  app.get('/social/issues', {
    schema: { tags: ['social'], summary: 'Current social issues (posts and cases grouped by problem, place and time)', querystring: ListQuery, response: { 200: Type.Object({ issues: Type.Array(Issue) }), ...errorResponses(400, 401, 403) } },
  }, async (request) => ({ issues: (await listIssues(deps, request.principal, request.query)).map(presentIssue) }));

  app.get('/social/issues/:id', {
    schema: { tags: ['social'], summary: 'One social issue with its samples', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }), response: { 200: IssueDetail, ...errorResponses(401, 403, 404) } },
  }, async (request) => {
    const r = await readIssue(deps, request.principal, request.params.id);
    return { ...presentIssue(r), samples: r.samples.map((s) => ({ ref: s.ref, source: s.source, time: s.time.toISOString(), text: maskPii(s.text) })) };
  });

  app.get('/social/digest', {
    schema: { tags: ['social'], summary: 'The daily digest of a district or an akimat', querystring: DigestQuery, response: { 200: DigestSchema, ...errorResponses(400, 401, 403) } },
  }, async (request) => presentDigest(await dailyDigest(deps, request.principal, request.query)));
};
