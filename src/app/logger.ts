import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.ts';

/**
 * Structured JSON logs without personal data: credentials, tracking codes, phone numbers and case text
 * are censored wherever they appear, so a log shipped elsewhere reveals nobody.
 */
const SECRET_KEYS = ['password', 'phone', 'text', 'token', 'trackingCode', 'applicantPhone'];

// Redaction paths match at one depth each, so every key is listed at the top level (log.info({ phone })),
// one level down ({ body: { phone } }) and two ({ req: { body: { phone } } }).
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-tracking-code"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  return pino({ level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
