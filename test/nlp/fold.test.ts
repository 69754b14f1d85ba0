import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { foldCase, foldText, foldTokens } from '../../src/nlp/fold.ts';

/**
 * The classifier's folding: whatever script, draft alphabet or keyboard a Kazakh or Russian message was
 * typed with, the same words give the same tokens; and no string, however long or strange, makes it throw.
 */

const KK = { latinIsKazakh: true };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLD_URL = new URL('../../src/nlp/fold.ts', import.meta.url).href;

/**
 * Runs `body` (with `m` = the fold module) in a child Node process and reports whether it finished
 * within `ms`: a pathological regular expression blocks the thread, so only another process can stop it.
 */
function finishesWithin(ms: number, body: string): { finished: boolean; status: number | null; stderr: string } {
  const script = `const m = await import(${JSON.stringify(FOLD_URL)});\n${body}\n`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: ms, encoding: 'utf8' });
  return { finished: r.signal === null && r.error === undefined, status: r.status, stderr: r.stderr };
}

/** A small seeded generator (mulberry32), so the junk is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('one skeleton whatever the script or keyboard', () => {
  const cyrillic = foldTokens('Бізде су жоқ');

  it('folds Kazakh Cyrillic to the Russian-keyboard skeleton', () => {
    expect(cyrillic).toEqual(['бизде', 'су', 'жок']);
  });

  it.each([
    ['Бизде су жок', {}],
    ['Bizde su joq', KK],
    ['Bızde su joq', KK],
    ['BIZDE SU JOQ', KK],
    ['Бізде   су ЖОҚ!!!', {}],
  ])('%s folds like "Бізде су жоқ"', (text, options) => {
    expect(foldTokens(text, options)).toEqual(cyrillic);
  });

  it('recognises Latin Kazakh by its own letters even without the hint', () => {
    expect(foldTokens('Bızde su joq')[0]).toBe('бизде');
  });

  it('folds the spec check sentence in Cyrillic and in the 2021 Latin alphabet the same', () => {
    const cyr = foldText('Бұрыңғы өткен заманда, бір данышпан кісі');
    expect(cyr).toBe('бурынгы откен заманда бир данышпан киси');
    expect(foldText('Būryñğy ötken zamanda, bır danyşpan kısı', KK)).toBe(cyr);
  });

  it('folds decomposed (NFD) Latin Kazakh like composed text', () => {
    const nfd = 'Būryñğy ötken zamanda, bır danyşpan kısı'.normalize('NFD');
    expect(foldText(nfd, KK)).toBe('бурынгы откен заманда бир данышпан киси');
  });

  it('folds the 2017 apostrophe draft like the 2021 alphabet', () => {
    // 2017: Ә a', Ғ g', Ң n', Ө o', Ү u', Ш s', У y', И/Й i'.
    expect(foldText("Buryn'g'y o'tken zamanda, bir danys'pan kisi", KK)).toBe(foldText('Būryñğy ötken zamanda, bır danyşpan kısı', KK));
    expect(foldText("A'ke g'ylym n'", KK)).toBe(foldText('Äke ğylym ñ', KK));
    expect(foldText("a’ke g’ylym", KK)).toBe(foldText('äke ğylym', KK));
    expect(foldText("a'ke", KK)).toBe(foldText('әке'));
  });

  it('folds the 2018 acute draft (á ǵ ń ó ú) like the 2021 alphabet', () => {
    // 2018: Ә á, Ғ ǵ, Ң ń, Ө ó, Ү ú, Ш sh.
    expect(foldText('Buryńǵy ótken zamanda, bir danyshpan kisi', KK)).toBe(foldText('Būryñğy ötken zamanda, bır danyşpan kısı', KK));
    expect(foldText('áke ǵylym ń ótken úi', KK)).toBe(foldText('äke ğylym ñ ötken üi', KK));
    expect(foldText('áke ǵylym ń ótken úi', KK)).toBe(foldText('әке ғылым ң өткен үй'));
  });

  it('lower-cases İ to a single code point, whatever the locale', () => {
    expect(foldCase('İ')).toBe('i');
    expect([...foldText('İ')]).toHaveLength(1);
    expect([...foldText('İ', KK)]).toHaveLength(1);
    expect(foldText('İstanbul')).toBe('istanbul');
    expect(foldText('İnternet joq', KK)).toBe(foldText('Internet joq', KK));
  });

  it('collapses a run of three or more of one letter, but keeps a double letter', () => {
    expect(foldText('срочнооо')).toBe('срочно');
    expect(foldText('СРОЧНООООО!!!')).toBe('срочно');
    expect(foldText('класс')).toBe('класс');
  });

  it('folds a Cyrillic word with a Latin look-alike letter (keyboard slip) like the Cyrillic word', () => {
    // "Cвет" with a Latin C: the most common slip when switching layouts.
    expect(foldTokens('Cвет нет')).toEqual(foldTokens('Свет нет'));
  });

  it('folds a mixed-script word to Cyrillic when Latin is Kazakh', () => {
    expect(foldTokens('мекtep', KK)).toEqual(['мектеп']);
  });

  it('does not turn English contractions and possessives into Cyrillic', () => {
    // Without the Kazakh hint, "n'" and "s'" in English are not the 2017 draft.
    const cyrillic = foldTokens("I don't know, it's my son's school and I can't wait").filter((t) => /\p{Script=Cyrillic}/u.test(t));
    expect(cyrillic).toEqual([]);
  });
});

describe('placeholders and emoji', () => {
  it('turns URLs, e-mails and numbers into placeholders', () => {
    expect(foldTokens('Смотрите https://example.kz/a?b=1 и www.gov.kz')).toEqual(['смотрите', '<url>', 'и', '<url>']);
    expect(foldTokens('Пишите на ivan.petrov@mail.kz')).toEqual(['пишите', 'на', '<email>']);
    expect(foldTokens('уже 3 часа, 12.5 кг, тел 87012345678')).toEqual(['уже', '<num>', 'часа', '<num>', 'кг', 'тел', '<num>']);
  });

  it('turns an e-mail with a Cyrillic local part and domain into <email>', () => {
    expect(foldTokens('Пишите на иван@почта.рф')).toEqual(['пишите', 'на', '<email>']);
  });

  it('drops emoji that mean nothing, and reads 🔥 as fire', () => {
    expect(foldTokens('Свет 😀🎉 нет 👩‍👩‍👧 🇰🇿')).toEqual(['свет', 'нет']);
    expect(foldTokens('Подъезд 🔥🔥')).toEqual([...foldTokens('Подъезд'), ...foldTokens('огонь огонь')]);
    expect(foldTokens('🔥')).toEqual(foldTokens('огонь'));
  });
});

describe('never throws', () => {
  it('on only emoji, only a URL, and a mixed-script word', () => {
    expect(foldTokens('😀🎉👩‍👩‍👧🇰🇿')).toEqual([]);
    expect(foldTokens('❤️🙏')).toEqual(['спасибо', 'спасибо']);
    expect(foldTokens('https://example.kz/path?q=1#x')).toEqual(['<url>']);
    expect(() => foldTokens('мекtep')).not.toThrow();
    expect(() => foldTokens('мекtep', KK)).not.toThrow();
  });

  it('on empty and blank text', () => {
    expect(foldTokens('')).toEqual([]);
    expect(foldTokens(' \n\t ')).toEqual([]);
  });

  it('on binary junk (1 MB of random bytes read as latin1)', () => {
    const next = random(42);
    const bytes = Buffer.alloc(1 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
    const junk = bytes.toString('latin1');
    expect(() => foldTokens(junk)).not.toThrow();
    expect(() => foldTokens(junk, KK)).not.toThrow();
  });

  it('on lone surrogates and combining marks', () => {
    expect(() => foldTokens('\uD800 a\u0301\u0301\u0301 \uDFFF ё\u0308')).not.toThrow();
  });

  // The 1 MB inputs run in a child process with a generous limit: a regular expression that goes
  // quadratic would otherwise hang the test run instead of failing it.
  it.each([
    ['a 1 MB message of ordinary mixed text', "'Бізде су жоқ, свет жоқ уже 3 часа 🔥 https://x.kz a@b.kz срочнооо! '.repeat(16500)"],
    ['1 MB of Cyrillic letters with no space', "'а'.repeat(1 << 20)"],
    ['1 MB of digits', "'7'.repeat(1 << 20)"],
    ['1 MB of dotted Latin letters (a.a.a.…)', "'a.'.repeat(1 << 19)"],
  ])('on %s, within 20 s', (_name, expression) => {
    const r = finishesWithin(20_000, `const s = ${expression};\nm.foldTokens(s); m.foldTokens(s, { latinIsKazakh: true });`);
    expect(r.stderr).toBe('');
    expect(r.finished).toBe(true);
    expect(r.status).toBe(0);
  }, 60_000);
});
