import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.ts';
import { maskPii } from '../nlp/pii.ts';

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

/** Secrets clients put in query strings (Open311's api_key, SSE tickets for EventSource): never in a log line. */
const SECRET_QUERY = /([?&](?:api_key|ticket|token|tracking_code)=)[^&#\s]+/gi;

/** Masks personal data in every string of a log record, however deep (what redaction paths cannot foresee). */
function maskStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value.replace(SECRET_QUERY, '$1[redacted]'));
  // A 12–19-digit number may be an IIN or a card logged as a number.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1e11) return maskPii(String(value)) === String(value) ? value : '[redacted]';
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, depth + 1));
  // Only plain records: a request, a response or an error is left whole for pino's serializers.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v, depth + 1)]));
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: {
        log: (record) => maskStrings(record) as Record<string, unknown>,
        bindings: (bindings) => maskStrings(bindings) as Record<string, unknown>,
      },
      // An error's message and stack can quote the data that caused it (a constraint violation's values).
      // (The standard serializer's result has its own prototype: copied to a plain record to be masked.)
      serializers: { err: (err: Error) => maskStrings({ ...pino.stdSerializers.err(err) }) },
      hooks: {
        logMethod(args, method) {
          // The message string too: log.info(`…${something}…`) must not carry an IIN or a phone.
          // An error on its own lends its message as the message: masked like any.
          const masked = args.length === 1 && args[0] instanceof Error ? [args[0], maskPii(args[0].message)] : args.map((a) => (typeof a === 'string' ? maskPii(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // A child's bindings are serialised once, outside formatters.log; children inherit this from the root.
  const child = logger.child;
  logger.child = function maskedChild(this: Logger, bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]) {
    return child.call(this, maskStrings(bindings) as Record<string, unknown>, options);
  } as Logger['child'];
  return logger;
}
