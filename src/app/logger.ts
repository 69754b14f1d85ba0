import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.ts';

/**
 * Structured JSON logs without personal data: credentials, tracking codes, phone numbers and case text
 * are censored wherever they appear, so a log shipped elsewhere reveals nobody.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-tracking-code"]',
  '*.password',
  '*.phone',
  '*.text',
  '*.token',
  '*.trackingCode',
  '*.applicantPhone',
];

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  return pino({ level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
