import { describe, expect, it } from 'vitest';
import { detectLanguage, identifyLanguage, type LanguageResult } from '../../src/nlp/language.ts';

/** Language identification with no trained model: the letters alone decide (the first guess at intake). */

const LABELS = ['kk', 'ru', 'en', 'mixed'];

const check = (text: string): LanguageResult => {
  const r = identifyLanguage(null, text);
  expect(LABELS).toContain(r.language);
  expect(['kk', 'ru', 'en']).toContain(r.dominant);
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  return r;
};

describe('identifyLanguage(null, text)', () => {
  it.each(['Үйімізде үш күннен бері жарық жоқ', 'Бізде су жоқ', 'Көшеде шам жанбайды, әкімдікке хабарладық', 'Балалар тоңып жатыр'])(
    'Kazakh-only letters → kk: %s',
    (text) => {
      const r = check(text);
      expect(r).toMatchObject({ language: 'kk', dominant: 'kk', script: 'cyrl' });
      expect(r.confidence).toBeGreaterThan(0.5);
    },
  );

  it.each([
    'Äkımdıkke şağym jazdym, köşemızde jaryq joq',
    'Köşemızdegı şamdar janbaidy, äkımdıkke ötınış jazdyq',
    'Ağaiyndar, köşede su joq',
    'Bızdıñ üide jylu joq, balalar toñyp jatyr',
    'Mektepke baratyn joldağy şamdar jūmys ıstemeidı',
  ])('2021 Latin Kazakh with its own letters → kk: %s', (text) => {
    const r = check(text);
    expect({ language: r.language, dominant: r.dominant, script: r.script }).toEqual({ language: 'kk', dominant: 'kk', script: 'latn' });
  });

  it.each(['There is no hot water in our building since Monday', 'The street light has been broken for a week', 'Please fix the road'])('English → en: %s', (text) => {
    expect(check(text)).toMatchObject({ language: 'en', dominant: 'en', script: 'latn' });
  });

  it.each(['Во дворе третий день нет горячей воды', 'Прошу пересчитать пособие', 'Уличный фонарь не работает неделю'])('Russian → ru: %s', (text) => {
    expect(check(text)).toMatchObject({ language: 'ru', dominant: 'ru', script: 'cyrl' });
  });

  it('a Kazakh–Russian sentence → mixed', () => {
    const r = check('Салеметсизбе, бізде свет жоқ уже 3 часа, холодильник разморозился');
    expect(r.language).toBe('mixed');
    expect(r.script).toBe('cyrl');
    expect(['kk', 'ru']).toContain(r.dominant);
  });

  it('a winner is never announced with a confidence below a coin toss among three', () => {
    for (const text of ['Bızdıñ üide jylu joq, balalar toñyp jatyr', 'Ağaiyndar, köşede su joq', 'Please fix the road', 'Бізде су жоқ']) {
      const r = check(text);
      if (r.language !== 'mixed') expect(r.confidence, `${text} → ${r.language}`).toBeGreaterThanOrEqual(1 / 3);
    }
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\t '],
    ['only emoji', '😀🔥🇰🇿👩‍👩‍👧❤️'],
    ['only punctuation', '!!! ??? ...'],
    ['only digits', '87012345678'],
    ['one letter', 'а'],
    ['a URL', 'https://example.kz/a?b=1'],
    ['lone surrogates', '\uD800\uDFFF\uD800'],
  ])('does not throw on %s', (_name, text) => {
    expect(() => identifyLanguage(null, text)).not.toThrow();
    const r = check(text);
    if (!/\p{L}/u.test(text)) expect(r.confidence).toBe(0);
  });

  it('does not throw on a long text', () => {
    expect(check('Бізде су жоқ, свет жоқ уже 3 часа. '.repeat(20_000)).language).toBe('mixed');
  });

  it('detectLanguage (the first guess at intake) answers kk, ru or en', () => {
    expect(detectLanguage('Бізде су жоқ')).toBe('kk');
    expect(detectLanguage('Балалар тоңып жатыр')).toBe('kk');
    expect(detectLanguage('Во дворе нет воды')).toBe('ru');
    expect(detectLanguage('No water')).toBe('en');
    expect(detectLanguage('Bızdıñ üide jylu joq')).toBe('kk');
  });

  it.each(['Two men broke the street light', 'Jane from flat 5 has no hot water'])('detectLanguage does not take English for Kazakh: %s', (text) => {
    expect(detectLanguage(text)).toBe('en');
  });
});
