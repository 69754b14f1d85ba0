import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/social/digest/digest.ts';
import { renderDigest, type Names } from '../../src/social/digest/render.ts';
import { summarise } from '../../src/social/digest/summary.ts';
import { burstAt, hourOf, strongestBurst } from '../../src/social/issues/burst.ts';
import { IssueClusterer } from '../../src/social/issues/clusterer.ts';
import { uniformWeights } from '../../src/social/issues/fingerprint.ts';
import type { IssueMessage } from '../../src/social/issues/message.ts';
import { toRecord } from '../../src/social/issues/record.ts';

const at = (iso: string) => new Date(iso);
let n = 0;
function msg(over: Partial<IssueMessage>): IssueMessage {
  return { ref: { kind: 'post', id: `p${++n}` }, source: 'tg:astana', category: 'utilities.heating', city: 'astana', districtId: 'astana.esil', text: 'Самал-2 дом 58 нет отопления батареи холодные', time: at('2026-11-23T04:00:00Z'), relevant: true, ...over };
}
const clusterer = () => new IssueClusterer({ weights: uniformWeights, matcher: null });

describe('issue clustering', () => {
  it('groups the same problem from three channels into one issue', () => {
    const c = clusterer();
    const a = c.assign(msg({ source: 'tg:astana' }));
    const b = c.assign(msg({ source: 'whatsapp:dom58', text: '+1 Самал-2 дом 58 тоже нет отопления, батареи холодные 😡', time: at('2026-11-23T06:00:00Z') }));
    const k = c.assign(msg({ ref: { kind: 'case', id: 'case-1' }, source: 'city_109', text: 'В Самал-2 дом 58 нет отопления, батареи холодные третий день', time: at('2026-11-24T03:00:00Z') }));
    expect('issueId' in a && a.opened).toBe(true);
    const id = 'issueId' in a ? a.issueId : '';
    expect(b).toMatchObject({ issueId: id, opened: false });
    expect(k).toMatchObject({ issueId: id, opened: false });
    const issue = c.get(id)!;
    expect(issue.messages).toBe(3);
    expect([...issue.sources.keys()].sort()).toEqual(['city_109', 'tg:astana', 'whatsapp:dom58']);
    expect(issue.posts).toBe(2);
    expect(issue.cases).toBe(1);
    expect([...issue.daily.entries()]).toEqual([['2026-11-23', 2], ['2026-11-24', 1]]);
    // The same message again is not counted twice.
    expect(c.assign({ ...msg({}), ref: issue.members[0]! })).toEqual({ skipped: 'already_assigned' });
  });

  it('keeps different districts, categories, problems and times apart', () => {
    const c = clusterer();
    const first = c.assign(msg({}));
    const other = c.assign(msg({ districtId: 'astana.almaty' }));
    const category = c.assign(msg({ category: 'utilities.water' }));
    const problem = c.assign(msg({ text: 'Во дворе сломали скамейки и качели у детской площадки' }));
    const late = c.assign(msg({ time: at('2026-11-30T04:00:00Z') }));
    const ids = [first, other, category, problem, late].map((a) => ('issueId' in a ? a.issueId : a.skipped));
    expect(new Set(ids).size).toBe(5);
  });

  it('never forms an issue from noise, or from a post without a category or a place', () => {
    const c = clusterer();
    expect(c.assign(msg({ relevant: false, text: 'Продаю диван недорого, звоните' }))).toEqual({ skipped: 'noise' });
    expect(c.assign(msg({ category: null }))).toEqual({ skipped: 'no_category' });
    expect(c.assign(msg({ city: null, districtId: null }))).toEqual({ skipped: 'no_place' });
    expect(c.issues()).toHaveLength(0);
  });

  it('is deterministic: the same messages in the same order give the same issues', () => {
    const messages = [msg({}), msg({ districtId: 'astana.nura' }), msg({ text: 'Самал-2 дом 58 отопления нет' })];
    const run = () => {
      const c = clusterer();
      return messages.map((m) => c.assign(m));
    };
    expect(run()).toEqual(run());
  });
});

