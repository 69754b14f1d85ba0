import { DomainError } from '../errors.ts';

// Mobile operators' codes (700–708, 747, 750–751, 760–764, 771–778); 7xx city codes such as 727 are landlines.
const MOBILE = /^(?:\+?7|8)?(7(?:0[0-8]|47|5[01]|6[0-4]|7[1-8])\d{7})$/;

/**
 * A Kazakhstan mobile number in E.164 (+77XXXXXXXXX). Accepts the ways people write it:
 * +7 701 234 56 78, 8 (701) 234-56-78, 87012345678, 7012345678.
 */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s()\-.]/g, '');
  const match = MOBILE.exec(digits);
  if (!match || input.length > 32) throw new DomainError('ERR_INVALID_PHONE', undefined, { phone: maskPhone(input) });
  return `+7${match[1]}`;
}

/** What logs and errors may show of a phone number. */
export const maskPhone = (phone: string): string => (phone.length > 4 ? `${'*'.repeat(Math.min(phone.length - 4, 12))}${phone.slice(-4)}` : '****');
