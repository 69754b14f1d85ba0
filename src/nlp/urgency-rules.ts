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

/**
 * What each rule could possibly match, by token: the literal letters every alternative of a rule starts with
 * (classes and groups expanded), looked for where the pattern may start, at the start of a token or after a
 * non-letter inside it. A rule none of whose beginnings occurs cannot match, so its
 * regular expression is not run; a rule with an alternative whose beginning cannot be read off stays possible.
 * This only skips work: which rules are tried, in which order, and what they match is unchanged.
 */
const RULE_BITS_ALL = (1 << URGENCY_RULES.length) - 1;
let alwaysPossible = 0;
/**
 * First letter → the beginnings that start with it, each with its rule's bit. A beginning of one word is
 * looked for inside a token; one of two words or more ("на крыше") needs a token that ends with the first
 * word and a next token that starts with the second.
 */
interface Beginning {
  first: string;
  next: string | null;
  bit: number;
}
const BEGINNINGS = new Map<string, Beginning[]>();

/** Splits a pattern body at its top-level `|`. */
function topLevelAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** The index just after the group or class opening at `i`. */
function closing(source: string, i: number): number {
  const open = source[i]!;
  let depth = 0;
  for (let j = i; j < source.length; j++) {
    const c = source[j]!;
    if (c === '\\') j++;
    else if (open === '[' && c === ']') return j + 1;
    else if (open === '(' && c === '(') depth++;
    else if (open === '(' && c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

const QUANTIFIED_AWAY = /^(?:\?|\*|\{0[,}])/;
const MAX_BEGINNINGS = 64;

/** The literal strings one of which every match of `source` starts with; null when it cannot be told. */
function beginnings(source: string): string[] | null {
  let out = [''];
  let i = 0;
  // A lookbehind consumes nothing: the match starts after it.
  if (source.startsWith('(?<')) i = closing(source, 0);
  while (i >= 0 && i < source.length) {
    const c = source[i]!;
    let next: number;
    let options: string[] | null;
    if (c === '[') {
      next = closing(source, i);
      const inner = source.slice(i + 1, next - 1);
      options = next > 0 && /^[^\\\]^-]+$/u.test(inner) ? [...inner] : null;
    } else if (c === '(') {
      next = closing(source, i);
      const inner = source.slice(i, next);
      const branches = inner.startsWith('(?:') ? topLevelAlternatives(inner.slice(3, -1)).map(beginnings) : [null];
      options = branches.some((b) => b === null) ? null : branches.flat() as string[];
    } else if ('\\.^$|)*+?{'.includes(c)) {
      options = null;
      next = i + 1;
    } else {
      options = [c];
      next = i + 1;
    }
    if (options === null || next < 0 || QUANTIFIED_AWAY.test(source.slice(next))) break;
    out = out.flatMap((b) => options.map((o) => b + o));
    // A group gave only the beginnings of its branches: nothing after it can be appended.
    if (c === '(' || out.length > MAX_BEGINNINGS || source[next] === '+' || source[next] === '{') break;
    i = next;
  }
  return out.every((b) => b.length > 0 && !b.startsWith(' ')) ? out : null;
}

URGENCY_RULES.forEach((r, i) => {
  const body = r.pattern.source.slice(r.pattern.source.indexOf('(?:', 2) + 3, -1);
  for (const alt of topLevelAlternatives(body)) {
    const heads = beginnings(alt);
    if (heads === null) {
      alwaysPossible |= 1 << i;
      continue;
    }
    for (const head of heads) {
      const [first, next] = head.split(' ') as [string, string | undefined];
      const list = BEGINNINGS.get(first[0]!) ?? [];
      list.push({ first, next: next ?? null, bit: 1 << i });
      BEGINNINGS.set(first[0]!, list);
    }
  }
});

const LETTER = /\p{L}/u;

export interface TokenRules {
  /** Rules the token's first three letters name (the prefilter's word test), in that set's order. */
  named: readonly number[];
  /** Bit per rule whose pattern could start inside the token. */
  possible: number;
  /** Rules that could start at the token's end if the next token starts so. */
  pending: readonly { bit: number; next: string }[];
}

const NO_RULES: readonly number[] = [];
const NO_PENDING: TokenRules['pending'] = [];
const tokenRules = new Map<string, TokenRules>();
const TOKEN_RULES_LIMIT = 200_000;

function rulesOfToken(token: string): TokenRules {
  let info = tokenRules.get(token);
  if (info !== undefined) return info;
  info = tokenRulesOf(token);
  if (tokenRules.size >= TOKEN_RULES_LIMIT) tokenRules.clear();
  tokenRules.set(token, info);
  return info;
}

/** What the rules can find in one token (callers may keep it: it depends on the token alone). */
export function tokenRulesOf(token: string): TokenRules {
  const hit = PREFIXES.get(token.slice(0, PREFIX));
  let possible = 0;
  const pending: { bit: number; next: string }[] = [];
  for (let p = 0; p < token.length; p++) {
    if (p > 0) {
      // The pattern starts after a non-letter (one code point, as the u flag reads it).
      const prev = token.codePointAt(p > 1 && token.charCodeAt(p - 1) >= 0xdc00 && token.charCodeAt(p - 1) <= 0xdfff ? p - 2 : p - 1)!;
      if (LETTER.test(String.fromCodePoint(prev))) continue;
    }
    const list = BEGINNINGS.get(token[p]!);
    if (!list) continue;
    for (const { first, next, bit } of list) {
      if (!token.startsWith(first, p)) continue;
      if (next === null) possible |= bit;
      else if (p + first.length === token.length) pending.push({ bit, next });
    }
  }
  return { named: hit ? [...hit] : NO_RULES, possible, pending: pending.length > 0 ? pending : NO_PENDING };
}

const ALWAYS_LIST = [...ALWAYS];

/** Raises `urgency` to what the rules find in the folded text; never lowers it. */
export function raiseUrgency(folded: string, urgency: Urgency): UrgencyVerdict {
  return raiseUrgencyOfTokens(folded.split(' '), urgency, folded);
}

/**
 * The same for the folded tokens (joined by single spaces they are the folded text): the rules a token's first
 * letters name are tried, those that always must, in the order the prefilter finds them.
 */
export function raiseUrgencyOfTokens(tokens: readonly string[], urgency: Urgency, folded?: string): UrgencyVerdict {
  return raiseUrgencyWith(tokens, tokens.map((t) => ({ rules: rulesOfToken(t) })), urgency, folded);
}

/** raiseUrgencyOfTokens() with each token's tokenRulesOf() known already (as `rules`). */
export function raiseUrgencyWith(tokens: readonly string[], rulesOf: ArrayLike<{ readonly rules: TokenRules }>, urgency: Urgency, folded?: string): UrgencyVerdict {
  let possible = alwaysPossible;
  let named = 0;
  const order: number[] = [];
  for (const i of ALWAYS_LIST) {
    named |= 1 << i;
    order.push(i);
  }
  for (let t = 0; t < tokens.length; t++) {
    const info = rulesOf[t]!.rules;
    possible |= info.possible;
    for (const { bit, next } of info.pending) if (tokens[t + 1]?.startsWith(next)) possible |= bit;
    for (const i of info.named) {
      if ((named & (1 << i)) !== 0) continue;
      named |= 1 << i;
      order.push(i);
    }
  }
  let result = urgency;
  const rules: string[] = [];
  if ((possible & named & RULE_BITS_ALL) === 0) return { urgency: result, rules };
  const text = folded ?? tokens.join(' ');
  for (const i of order) {
    if ((possible & (1 << i)) === 0) continue;
    const r = URGENCY_RULES[i]!;
    if (!r.pattern.test(text)) continue;
    rules.push(r.name);
    if (RANK[r.urgency] > RANK[result]) result = r.urgency;
  }
  return { urgency: result, rules };
}
