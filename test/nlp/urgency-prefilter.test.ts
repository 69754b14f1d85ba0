import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/app/nlp-data.ts';
import type { Urgency } from '../../src/core/model.ts';
import { foldText } from '../../src/nlp/fold.ts';
import { raiseUrgency, URGENCY_RULES, type UrgencyVerdict } from '../../src/nlp/urgency-rules.ts';

/**
 * The token-level prefilter of the urgency rules only skips regular expressions that cannot match: the rules
 * found, and their order, are those of the plain way (every rule whose alternatives' first three letters begin a
 * word, or that has an alternative starting with a class or group, tried on the whole folded text), kept here.
 */
const RANK: Readonly<Record<Urgency, number>> = { normal: 0, urgent: 1, emergency: 2 };
const always = new Set<number>();
const byPrefix = new Map<string, Set<number>>();
URGENCY_RULES.forEach((r, i) => {
  const body = r.pattern.source.slice(r.pattern.source.indexOf('(?:', 2) + 3, -1);
  for (const alt of body.split('|')) {
    const head = alt.replace(/^\(\?<!.+?\)/, '').split(' ')[0]!.slice(0, 3);
    if (!/^[\p{L}-]+$/u.test(head)) always.add(i);
    else byPrefix.set(head, (byPrefix.get(head) ?? new Set()).add(i));
  }
});

function plainVerdict(folded: string, urgency: Urgency): UrgencyVerdict {
  const candidates = new Set(always);
  for (const word of folded.split(' ')) for (const i of byPrefix.get(word.slice(0, 3)) ?? []) candidates.add(i);
  let result = urgency;
  const rules: string[] = [];
  for (const i of candidates) {
    const r = URGENCY_RULES[i]!;
    if (!r.pattern.test(folded)) continue;
    rules.push(r.name);
    if (RANK[r.urgency] > RANK[result]) result = r.urgency;
  }
  return { urgency: result, rules };
}

/** Texts that sit on the prefilter's edges: words split by hyphens, apostrophes and placeholders, short words first. */
const EDGES = [
  'на крыше', 'на  крыше', 'на-крыше', 'накрыше', 'с ножом', 'с', 'с нож', 'биет', 'бьет', 'би ет', 'выпил все таблетки', 'накопил таблетки',
  'кто-то стреляет', 'ой-пожар', '<c:fire_hazard> горит', 'не горит', 'уже не горит но горит', 'fell out of the window', 'fell out of window',
  'hitting her', 'hitting', 'child is missing', 'child missing', 'ребенок один', 'ребенокодин', 'утечка газа', 'утечк газ', 'ұрып-соғып',
  'урып-согып', 'self-harm', 'self harm', 'kms', 'x-kill', 'ес-тусинен танды', '', ' ', 'газ ис', 'газ', 'нет отопления', 'no heating', 'locked in',
];

describe('the urgency rules by token', () => {
  const corpus = [...loadCorpus('heldout'), ...loadCorpus('train')].map((e) => e.text);
  const folded = [
    ...corpus.flatMap((t) => [foldText(t), foldText(t, { latinIsKazakh: true })]),
    ...EDGES,
    ...EDGES.map((e) => foldText(e)),
    // Every alternative written out as its own text, and glued to a word before it.
    ...URGENCY_RULES.flatMap((r) => r.pattern.source.replace(/\\p\{L\}\*|\(\?<!.+?\)|[()?:*]/g, '').split('|').flatMap((a) => [a, `x-${a}`, `xx${a}`])),
  ];

  it('finds exactly the rules, in the order, that the plain way finds', () => {
    const wrong = folded.filter((f) => JSON.stringify(raiseUrgency(f, 'normal')) !== JSON.stringify(plainVerdict(f, 'normal')));
    expect(wrong.slice(0, 5)).toEqual([]);
    // The comparison means something: many texts fire rules.
    expect(folded.filter((f) => plainVerdict(f, 'normal').rules.length > 0).length).toBeGreaterThan(500);
  });
});
