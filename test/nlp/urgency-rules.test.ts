import { describe, expect, it } from 'vitest';
import type { Urgency } from '../../src/core/model.ts';
import { foldText } from '../../src/nlp/fold.ts';
import { raiseUrgency, URGENCY_RULES } from '../../src/nlp/urgency-rules.ts';

/**
 * The rules that only raise urgency, run as the classifier runs them: on the folded text. Latin Kazakh
 * is folded with the Kazakh hint (the language identifier found it); English and Cyrillic without it.
 */

type Language = 'ru' | 'kk' | 'kk-plain' | 'kk-latn' | 'en';
const LANGUAGES: readonly Language[] = ['ru', 'kk', 'kk-plain', 'kk-latn', 'en'];

const fold = (language: Language, text: string): string => foldText(text, language === 'kk-latn' ? { latinIsKazakh: true } : {});
const verdict = (language: Language, text: string, urgency: Urgency = 'normal') => raiseUrgency(fold(language, text), urgency);

/** At least one example per rule and language: Russian, Kazakh, Kazakh typed without its letters, 2021 Latin Kazakh, English. */
const EXAMPLES: Readonly<Record<string, readonly [Language, string][]>> = {
  gas: [
    ['ru', 'В подъезде сильный запах газа'],
    ['kk', 'Үйде газдың иісі шығып тұр'],
    ['kk', 'Пештен газ шығып жатыр'],
    ['kk-plain', 'Уйде газдын ииси шыгып тур'],
    ['kk-latn', 'Üide gazdyñ iısı şyğyp tūr'],
    ['en', 'There is a gas leak in our building'],
  ],
  fire: [
    ['ru', 'Пожар в доме, горит квартира на третьем этаже'],
    ['kk', 'Көршінің үйі өртеніп жатыр'],
    ['kk-plain', 'Коршинин уйи ортенип жатыр'],
    ['kk-latn', 'Körşınıñ üiı örtenıp jatyr'],
    ['en', 'The house next door is on fire'],
  ],
  weapon: [
    ['ru', 'У соседа пистолет, он угрожает'],
    ['kk', 'Қолында пышақ бар, қорқытып тұр'],
    ['kk-plain', 'Колында пышак бар, коркытып тур'],
    ['kk-latn', 'Qolynda pyşaq bar, qorqytyp tūr'],
    ['en', 'A man with a knife is threatening people'],
  ],
  violence_now: [
    ['ru', 'Муж бьёт жену прямо сейчас'],
    ['ru', 'Помогите, убивают!'],
    ['kk', 'Күйеуім мені ұрып жатыр'],
    ['kk-plain', 'Куйеуим мени урып жатыр'],
    ['kk-latn', 'Küieuım menı ūryp jatyr'],
    ['en', 'My neighbour is beating his wife right now'],
  ],
  child_danger: [
    ['ru', 'Ребёнок один дома заперт уже сутки'],
    ['kk', 'Бала жоғалып кетті, таба алмай жүрміз'],
    ['kk-plain', 'Бала жогалып кетти'],
    ['kk-latn', 'Bala joğalyp kettı'],
    ['en', 'My child is missing since this morning'],
  ],
  self_harm: [
    ['ru', 'Не хочу больше жить'],
    ['ru', 'Хочу умереть'],
    ['kk', 'Өмір сүргім келмейді'],
    ['kk-plain', 'Омир сургим келмейди'],
    ['kk-latn', 'Ömır sürgım kelmeidı'],
    ['en', 'I want to die'],
  ],
  open_manhole: [
    ['ru', 'Во дворе открытый люк'],
    ['kk', 'Ауламызда ашық құдық тұр'],
    ['kk-plain', 'Ауламызда ашык кудык тур'],
    ['kk-latn', 'Aulamyzda aşyq qūdyq tūr'],
    ['en', 'There is an open manhole on our street'],
  ],
  live_wire: [
    ['ru', 'Оборванный провод лежит на земле'],
    ['kk', 'Сым үзіліп жерде жатыр'],
    ['kk-plain', 'Сым узилип жерде жатыр'],
    ['kk-latn', 'Sym üzılıp jerde jatyr'],
    ['en', 'A live wire is lying on the pavement'],
  ],
  medical: [
    ['ru', 'Человек без сознания, не дышит'],
    ['kk', 'Әкем есінен танып қалды'],
    ['kk-plain', 'Акем есинен танып калды'],
    ['kk-latn', 'Äkem esınen tanyp qaldy'],
    ['en', 'A man is unconscious at the bus stop'],
  ],
  drunk_driver: [
    ['ru', 'Пьяный водитель едет по тротуару'],
    ['kk', 'Мас жүргізуші көлік айдап жүр'],
    ['kk-plain', 'Мас жургизуши колик айдап жур'],
    ['kk-latn', 'Mas jürgızuşı kölık aidap jür'],
    ['en', 'A drunk driver is on the road'],
  ],
  burst_pipe: [
    ['ru', 'Прорвало трубу в подвале'],
    ['kk', 'Құбыр жарылып, үйді су басып жатыр'],
    ['kk-plain', 'Кубыр жарылып, уйди су басып жатыр'],
    ['kk-latn', 'Qūbyr jarylyp, üidı su basyp jatyr'],
    ['en', 'A burst pipe is flooding the basement'],
  ],
  no_heating_frost: [
    ['ru', 'Нет отопления третий день'],
    ['kk', 'Үйде жылу жоқ, балалар тоңып жатыр'],
    ['kk-plain', 'Уйде жылу жок'],
    ['kk-latn', 'Üide jylu joq'],
    ['en', 'No heating for three days'],
  ],
  bullied_afraid: [
    ['ru', 'Сын боится идти в школу'],
    ['kk', 'Ұлым мектепке баруға қорқады'],
    ['kk-plain', 'Улым мектепке баруга коркады'],
    ['kk-latn', 'Ūlym mektepke baruğa qorqady'],
    ['en', 'My son is afraid to go to school'],
  ],
};

