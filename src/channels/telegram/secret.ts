import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../core/errors.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks the X-Telegram-Bot-Api-Secret-Token header against the configured secret. Both sides are hashed
 * first, so the comparison takes the same time whatever the length or the first differing character.
 */
export function verifyWebhookSecret(expected: string, given: string | string[] | undefined): void {
  if (given === undefined || given === '') throw new DomainError('ERR_TELEGRAM_SECRET_MISSING');
  if (typeof given !== 'string' || !timingSafeEqual(digest(expected), digest(given))) throw new DomainError('ERR_TELEGRAM_SECRET_INVALID');
}
