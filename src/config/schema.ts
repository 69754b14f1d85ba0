import { z } from 'zod';

const flag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', ''])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes');

/** The host of a URL as the WHATWG parser (used by fetch and by the SMTP transport) sees it, lower-cased. */
export function hostOf(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  } catch {
    return null;
  }
}

/** 127.0.0.0/8, ::1 or localhost: a target on this machine. */
export function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url);
  return host !== null && (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

/**
 * Every configuration key, its type and default. docs/CONFIG.md documents each one and a test keeps
 * the two in sync, so a key cannot be added here without being explained there.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./var'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    DEMO: flag.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    OTP_SENDER: z.enum(['demo', 'log']).optional(),
    OTP_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
    OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    TEXT_MAX_CHARS: z.coerce.number().int().min(100).max(100_000).default(20_000),
    CLOCK_PAUSE_WHILE_AWAITING_APPLICANT: flag.default(true),
    DEADLINE_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
    CALENDAR_REFRESH_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
    LIVE_FEED_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    PUBLIC_BASE_URL: z.string().regex(/^https?:\/\/[^/?#]+$/, 'must be an http:// or https:// origin without a path, e.g. https://tyndau.example.kz').default('http://127.0.0.1:8080'),
    CHILD_CHAT_HEARTBEAT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
    CHILD_CHAT_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
    BOARD_HEARTBEAT_MS: z.coerce.number().int().min(10).max(300_000).default(15_000),
    BOARD_RETRY_MS: z.coerce.number().int().min(100).max(600_000).default(3_000),
    BOARD_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(3_600).default(60),
    BOARD_CLIENT_BUFFER_BYTES: z.coerce.number().int().min(1_024).max(64 * 1024 * 1024).default(1_048_576),
    BOARD_MAX_ROWS: z.coerce.number().int().min(10).max(10_000).default(500),
    BOARD_REPLAY_EVENTS: z.coerce.number().int().min(0).max(100_000).default(1_000),
    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
    ATTACHMENT_TYPES: z
      .string()
      .default('image/jpeg,image/png,image/webp,image/heic,application/pdf,video/mp4,video/quicktime')
      .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)),
    POLICE_MAX_FILES: z.coerce.number().int().min(0).max(20).default(5),
    POLICE_PHOTO_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
    POLICE_VIDEO_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(100 * 1024 * 1024),
    POLICE_PHOTO_TYPES: z
      .string()
      .default('image/jpeg,image/png,image/webp,image/heic,image/heif')
      .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)),
    POLICE_VIDEO_TYPES: z
      .string()
      .default('video/mp4,video/quicktime,video/3gpp')
      .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)),
    NOTIFY_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    NOTIFY_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(86_400_000).default(30_000),
    NOTIFY_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(7 * 86_400_000).default(6 * 3_600_000),
    NOTIFY_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    NOTIFY_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
    SMTP_URL: z.string().regex(/^smtps?:\/\/[^/?#]/, 'must be an smtp:// or smtps:// URL').optional(),
    SMTP_FROM: z.string().regex(/@/, 'must be a sender address, e.g. "Tyndau <no-reply@example.kz>"').default('Tyndau <no-reply@tyndau.local>'),
    SMS_GATEWAY_URL: z.string().regex(/^https?:\/\/[^/?#]/, 'must be an http:// or https:// URL').optional(),
    SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
    MEDIA_STORE: z.enum(['local', 's3']).default('local'),
    S3_ENDPOINT: z.string().regex(/^https?:\/\/[^/?#]/, 'must be an http:// or https:// URL').optional(),
    S3_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a region name such as us-east-1').default('us-east-1'),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)').optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: flag.default(false),
    TELEGRAM_API_URL: z.string().regex(/^https?:\/\/[^/?#]/, 'must be an http:// or https:// URL').default('https://api.telegram.org'),
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a bot token as @BotFather gives it (123456:ABC…)').optional(),
    TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A–Z, a–z, 0–9, _ and - (Telegram\'s secret_token alphabet)').optional(),
    SOCIAL_WEBHOOK_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{24,256}$/, 'must be 24–256 characters of A–Z, a–z, 0–9, _ and -').optional(),
    SOCIAL_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(4 * 1024 ** 3).default(512 * 1024 ** 2),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.NOTIFY_BACKOFF_MAX_MS < c.NOTIFY_BACKOFF_BASE_MS) {
      ctx.addIssue({ code: 'custom', path: ['NOTIFY_BACKOFF_MAX_MS'], message: 'must not be smaller than NOTIFY_BACKOFF_BASE_MS' });
    }
    if (c.NOTIFY_LEASE_MS < 2 * c.NOTIFY_SEND_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['NOTIFY_LEASE_MS'], message: 'must be at least twice NOTIFY_SEND_TIMEOUT_MS (a claimed notice must not be taken again while it is being sent)' });
    }
    // Outside production no notice may reach a real person: mail and SMS go only to this machine.
    if (c.NODE_ENV !== 'production') {
      for (const key of ['SMTP_URL', 'SMS_GATEWAY_URL'] as const) {
        const url = c[key];
        if (url !== undefined && !isLoopbackUrl(url)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `outside production (NODE_ENV=${c.NODE_ENV}) notices may only go to a loopback host (127.0.0.1, ::1, localhost), not ${hostOf(url) ?? 'an unparsable URL'}`,
          });
        }
      }
    }
    // The bot is on when it has a token: then outside production its Bot API must be a local fake.
    if (c.TELEGRAM_BOT_TOKEN !== undefined && c.NODE_ENV !== 'production' && !isLoopbackUrl(c.TELEGRAM_API_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_API_URL'],
        message: `outside production (NODE_ENV=${c.NODE_ENV}) the bot may only call a loopback Bot API (127.0.0.1, ::1, localhost), not ${hostOf(c.TELEGRAM_API_URL) ?? 'an unparsable URL'}`,
      });
    }
    if (c.MEDIA_STORE === 's3') {
      if (c.S3_BUCKET === undefined) ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when MEDIA_STORE=s3' });
      // Messages name keys, never values: the secret must not reach a log through a failed start.
      if ((c.S3_ACCESS_KEY_ID === undefined) !== (c.S3_SECRET_ACCESS_KEY === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together (or neither: the SDK default credential chain)' });
      }
      // Outside production media go only to this machine, as notices do (no endpoint would mean AWS itself).
      if (c.NODE_ENV !== 'production' && (c.S3_ENDPOINT === undefined || !isLoopbackUrl(c.S3_ENDPOINT))) {
        ctx.addIssue({
          code: 'custom',
          path: ['S3_ENDPOINT'],
          message: `outside production (NODE_ENV=${c.NODE_ENV}) media may only go to a loopback S3 endpoint (127.0.0.1, ::1, localhost), not ${c.S3_ENDPOINT === undefined ? 'AWS (no S3_ENDPOINT)' : (hostOf(c.S3_ENDPOINT) ?? 'an unparsable URL')}`,
        });
      }
    }
  });

export type Config = Readonly<z.output<typeof configSchema>>;
export const configKeys = Object.keys(configSchema.shape) as (keyof Config)[];
