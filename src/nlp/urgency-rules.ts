/**
 * Rules that can only raise urgency: a threat to life or health now, in every language and spelling the
 * platform reads. They run on the folded skeleton (so Latin Kazakh and Kazakh typed without its letters
 * match the same patterns) and on stems, so declensions match. Missing a child in danger is the worst
 * error this system can make: these rules favour recall, and an operator lowers a false alarm.
 */
import type { Urgency } from '../core/model.ts';
import { foldLetters } from './fold.ts';

export interface UrgencyRule {
  name: string;
  urgency: Exclude<Urgency, 'normal'>;
  /** Matched against the folded text (see fold.ts): lower case, Kazakh letters folded, Latin Kazakh in Cyrillic. */
  pattern: RegExp;
}

// Every pattern is written in the folded alphabet: қ→к, ң→н, ұ/ү→у, ө→о, і→и, ғ→г, ә→а, й→и, ь dropped, я→иа, ю→иу.
// Alternatives are written in natural spelling and folded here (ь dropped, я→иа, қ→к…), so that no pattern
// can ask for a letter the folded text never contains.
const rule = (name: string, urgency: UrgencyRule['urgency'], alternatives: readonly string[]): UrgencyRule => ({
  name,
  urgency,
  pattern: new RegExp(`(?:^|[^\\p{L}])(?:${alternatives.map(foldLetters).join('|')})`, 'u'),
});

export const URGENCY_RULES: readonly UrgencyRule[] = [
  rule('gas', 'emergency', ['запах газа', 'пахнет газ', 'воняет газ', 'утечк\\p{L}* газ', 'газ ис', 'газдын иис', 'газдың иіс', 'газ иіс', 'gas smell', 'газ шыг', 'газ жаиыл', 'gas leak', 'smell of gas', 'smells of gas', 'smell gas']),
  rule('fire', 'emergency', ['пожар', '(?<!не )горит', 'горим', 'загорел', 'огон', 'дым валит', 'ортен', 'орт шык', 'жанып жатыр', 'жаныпжатыр', 'on fire', 'a fire', 'caught fire', 'fire in', 'burning', 'smoke everywhere']),
  rule('weapon', 'emergency', ['пистолет', 'ружь', 'стрел[иа]', 'выстрел', 'нож', 'с ножом', 'пышак', 'мылтык', 'атып', 'gun', 'knife', 'shooting', 'shots fired', 'armed']),
  rule('violence_now', 'emergency', [
    'бьют', 'бьет', 'бьёт', 'избил', 'ұрып-соғып', 'урып-согып', 'hitting (?:her|him|me)', 'beating (?:her|him|me)', 'би[еи]т', 'избива', 'убива', 'убьет', 'убиут', 'душит', 'нападает', 'напали', 'насил', 'изнасил',
    'урып жатыр', 'соккы', 'тепкиле', 'олтир', 'зорла', 'beating', 'being beaten', 'attack', 'kill', 'rape', 'strangl',
    'спасите', 'құтқарыңдар', 'save us',
  ]),
  rule('child_danger', 'emergency', [
    'ребен\\p{L}* (?:один|заперт|пропал|потерял|в опасност)', 'ребенка бьют', 'бьют ребенка', 'пропал\\p{L}* (?:сын|доч|ребен|мальчик|девочк)',
    'баланы уру', 'баланы урып', 'бала жогал', 'бала жок болып', 'баламды таба алмаи', 'ул[ыи]м жогал', 'кызым жогал',
    'child (?:is )?missing', 'missing child', 'kid is missing', 'lost my (?:son|daughter|child)', 'child alone', 'locked (?:out|in)',
    'на морозе', 'аязда', 'бьет ребенка', 'бьёт ребёнка', 'бьет меня', 'бьёт меня', 'выпал из окна', 'провалился под лед', 'провалился под лёд',
    'суға батып', 'терезеден құлап', 'мені күнде ұрады', 'мені ұрады', 'drowning', 'fell out of (?:a |the )?window',
  ]),
  rule('self_harm', 'emergency', [
    'суицид', 'покончить с собо', 'не хочу (?:больше )?жить', 'не хочу просыпат', 'хочу умереть', 'убить себ', 'вскрыть вен', 'резать себ',
    'спрыгну', 'прыгнуть с', 'таблетк\\p{L}* (?:выпью|наглота)', 'жит\\p{L}* не хочу', 'жить незачем', 'лучше бы меня не было',
    'омир суру', 'олгим келеди', 'олип кеткым', 'олип кетким', 'озимди олтир', 'бари битсин', 'омирдин маганасы жок', 'жашагым келмеи',
    'омир сургим келмеи', 'ешкимге керек емеспин', 'асылып', 'kill myself', 'suicide', 'want to die', 'end it all', 'end my life',
    'it all to stop', 'cut myself', 'no reason to live', 'better off without me', 'self harm', 'self-harm',
    // Indirect, as teenagers write it: goodbye notes, pills, blades, rooftops, "it ends tonight".
    'записк', 'прощаите все', 'прощаите', 'уити из жизни', 'без меня (?:будет|всем|станет)', 'меня не станет', 'больше не могу жить',
    'спрыгн', 'на крыше', 'на перилах', 'режу (?:руки|себиа|вены)', 'порезал\\p{L}* (?:руки|себиа|вены|глубже)', 'лезви', 'наглотал',
    '(?:выпил|собрал|накопил)\\p{L}* (?:все )?таблетк', 'веревк', 'все закончи', 'скоро все законч', 'последнии день', 'последнее сообщение',
    'хочу выпилит', 'выпилиться', 'вскрою вен', 'наглотаюсь', 'порезала себе', 'порезал себе', 'өмірден кеткім', 'өлгім кел', 'тамырымды кес',
    'қолымды кесіп', 'өмірдің мәні жоқ', 'секіріп өлем', 'өзімді-өзім', 'өзімді өзім', 'kms', 'unalive',
    'сонгы хат', 'кеширинде', 'шыдаи алмаимын', 'бари битеди', 'бари битти', 'секиремин', 'озиме кол жумса', 'издемендер', 'колымды кес',
    'таблеткаларды (?:жина|иш)', 'ешкимге керек емес', 'last message', 'goodbye everyone', 'goodbye forever', 'jump off', 'on the roof',
    'swallowed (?:all )?(?:the )?pills', 'saved up pills', 'cut my (?:arms|wrists)', 'razor', 'blade', 'suicide note',
  ]),
  rule('open_manhole', 'emergency', ['открыт\\p{L}* люк', 'люк открыт', 'без крышки', 'ашык кудык', 'кудык ашык', 'кудыктын какпагы', 'open manhole', 'manhole (?:is )?open', 'uncovered manhole']),
  rule('live_wire', 'emergency', ['оголенн\\p{L}* провод', 'провод (?:лежит|висит|оборван)', 'оборван\\p{L}* провод', 'искрит', 'сым жерде', 'сым узилип', 'live wire', 'wire (?:is )?down', 'sparking']),
  rule('medical', 'emergency', ['без сознания', 'не дышит', 'кровотеч', 'инфаркт', 'инсульт', 'судорог', 'ес-тусинен', 'есинен таны', 'дем алмаи', 'not breathing', 'unconscious', 'bleeding heavily', 'heart attack', 'stroke']),
  rule('drunk_driver', 'urgent', ['пьян\\p{L}* (?:водител|за рулем)', 'мас жургизуши', 'drunk driv']),
  rule('burst_pipe', 'urgent', ['прорвал\\p{L}* труб', 'прорыв труб', 'затопил', 'топит', 'кубыр жарыл', 'су басып', 'burst pipe', 'flooding']),
  rule('no_heating_frost', 'urgent', ['нет отоплени', 'батаре\\p{L}* холодн', 'батаре\\p{L}* ледян', 'жылу жок', 'жылытуы жок', 'no heating']),
  rule('bullied_afraid', 'urgent', ['боит\\p{L}* идти в школ', 'боюсь идти в школ', 'мектепке баруга корк', 'мектепке баргым келмеи', 'afraid to go to school']),
];

