/**
 * `tyndau social issues [--json] [--district …] [--category …] [--since …]` and
 * `tyndau social digest --district astana.esil|--akim <akimat> --date YYYY-MM-DD [--lang kk|ru|en]`.
 * Registered under the `social` group in cli/main.ts (socialIssues, socialDigest).
 */
import type { Principal } from '../../core/principal.ts';
import { presentIssue } from '../../http/routes/social/issues.ts';
import type { Digest } from '../../social/digest/digest.ts';
import { renderDigest, type DigestLanguage, type Names } from '../../social/digest/render.ts';
import { dailyDigest, listIssues, type IssueQueryDeps } from '../../social/issues/queries.ts';
import { loadReferenceCatalog, type ReferenceCatalog } from '../../storage/reference-store.ts';
import { createSocialIssueStore } from '../../storage/social-issue-store.ts';
import type { Db } from '../../storage/db.ts';
import { openContext } from '../context.ts';
import { DomainError } from '../../core/errors.ts';

/** The operator at the console reads as an admin of the whole country. */
const CONSOLE: Principal = { type: 'staff', userId: 'cli', role: 'admin', organisationId: 'kz.government', scope: new Set(['kz.government']) };

const deps = (db: Db, reference: ReferenceCatalog): IssueQueryDeps => ({ issues: createSocialIssueStore(db), districts: reference.districts, organisations: reference.organisations, categories: reference.categories });

export function referenceNames(reference: ReferenceCatalog): Names {
  return {
    category: (code, lang) => reference.categories.find((c) => c.code === code)?.names[lang] ?? code,
    place: (districtId, city, lang) => (districtId ? reference.districts.find((d) => d.id === districtId)?.names[lang] ?? districtId : city ?? '—'),
    scope: (d: Digest, lang) =>
      d.scope.kind === 'district'
        ? reference.districts.find((x) => x.id === (d.scope.kind === 'district' ? d.scope.districtId : ''))?.names[lang] ?? d.scope.districtId
        : reference.organisations.find((o) => o.id === (d.scope.kind === 'akim' ? d.scope.organisationId : ''))?.names[lang] ?? d.scope.organisationId,
  };
}

export interface IssuesOptions {
  json?: boolean;
  district?: string;
  category?: string;
  since?: string;
  limit?: string;
}

export async function socialIssuesText(db: Db, o: IssuesOptions): Promise<string> {
  const reference = await loadReferenceCatalog(db);
  const limit = o.limit === undefined ? 100 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DomainError('ERR_VALIDATION', '--limit is 1–1000', { limit: o.limit });
  const issues = (await listIssues(deps(db, reference), CONSOLE, { district: o.district, category: o.category, since: o.since, limit })).map(presentIssue);
  if (o.json) return `${JSON.stringify(issues, null, 2)}\n`;
  const names = referenceNames(reference);
  if (issues.length === 0) return 'no issues\n';
  return issues
    .map((i) => `${i.id}  ${names.category(i.category, 'en')} — ${names.place(i.districtId, i.city, 'en')}: ${i.messages} messages from ${Object.keys(i.sources).length} sources, ${i.firstSeen.slice(0, 16)} … ${i.lastSeen.slice(0, 16)}\n`)
    .join('');
}

export interface DigestOptions {
  district?: string;
  akim?: string;
  date: string;
  lang?: string;
  json?: boolean;
}

export async function socialDigestText(db: Db, o: DigestOptions): Promise<string> {
  const lang = (o.lang ?? 'ru') as DigestLanguage;
  if (!['kk', 'ru', 'en'].includes(lang)) throw new DomainError('ERR_VALIDATION', '--lang is kk, ru or en', { lang: o.lang });
  const reference = await loadReferenceCatalog(db);
  const digest = await dailyDigest(deps(db, reference), CONSOLE, { district: o.district, akim: o.akim, date: o.date });
  return o.json ? `${JSON.stringify(digest, null, 2)}\n` : renderDigest(digest, referenceNames(reference), lang);
}

async function withDb(run: (db: Db) => Promise<string>): Promise<void> {
  const ctx = await openContext();
  try {
    process.stdout.write(await run(ctx.db));
  } finally {
    await ctx.close();
  }
}

/** `tyndau social issues` (registered in cli/main.ts). */
export const socialIssues = (o: IssuesOptions): Promise<void> => withDb((db) => socialIssuesText(db, o));

/** `tyndau social digest` (registered in cli/main.ts). */
export const socialDigest = (o: DigestOptions): Promise<void> => withDb((db) => socialDigestText(db, o));
