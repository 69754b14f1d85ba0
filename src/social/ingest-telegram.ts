/**
 * Group and channel posts the Telegram bot sees, into the evidence. The bot's webhook belongs to the bot
 * door (src/channels/telegram/); for an update from a group, supergroup or channel it hands the body here.
 */
import { DomainError } from '../core/errors.ts';
import { BadField } from './connectors/common.ts';
import { parseBotUpdate } from './connectors/telegram-bot.ts';
import type { IngestCounts, SocialIngest } from './ingest.ts';

/** null: not a group or channel post (nothing stored). Throws ERR_TELEGRAM_UPDATE_INVALID naming a bad field. */
export async function ingestTelegramUpdate(ingest: SocialIngest, body: unknown): Promise<IngestCounts | null> {
  let parsed;
  try {
    parsed = parseBotUpdate(body);
  } catch (err) {
    if (err instanceof BadField) throw new DomainError('ERR_TELEGRAM_UPDATE_INVALID', undefined, { field: err.field, reason: err.why });
    throw err;
  }
  return parsed.post ? ingest.ingest('telegram-bot', [parsed.post]) : null;
}
