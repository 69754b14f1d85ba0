/**
 * Personal data in free text: IINs (12 digits whose first six are a birth date and whose last is a
 * checksum), Kazakhstan phone numbers, e-mail addresses and payment card numbers (Luhn). Found and
 * masked before text reaches logs, public exports and social snapshots. A 12-digit number that fails
 * the IIN checks, or 16 digits that fail Luhn, is left alone: order numbers are not people.
 */

export type PiiType = 'iin' | 'phone' | 'email' | 'card';

export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
}

/** IIN: YYMMDD, a century-and-sex digit, four digits, a check digit (weights 1..11, then 3..11,1,2). */
export function isValidIin(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const month = d[2]! * 10 + d[3]!;
  const day = d[4]! * 10 + d[5]!;
  const century = d[6]!;
  if (century < 1 || century > 6 || month < 1 || month > 12 || day < 1) return false;
  const yy = d[0]! * 10 + d[1]!;
  const year = (century <= 2 ? 1800 : century <= 4 ? 1900 : 2000) + yy;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  const weighted = (weights: readonly number[]): number => weights.reduce((sum, w, i) => sum + w * d[i]!, 0) % 11;
  let check = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (check === 10) check = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return check !== 10 && check === d[11];
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

// Anchored at the start of the local part and bounded, so a long run of letters is not rescanned from
// every position (which made masking quadratic).
/** An e-mail address (Cyrillic ones too); anchored and bounded, so masking stays linear. Shared with fold.ts. */
export const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){0,8}\.\p{L}{2,24}/gu;
/** +7 / 8 / 7, then a mobile (7xx) or city (7xxx) code: 11 digits in all, any spacing, dashes or brackets. */
const PHONE = /(?<![\p{N}])(?:\+\s?7|8|7)[\s-]*\(?\s*[67]\d{2,3}\s*\)?[\s-]*\d{1,3}[\s-]*\d{2}[\s-]*\d{2}(?![\p{N}])/gu;
/** Digit runs with optional single spaces or dashes between groups (cards and IINs are often spaced). */
const DIGIT_RUN = /(?<![\p{N}])\d+(?:[ -]\d+)*(?![\p{N}])/gu;

/**
 * The IINs and card numbers inside one run of digit groups: consecutive groups are joined and tried as
 * a 12-digit IIN or a 13–19-digit card, so "900101300126 2 раза" still finds the IIN before the "2".
 */
function numbersIn(run: string, at: number): PiiSpan[] {
  const groups: { start: number; end: number; digits: string }[] = [];
  for (const m of run.matchAll(/\d+/g)) groups.push({ start: at + m.index, end: at + m.index + m[0].length, digits: m[0] });
  const spans: PiiSpan[] = [];
  for (let i = 0; i < groups.length; ) {
    let found: PiiSpan | null = null;
    let digits = '';
    for (let j = i; j < groups.length && digits.length < 19; j++) {
      digits += groups[j]!.digits;
      const type: PiiType | null = digits.length === 12 && isValidIin(digits) ? 'iin' : digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? 'card' : null;
      if (type) found = { type, start: groups[i]!.start, end: groups[j]!.end };
    }
    if (found) {
      spans.push(found);
      i = groups.findIndex((g) => g.start >= found.end);
      if (i < 0) break;
    } else i++;
  }
  return spans;
}

function overlaps(spans: readonly PiiSpan[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && s.start < end);
}

/** Every piece of personal data in the text, in order of position. */
export function findPii(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const m of text.matchAll(EMAIL)) spans.push({ type: 'email', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(DIGIT_RUN)) {
    if (m[0].replace(/\D/g, '').length < 12) continue;
    for (const span of numbersIn(m[0], m.index)) if (!overlaps(spans, span.start, span.end)) spans.push(span);
  }
  for (const m of text.matchAll(PHONE)) {
    // Eleven digits with the country prefix: a longer or shorter run is something else.
    if (m[0].replace(/\D/g, '').length !== 11) continue;
    if (!overlaps(spans, m.index, m.index + m[0].length)) spans.push({ type: 'phone', start: m.index, end: m.index + m[0].length });
  }
  return spans.sort((a, b) => a.start - b.start);
}

const MASKS: Readonly<Record<PiiType, string>> = { iin: '[IIN]', phone: '[PHONE]', email: '[EMAIL]', card: '[CARD]' };

/** The text with every piece of personal data replaced by its type's mask. */
export function maskPii(text: string): string {
  let out = '';
  let at = 0;
  for (const span of findPii(text)) {
    out += text.slice(at, span.start) + MASKS[span.type];
    at = span.end;
  }
  return out + text.slice(at);
}