describe('bursts', () => {
  const base = hourOf(at('2026-11-25T00:00:00Z'));
  it('flags an hour far above the issue\'s own baseline', () => {
    const hourly = new Map<number, number>([[base - 30, 1], [base - 10, 1], [base, 12]]);
    const r = burstAt(hourly, base);
    expect(r.burst).toBe(true);
    expect(r.z).toBeGreaterThan(4);
    expect(strongestBurst(hourly, base - 48, base + 24)?.hour).toBe(base);
  });
  it('does not flag a steady stream, however large, or a few posts', () => {
    const steady = new Map<number, number>(Array.from({ length: 72 }, (_, i) => [base - 72 + i, 10] as const));
    steady.set(base, 12);
    expect(burstAt(steady, base).burst).toBe(false);
    expect(burstAt(new Map([[base, 3]]), base).burst).toBe(false);
  });
});

describe('summary', () => {
  it('picks the sentences most like the rest, once each, with personal data masked', () => {
    const s = summarise([
      'Самал-2 дом 58 нет отопления, батареи холодные, звоните +7 701 123 45 67.',
      'В Самале-2 дом 58 отопления нет третий день! Дети мёрзнут, батареи холодные.',
      'Дом 58 Самал-2: нет отопления, батареи холодные.',
      'Кстати, продаю велосипед недорого.',
    ]);
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s[0]).toMatch(/отоплени/);
    expect(summarise(['Нет отопления в доме 58, батареи холодные, звоните +7 701 123 45 67'])[0]).toMatch(/звоните \[PHONE\]$/);
    expect(s.join(' ')).not.toMatch(/701/);
    expect(s.join(' ')).not.toMatch(/велосипед/);
  });
});

describe('digest', () => {
  const c = clusterer();
  for (let i = 0; i < 3; i++) c.assign(msg({ time: at(`2026-11-25T0${i + 3}:00:00Z`) }));
  c.assign(msg({ districtId: 'astana.almaty', category: 'roads.pothole', text: 'Огромная яма на Абая 120', time: at('2026-11-25T05:00:00Z') }));
  c.assign(msg({ districtId: 'astana.esil', category: 'utilities.water', text: 'Нет воды на Кабанбай батыра 40', time: at('2026-11-24T05:00:00Z') }));
  const issues = c.issues().map(toRecord);
  const resolved = [
    { caseId: 'c1', registrationNumber: '109-1', category: 'utilities.heating', city: 'astana', districtId: 'astana.esil', closedAt: at('2026-11-25T10:00:00Z'), outcome: 'satisfied', issueId: null },
    { caseId: 'c2', registrationNumber: '109-2', category: 'utilities.heating', city: 'astana', districtId: 'astana.esil', closedAt: at('2026-11-24T10:00:00Z'), outcome: 'satisfied', issueId: null },
  ];
  it('per district: that day\'s issues, the cases closed that day, evidence links', () => {
    const d = buildDigest({ date: '2026-11-25', scope: { kind: 'district', districtId: 'astana.esil' }, issues, resolved });
    expect(d.topIssues.map((i) => [i.category, i.messagesThatDay])).toEqual([['utilities.heating', 3]]);
    expect(d.topIssues[0]!.evidence.posts).toHaveLength(3);
    expect(d.topIssues[0]!.trend.at(-1)).toEqual({ date: '2026-11-25', count: 3 });
    expect(d.resolved.map((r) => r.caseId)).toEqual(['c1']);
  });
  it('per akim: a city akimat sees its whole city, a district akimat its district', () => {
    const city = buildDigest({ date: '2026-11-25', scope: { kind: 'akim', organisationId: 'astana.akimat', city: 'astana', districtId: null }, issues, resolved });
    expect(city.topIssues.map((i) => i.districtId).sort()).toEqual(['astana.almaty', 'astana.esil']);
    const district = buildDigest({ date: '2026-11-25', scope: { kind: 'akim', organisationId: 'astana.district.almaty', city: 'astana', districtId: 'astana.almaty' }, issues, resolved });
    expect(district.topIssues.map((i) => i.category)).toEqual(['roads.pothole']);
    expect(district.resolved).toEqual([]);
  });
  it('reads as text in kk, ru and en', () => {
    const names: Names = { category: (c) => c, place: (d) => d ?? '—', scope: () => 'Есиль' };
    const d = buildDigest({ date: '2026-11-25', scope: { kind: 'district', districtId: 'astana.esil' }, issues, resolved });
    expect(renderDigest(d, names, 'en')).toMatch(/utilities\.heating — astana\.esil: 3 messages from 1 sources since 25\.11/);
    expect(renderDigest(d, names, 'ru')).toMatch(/Решено за день:\n {2}109-1/);
    expect(renderDigest(d, names, 'kk')).toMatch(/Күндік шолу/);
  });
});