const NEUTRAL = ['Прошу пересчитать пособие', 'Рахмет әкімдікке', 'I was fired from my job last month', 'помогите решить вопрос с пропиской'];

describe('the examples cover every rule in every language', () => {
  it.each(URGENCY_RULES.map((r) => r.name))('%s has an example in ru, kk, kk-plain, kk-latn and en', (name) => {
    const languages = new Set((EXAMPLES[name] ?? []).map(([language]) => language));
    expect([...LANGUAGES].filter((l) => !languages.has(l))).toEqual([]);
  });
});

describe('every pattern is written in the folded alphabet', () => {
  // The fold drops ь and ъ and maps ё→е, й→и, э→е, щ→ш, ю→иу, я→иа and the Kazakh letters to Russian
  // ones: a pattern alternative containing any of them can never match folded text.
  it.each(URGENCY_RULES.map((r) => [r.name, r.pattern] as const))('%s', (_name, pattern) => {
    const unreachable = pattern.source
      .replace(/^\(\?:\^\|\[\^\\p\{L\}\]\)\(\?:/, '')
      .replace(/\)$/, '')
      .split('|')
      .filter((alternative) => /[ьъёйэщюяәғқңөұүһі]/.test(alternative));
    expect(unreachable).toEqual([]);
  });
});

describe.each(URGENCY_RULES.map((r) => [r.name, r] as const))('rule %s', (name, rule) => {
  it.each((EXAMPLES[name] ?? []).map(([language, text]) => [language, text] as const))(`[%s] "%s" raises to ${rule.urgency}`, (language, text) => {
    const v = verdict(language, text);
    expect({ urgency: v.urgency, fired: v.rules.includes(name), folded: fold(language, text) }).toEqual({ urgency: rule.urgency, fired: true, folded: fold(language, text) });
  });
});

