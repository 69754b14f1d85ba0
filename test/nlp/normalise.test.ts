import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/nlp/language.ts';
import { normaliseText } from '../../src/nlp/normalise.ts';

describe('normaliseText', () => {
  it('composes to NFC, so the same word is stored the same way', () => {
    expect(normaliseText('й')).toBe('й');
  });

  it('removes controls, bidi overrides and zero-width spaces, keeping line breaks', () => {
    expect(normaliseText('  Нет\u202E воды\u200B\r\n\r\n\r\n\r\nвторой   день\u0000 ')).toBe('Нет воды\n\nвторой день');
  });

  it('keeps joined emoji whole', () => {
    expect(normaliseText('семья 👩‍👩‍👧 без света')).toBe('семья 👩‍👩‍👧 без света');
  });

  it('treats a message of nothing visible as empty', () => {
    expect(normaliseText('\u200D\u200C \u2060\n')).toBe('');
  });
});

describe('detectLanguage (script-based first guess)', () => {
  it.each([
    ['Үйімізде үш күннен бері жылу жоқ', 'kk'],
    ['Третий день нет отопления', 'ru'],
    ['No heating for three days', 'en'],
    ['Üiimizde üş künnen beri jylu joq', 'kk'],
    ['батареи ледяные, балалар тоңып жатыр', 'kk'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});
