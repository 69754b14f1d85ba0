import { z } from 'zod';

const flag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', ''])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes');

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
    DEADLINE_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
    ATTACHMENT_TYPES: z
      .string()
      .default('image/jpeg,image/png,image/webp,image/heic,application/pdf,video/mp4,video/quicktime')
      .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)),
  })
  .strict();

export type Config = Readonly<z.output<typeof configSchema>>;
export const configKeys = Object.keys(configSchema.shape) as (keyof Config)[];