describe('rules never lower urgency', () => {
  const all = Object.values(EXAMPLES).flat();

  it('an emergency stays an emergency whatever fires', () => {
    for (const [language, text] of all) expect(verdict(language, text, 'emergency').urgency, text).toBe('emergency');
  });

  it('an urgent case stays at least urgent whatever fires', () => {
    for (const [language, text] of all) expect(verdict(language, text, 'urgent').urgency, text).not.toBe('normal');
  });

  it('an urgent-only rule does not lower an emergency', () => {
    const v = raiseUrgency(fold('ru', 'Прорвало трубу в подвале'), 'emergency');
    expect(v.rules).toContain('burst_pipe');
    expect(v.urgency).toBe('emergency');
  });

  it.each(NEUTRAL)('a neutral text keeps the urgency it came with: %s', (text) => {
    for (const urgency of ['normal', 'urgent', 'emergency'] as const) expect(raiseUrgency(foldText(text), urgency).urgency).toBe(urgency);
  });

  it('empty text changes nothing', () => {
    expect(raiseUrgency('', 'emergency')).toEqual({ urgency: 'emergency', rules: [] });
    expect(raiseUrgency('', 'normal')).toEqual({ urgency: 'normal', rules: [] });
  });
});

describe('neutral texts do not become emergencies', () => {
  it.each(NEUTRAL)('%s', (text) => {
    expect(raiseUrgency(foldText(text), 'normal').urgency).not.toBe('emergency');
  });

  // The commonest complaint of all (a street light that is out) must not flood the emergency queue.
  it.each(['Во дворе не горит фонарь', 'Третий день не горит свет в подъезде'])('%s', (text) => {
    expect(raiseUrgency(foldText(text), 'normal').urgency).not.toBe('emergency');
  });
});

/**
 * Phrasings the rules must not miss, in my judgement: a child's self-harm in Kazakh and teen slang, a
 * child in danger, violence happening now. Each must raise to emergency.
 */
describe('important phrasings', () => {
  const emergency = (language: Language, text: string): void => {
    expect({ text, folded: fold(language, text), urgency: verdict(language, text).urgency }).toEqual({ text, folded: fold(language, text), urgency: 'emergency' });
  };

  describe('self-harm (children and teenagers)', () => {
    it.each([
      ['kk', 'Өмірден кеткім келеді'],
      ['kk', 'Өлгім келіп тұр'],
      ['kk', 'Тамырымды кесіп тастаймын'],
      ['kk', 'Қолымды кесіп жүрмін'],
      ['kk', 'Өмірдің мәні жоқ, бәрінен шаршадым'],
      ['kk', 'Көпірден секіріп өлемін'],
      ['ru', 'хочу выпилиться'],
      ['ru', 'Я порезала себе руки'],
      ['ru', 'вскрою вены'],
      ['ru', 'наглотаюсь таблеток'],
      ['en', 'I want to kms'],
      ['en', 'I want to unalive myself'],
    ] as const)('[%s] %s', emergency);
  });

  describe('a child in danger', () => {
    it.each([
      ['ru', 'Отчим бьёт ребёнка'],
      ['ru', 'Ребёнок выпал из окна'],
      ['ru', 'Ребёнок провалился под лёд'],
      ['ru', 'Мама бьёт меня каждый день'],
      ['kk', 'Бала суға батып жатыр'],
      ['kk', 'Бала терезеден құлап қалды'],
      ['kk', 'Әкем мені күнде ұрады'],
      ['en', 'A child is drowning in the pond'],
    ] as const)('[%s] %s', emergency);
  });

  describe('violence happening now', () => {
    it.each([
      ['ru', 'Соседи бьют парня у подъезда'],
      ['kk', 'Көршім әйелін ұрып-соғып жатыр'],
      ['kk', 'Көмектесіңдер, құтқарыңдар!'],
      ['en', 'He is hitting her right now'],
    ] as const)('[%s] %s', emergency);
  });
});
