/**
 * The digest as readable text in kk, ru or en (the CLI prints it): a headline per issue in the words of
 * the brief — "Heating in Esil: 143 messages from 3 sources since 23.11" — its summary, trend and evidence.
 */
import type { Digest, DigestIssue } from './digest.ts';

export type DigestLanguage = 'kk' | 'ru' | 'en';

export interface Names {
  category(code: string, lang: DigestLanguage): string;
  place(districtId: string | null, city: string | null, lang: DigestLanguage): string;
  scope(digest: Digest, lang: DigestLanguage): string;
}

const T = {
  en: { title: 'Daily digest', messages: 'messages', issues: 'issues', top: 'Top issues', bursts: 'New bursts', resolved: 'Resolved today', none: 'none', from: 'from', sources: 'sources', since: 'since', today: 'today', trend: 'trend (7 days)', posts: 'posts', cases: 'cases', burst: 'burst', expected: 'expected', perHour: 'an hour' },
  ru: { title: 'Сводка за день', messages: 'сообщений', issues: 'проблем', top: 'Главные проблемы', bursts: 'Новые всплески', resolved: 'Решено за день', none: 'нет', from: 'из', sources: 'источников', since: 'с', today: 'за день', trend: 'динамика (7 дней)', posts: 'посты', cases: 'обращения', burst: 'всплеск', expected: 'ожидалось', perHour: 'в час' },
  kk: { title: 'Күндік шолу', messages: 'хабарлама', issues: 'мәселе', top: 'Басты мәселелер', bursts: 'Жаңа серпілістер', resolved: 'Күн ішінде шешілді', none: 'жоқ', from: '', sources: 'дереккөзден', since: 'бастап', today: 'бүгін', trend: 'серпін (7 күн)', posts: 'жазбалар', cases: 'өтініштер', burst: 'серпіліс', expected: 'күтілген', perHour: 'сағатына' },
} as const;

const dayMonth = (d: Date): string => {
  const local = new Date(d.getTime() + 5 * 3_600_000).toISOString();
  return `${local.slice(8, 10)}.${local.slice(5, 7)}`;
};

export function issueHeadline(i: DigestIssue, names: Names, lang: DigestLanguage): string {
  const t = T[lang];
  const sources = Object.keys(i.sources).length;
  const where = names.place(i.districtId, i.city, lang);
  if (lang === 'kk') return `${names.category(i.category, lang)} — ${where}: ${dayMonth(i.firstSeen)} ${t.since} ${sources} ${t.sources} ${i.messages} ${t.messages}`;
  return `${names.category(i.category, lang)} — ${where}: ${i.messages} ${t.messages} ${t.from} ${sources} ${t.sources} ${t.since} ${dayMonth(i.firstSeen)}`;
}

function issueBlock(i: DigestIssue, names: Names, lang: DigestLanguage, n: number): string[] {
  const t = T[lang];
  const lines = [`${n}. ${issueHeadline(i, names, lang)} (${t.today}: ${i.messagesThatDay}) [${i.id}]`];
  for (const s of i.summary) lines.push(`   “${s}”`);
  lines.push(`   ${t.trend}: ${i.trend.map((d) => d.count).join(' ')}`);
  if (i.burst) lines.push(`   ${t.burst}: ${i.burst.count} ${t.perHour}, ${t.expected} ${i.burst.expected} (z = ${i.burst.z})`);
  if (i.evidence.posts.length > 0) lines.push(`   ${t.posts}: ${i.evidence.posts.join(', ')}`);
  if (i.evidence.cases.length > 0) lines.push(`   ${t.cases}: ${i.evidence.cases.join(', ')}`);
  return lines;
}

export function renderDigest(d: Digest, names: Names, lang: DigestLanguage): string {
  const t = T[lang];
  const out = [`${t.title} — ${names.scope(d, lang)} — ${d.date}`, `${d.messages} ${t.messages}, ${d.issues} ${t.issues}`, '', `${t.top}:`];
  if (d.topIssues.length === 0) out.push(`  ${t.none}`);
  d.topIssues.forEach((i, k) => out.push(...issueBlock(i, names, lang, k + 1)));
  out.push('', `${t.bursts}:`);
  if (d.newBursts.length === 0) out.push(`  ${t.none}`);
  for (const i of d.newBursts) out.push(`  ${issueHeadline(i, names, lang)}: ${i.burst!.count} ${t.perHour}, ${t.expected} ${i.burst!.expected} (z = ${i.burst!.z}) [${i.id}]`);
  out.push('', `${t.resolved}:`);
  if (d.resolved.length === 0) out.push(`  ${t.none}`);
  for (const c of d.resolved) out.push(`  ${c.registrationNumber} — ${names.category(c.category, lang)}${c.outcome ? ` (${c.outcome})` : ''} [${c.caseId}]${c.issueId ? ` ← ${c.issueId}` : ''}`);
  return `${out.join('\n')}\n`;
}
