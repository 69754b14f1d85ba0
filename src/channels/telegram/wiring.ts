import type { Platform } from '../../app/platform.ts';
import type { BotApi } from './bot-api.ts';
import type { TelegramDoorDeps } from './door.ts';

/** At most this many photos per report (as a 102 report). */
export const TELEGRAM_MAX_PHOTOS = 5;
/** The intake keeps 500 characters of an address. */
const ADDRESS_MAX_CHARS = 500;

/** The door's dependencies from the platform, with the Bot API to talk through (the configured one, or a demo's). */
export function telegramDoorDeps(platform: Platform, botApi: BotApi): TelegramDoorDeps {
  return {
    store: platform.telegram.store,
    botApi,
    intake: platform.intake,
    attachments: platform.attachments,
    calendar: platform.calendar,
    logger: platform.logger,
    limits: {
      textMaxChars: platform.config.TEXT_MAX_CHARS,
      maxPhotos: TELEGRAM_MAX_PHOTOS,
      maxPhotoBytes: platform.config.ATTACHMENT_MAX_BYTES,
      addressMaxChars: ADDRESS_MAX_CHARS,
    },
  };
}
