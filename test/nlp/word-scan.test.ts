import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/app/nlp-data.ts';
import { foldCase } from '../../src/nlp/fold.ts';
import { seededRandom } from '../../src/nlp/softmax.ts';
import { SpanCache, spanHash, tokenSpans, wordSpans } from '../../src/nlp/word-scan.ts';

/** The regular expressions the scanners stand in for (fold.ts TOKEN, language.ts WORD). */
const TOKEN = /<[a-z]+>|[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]*)*(?:-[\p{L}\p{M}]+)*/gu;
const WORD = /[\p{L}\p{M}]+(?:['’`ʼ][\p{L}\p{M}]+)*/gu;

const bySpans = (text: string, spans: number[]): string[] => {
  const out: string[] = [];
  for (let k = 0; k < spans.length; k += 2) out.push(text.slice(spans[k], spans[k + 1]));
  return out;
};

/** Random strings over the characters the patterns care about: letters, marks, apostrophes, hyphens, brackets. */
function randomTexts(count: number): string[] {
  const alphabet = ['a', 'z', 'б', 'қ', 'ё', '\u0301', '\u0307', "'", '’', '`', 'ʼ', '-', '<', '>', ' ', '1', '.', 'num', '<num>', '<x', 'İ', 'ß', '中', '_'];
  const random = seededRandom(5);
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(random() * 14) }, () => alphabet[Math.floor(random() * alphabet.length)]!).join(''));
}

describe('the word scanners', () => {
  const corpus = [...loadCorpus('heldout'), ...loadCorpus('train')].map((e) => e.text);
  const texts = [...corpus, ...corpus.map(foldCase), ...randomTexts(20_000), '', "a'-b", "a-'b", 'a--b', "ab''c", '<abc>d', '<<a>>', '<a-b>', 'x-'];

  it('find the tokens fold.ts TOKEN finds', () => {
    const wrong = texts.filter((t) => JSON.stringify(bySpans(t, tokenSpans(t, []))) !== JSON.stringify(t.match(TOKEN) ?? []));
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('find the words language.ts WORD finds', () => {
    const wrong = texts.filter((t) => JSON.stringify(bySpans(t, wordSpans(t, []))) !== JSON.stringify(t.match(WORD) ?? []));
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('look a word up by its span, and forget everything when full', () => {
    const cache = new SpanCache<number>(4);
    const text = 'су жоқ су';
    cache.set('су', spanHash('су', 0, 2), 1);
    expect(cache.get(text, 0, 2, spanHash(text, 0, 2))).toBe(1);
    expect(cache.get(text, 7, 9, spanHash(text, 7, 9))).toBe(1);
    expect(cache.get(text, 3, 6, spanHash(text, 3, 6))).toBeUndefined();
    for (let i = 0; i < 20; i++) cache.set(`w${i}`, spanHash(`w${i}`, 0, `w${i}`.length), i);
    expect(cache.get('w19', 0, 3, spanHash('w19', 0, 3))).toBe(19);
    expect(cache.get(text, 0, 2, spanHash(text, 0, 2))).toBeUndefined();
  });
});