export interface UrgencyVerdict {
  urgency: Urgency;
  /** The rules that fired, for the operator. */
  rules: string[];
}

const RANK: Readonly<Record<Urgency, number>> = { normal: 0, urgent: 1, emergency: 2 };

/**
 * The three-letter beginnings of every alternative that starts with plain letters: a text none of whose
 * words begins so cannot match those, and the regular expressions are not run (most texts match nothing).
 * Alternatives that start with a group or a class are always tried.
 */
const PREFIX = 3;
const ALWAYS = new Set<number>();
const PREFIXES = new Map<string, Set<number>>();
URGENCY_RULES.forEach((r, i) => {
  const body = r.pattern.source.slice(r.pattern.source.indexOf('(?:', 2) + 3, -1);
  for (const alt of body.split('|')) {
    const literal = alt.replace(/^\(\?<!.+?\)/, '');
    const firstWord = literal.split(' ')[0]!;
    const head = firstWord.slice(0, PREFIX);
    if (!/^[\p{L}-]+$/u.test(head)) ALWAYS.add(i);
    else PREFIXES.set(head, (PREFIXES.get(head) ?? new Set()).add(i));
  }
});

function candidateRules(folded: string): Set<number> {
  const out = new Set(ALWAYS);
  for (const word of folded.split(' ')) {
    const hit = PREFIXES.get(word.slice(0, PREFIX));
    if (hit) for (const i of hit) out.add(i);
  }
  return out;
}

/** Raises `urgency` to what the rules find in the folded text; never lowers it. */
export function raiseUrgency(folded: string, urgency: Urgency): UrgencyVerdict {
  let result = urgency;
  const rules: string[] = [];
  for (const i of candidateRules(folded)) {
    const r = URGENCY_RULES[i]!;
    if (!r.pattern.test(folded)) continue;
    rules.push(r.name);
    if (RANK[r.urgency] > RANK[result]) result = r.urgency;
  }
  return { urgency: result, rules };
}
