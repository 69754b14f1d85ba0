import { DomainError } from '../errors.ts';

/**
 * A Kazakhstan mobile number in E.164 (+77XXXXXXXXX). Accepts the ways people write it:
 * +7 701 234 56 78, 8 (701) 234-56-78, 87012345678, 7012345678.
 */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s()\-.]/g, '');
  const match = /^(?:\+?7|8)?(7\d{9})$/.exec(digits);
  if (!match || input.length > 32) throw new DomainError('ERR_INVALID_PHONE', undefined, { phone: maskPhone(input) });
  return `+7${match[1]}`;
}

/** What logs and errors may show of a phone number. */
export const maskPhone = (phone: string): string => (phone.length > 4 ? `${'*'.repeat(Math.min(phone.length - 4, 12))}${phone.slice(-4)}` : '****');
