import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { handleUpdate, type TelegramDoorDeps } from '../../../channels/telegram/door.ts';
import { verifyWebhookSecret } from '../../../channels/telegram/secret.ts';
import { telegramDoorDeps } from '../../../channels/telegram/wiring.ts';
import { DomainError } from '../../../core/errors.ts';
import { errorResponses } from '../common-schema.ts';
import { WebhookResponse } from './schema.ts';

/**
 * The Telegram webhook (setWebhook url = …/api/v1/channels/telegram/webhook, secret_token =
 * TELEGRAM_WEBHOOK_SECRET). The secret is checked before the body is read; the body is read by the door
 * itself (src/channels/telegram/update.ts), which ignores fields it does not know, as Telegram adds fields.
 */
export const telegramRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const secret = platform.config.TELEGRAM_WEBHOOK_SECRET;
  const botApi = platform.telegram.botApi;
  const deps: TelegramDoorDeps | null = secret && botApi ? telegramDoorDeps(platform, botApi) : null;

  app.post('/channels/telegram/webhook', {
    schema: {
      tags: ['channels'],
      summary: 'Telegram Bot API webhook: one Update per request',
      description: 'Requires X-Telegram-Bot-Api-Secret-Token. Idempotent by update_id; unknown fields are ignored.',
      response: { 200: WebhookResponse, ...errorResponses(400, 401, 403, 404, 413, 415, 503) },
    },
    onRequest: async (request) => {
      if (!deps || !secret) throw new DomainError('ERR_TELEGRAM_DISABLED');
      verifyWebhookSecret(secret, request.headers['x-telegram-bot-api-secret-token']);
    },
  }, async (request) => {
    const outcome = await handleUpdate(deps!, request.body);
    return { ok: true as const, outcome: outcome.status };
  });
};
