/**
 * How a notice leaves the platform. A transport says whether it can reach a person (an address of its
 * kind) and sends one rendered notice; it throws a DeliveryError (or any error) when the notice did not go.
 * The outbox chooses the transport per recipient at send time and records which one delivered.
 */
import type { Language } from '../../core/model.ts';

/** Where a person can be reached, read from their user row when the notice is sent. */
export interface Recipient {
  userId: string;
  email: string | null;
  phone: string | null;
  /** The Telegram chat the notice's case came from (filled by withTelegramChats in transports/telegram.ts). */
  telegramChatId?: number | null;
}

/** A rendered notice, ready to go. */
export interface OutgoingNotice {
  notificationId: number;
  caseId: string;
  template: string;
  language: Language;
  subject: string;
  text: string;
}

export interface Transport {
  /** Recorded on the notice row as the transport that delivered it: 'smtp', 'sms' or 'log'. */
  readonly name: string;
  canReach(recipient: Recipient): boolean;
  /** Resolves once the far side accepted the notice; `signal` aborts it (the send timeout). */
  send(recipient: Recipient, notice: OutgoingNotice, signal: AbortSignal): Promise<void>;
  /** Releases connections (server shutdown). */
  close?(): Promise<void>;
}

/**
 * A failed delivery whose message is safe to store on the row and to log: short, and free of addresses,
 * phone numbers and message text.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

const MAX_ERROR_CHARS = 200;

/**
 * What of an error may be stored and logged: its code and message with e-mail addresses, phone-like
 * numbers and URL credentials removed, cut to 200 characters.
 */
export function safeErrorMessage(err: unknown): string {
  let message: string;
  if (err instanceof DeliveryError) message = err.message;
  else if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    message = `${typeof code === 'string' ? `${code}: ` : ''}${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`;
  } else message = String(err);
  message = message
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s/@]*@/gi, (m) => m.replace(/\/\/[^\s/@]*@/, '//[credentials]@'))
    .replace(/[^\s<>()"',;:/[\]]+@[^\s<>()"',;:]+/g, '[address]')
    .replace(/\+?\d[\d\s()-]{6,}\d/g, '[number]')
    .replace(/\s+/g, ' ')
    .trim();
  if (message === '') message = 'delivery failed';
  return message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS - 1)}…` : message;
}

/** The masked forms logs may show: `a***@m***.kz` for an e-mail address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}
