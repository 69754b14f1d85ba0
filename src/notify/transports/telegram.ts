/**
 * Notices of a case that came through the Telegram bot go back to its chat with sendMessage. The chat is
 * found per case (the door links each case it registers to its chat: telegram_cases), so a person who also
 * files through the web keeps their e-mail or SMS for those cases. A claimed notice's recipient gets the
 * chat id from `withTelegramChats` (one query per claimed batch, outside any transaction), because a
 * transport decides synchronously whether it reaches somebody.
 *
 * Confidential cases never reach this transport: the core writes no notice for them (src/core/notices.ts).
 * A failed send (Telegram down, the bot blocked by the person) is a failed attempt, retried by the outbox.
 */
import type { OutboxStore } from '../outbox.ts';
import { DeliveryError, type OutgoingNotice, type Recipient, type Transport } from './transport.ts';

/** The one Bot API call the transport needs (src/channels/telegram/bot-api.ts implements it). */
export interface TelegramSender {
  sendMessage(chatId: number, text: string, options?: { signal?: AbortSignal | undefined }): Promise<void>;
}

export function createTelegramTransport(sender: TelegramSender): Transport {
  return {
    name: 'telegram',
    canReach: (r: Recipient) => typeof r.telegramChatId === 'number',
    async send(recipient: Recipient, notice: OutgoingNotice, signal: AbortSignal) {
      if (typeof recipient.telegramChatId !== 'number') throw new DeliveryError('no Telegram chat');
      try {
        await sender.sendMessage(recipient.telegramChatId, `${notice.subject}\n\n${notice.text}`, { signal });
      } catch (err) {
        // The Bot API client's errors name the method and Telegram's status only (never the token or the URL).
        throw new DeliveryError(err instanceof Error ? err.message : 'Telegram: send failed');
      }
    },
  };
}

/** The outbox store with each claimed notice's Telegram chat filled in (cases that came through the bot). */
export function withTelegramChats(store: OutboxStore, chatsOfCases: (caseIds: readonly string[]) => Promise<ReadonlyMap<string, number>>): OutboxStore {
  return {
    ...store,
    async claimDue(now, limit, leaseUntil) {
      const claimed = await store.claimDue(now, limit, leaseUntil);
      if (claimed.length === 0) return claimed;
      const chats = await chatsOfCases([...new Set(claimed.map((n) => n.caseId))]);
      return claimed.map((n) => ({ ...n, recipient: { ...n.recipient, telegramChatId: chats.get(n.caseId) ?? null } }));
    },
  };
}
