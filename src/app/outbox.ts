/**
 * Wires the notification outbox from the configuration: the table, the transports in order of preference
 * (the Telegram chat a case came from when the bot is on, e-mail when SMTP_URL is set, SMS when SMS_GATEWAY_URL is set, then the log outside production) and the
 * retry policy. The configuration already refused, outside production, any SMTP or SMS host that is not
 * this machine (src/config/schema.ts), so nothing built here can reach a real address in development.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { Clock } from '../core/ports.ts';
import type { OutboxDeps } from '../notify/outbox.ts';
import { createLogTransport } from '../notify/transports/log.ts';
import { createSmsGatewayTransport } from '../notify/transports/sms.ts';
import { createSmtpTransport } from '../notify/transports/smtp.ts';
import { createTelegramTransport, withTelegramChats, type TelegramSender } from '../notify/transports/telegram.ts';
import type { Transport } from '../notify/transports/transport.ts';
import type { Db } from '../storage/db.ts';
import { createNotificationStore } from '../storage/notification-store.ts';
import { createTelegramStore } from '../storage/telegram-store.ts';

export function createTransports(config: Config, logger: Logger, telegram?: TelegramSender | null): Transport[] {
  const transports: Transport[] = [];
  // First: a case that came through the Telegram bot is answered in its chat (only such cases are reachable there).
  if (telegram) transports.push(createTelegramTransport(telegram));
  if (config.SMTP_URL) transports.push(createSmtpTransport({ url: config.SMTP_URL, from: config.SMTP_FROM, timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS }));
  if (config.SMS_GATEWAY_URL) {
    transports.push(createSmsGatewayTransport({ url: config.SMS_GATEWAY_URL, token: config.SMS_GATEWAY_TOKEN, timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS }));
  }
  // The log is a demo stand-in, not a delivery: in production a notice nobody can receive stays undelivered
  // (and is retried, then reported as failed) instead of counting as heard, e.g. for a notice a deadline waits on.
  if (config.NODE_ENV !== 'production') transports.push(createLogTransport(logger));
  return transports;
}

export function createOutbox(config: Config, db: Db, clock: Clock, logger: Logger, telegram?: TelegramSender | null): OutboxDeps {
  const store = createNotificationStore(db);
  return {
    store: telegram ? withTelegramChats(store, createTelegramStore(db).chatsOfCases) : store,
    clock,
    transports: createTransports(config, logger, telegram),
    logger,
    policy: {
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      backoffBaseMs: config.NOTIFY_BACKOFF_BASE_MS,
      backoffMaxMs: config.NOTIFY_BACKOFF_MAX_MS,
      leaseMs: config.NOTIFY_LEASE_MS,
      sendTimeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
    },
  };
}
