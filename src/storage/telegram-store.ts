/**
 * The Telegram door's tables (migrations/0010_telegram.sql): conversations per chat, the updates already
 * handled, and which case came from which chat. The conversation's draft is stored as the door gives it;
 * the door validates its shape when it reads it back (src/channels/telegram/conversation.ts).
 */
import type { Language } from '../core/model.ts';
import type { Db } from './db.ts';

export interface TelegramChatRow {
  chatId: number;
  language: Language | null;
  step: string;
  draft: unknown;
  userId: string | null;
}

export interface TelegramStore {
  /** Runs fn in one transaction: every store and case command called inside joins it (see db.ts, ambient). */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
  isHandled(updateId: number): Promise<boolean>;
  /** Records an update as handled; false when it already was (an earlier or a concurrent delivery). */
  markHandled(updateId: number, chatId: number | null, at: Date): Promise<boolean>;
  getChat(chatId: number): Promise<TelegramChatRow | null>;
  /** The chat's conversation (created idle when new), locked until the transaction ends. */
  lockChat(chatId: number, at: Date): Promise<TelegramChatRow>;
  saveChat(row: TelegramChatRow, at: Date): Promise<void>;
  linkCase(caseId: string, chatId: number, at: Date): Promise<void>;
  /** The chat's cases, newest first. */
  casesOfChat(chatId: number, limit: number): Promise<string[]>;
  /** The chat each of these cases came from (cases that did not come through Telegram are absent). */
  chatsOfCases(caseIds: readonly string[]): Promise<Map<string, number>>;
}

interface ChatRow {
  chat_id: string;
  language: Language | null;
  step: string;
  draft: unknown;
  user_id: string | null;
}

const COLUMNS = 'chat_id::text AS chat_id, language, step, draft, user_id';

const fromRow = (r: ChatRow): TelegramChatRow => ({
  chatId: Number(r.chat_id),
  language: r.language,
  step: r.step,
  draft: typeof r.draft === 'string' ? (JSON.parse(r.draft) as unknown) : r.draft,
  userId: r.user_id,
});

export function createTelegramStore(db: Db): TelegramStore {
  return {
    atomically: (fn) => db.transaction(() => fn()),

    async isHandled(updateId) {
      const { rows } = await db.query('SELECT 1 FROM telegram_updates WHERE update_id = $1', [updateId]);
      return rows.length > 0;
    },

    async markHandled(updateId, chatId, at) {
      // A concurrent delivery of the same update waits here for the first one's transaction, then does nothing.
      const { rowCount } = await db.query(
        'INSERT INTO telegram_updates (update_id, chat_id, handled_at) VALUES ($1, $2, $3) ON CONFLICT (update_id) DO NOTHING',
        [updateId, chatId, at],
      );
      return rowCount === 1;
    },

    async getChat(chatId) {
      const { rows } = await db.query<ChatRow>(`SELECT ${COLUMNS} FROM telegram_chats WHERE chat_id = $1`, [chatId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async lockChat(chatId, at) {
      await db.query(
        `INSERT INTO telegram_chats (chat_id, language, step, draft, user_id, created_at, updated_at)
         VALUES ($1, NULL, 'idle', NULL, NULL, $2, $2) ON CONFLICT (chat_id) DO NOTHING`,
        [chatId, at],
      );
      const { rows } = await db.query<ChatRow>(`SELECT ${COLUMNS} FROM telegram_chats WHERE chat_id = $1 FOR UPDATE`, [chatId]);
      return fromRow(rows[0]!);
    },

    async saveChat(row, at) {
      await db.query(
        `UPDATE telegram_chats SET language = $2, step = $3, draft = $4, user_id = $5, updated_at = $6 WHERE chat_id = $1`,
        [row.chatId, row.language, row.step, row.draft === null ? null : JSON.stringify(row.draft), row.userId, at],
      );
    },

    async linkCase(caseId, chatId, at) {
      await db.query('INSERT INTO telegram_cases (case_id, chat_id, created_at) VALUES ($1, $2, $3)', [caseId, chatId, at]);
    },

    async casesOfChat(chatId, limit) {
      const { rows } = await db.query<{ case_id: string }>(
        'SELECT case_id FROM telegram_cases WHERE chat_id = $1 ORDER BY created_at DESC, case_id LIMIT $2',
        [chatId, limit],
      );
      return rows.map((r) => r.case_id);
    },

    async chatsOfCases(caseIds) {
      if (caseIds.length === 0) return new Map();
      const { rows } = await db.query<{ case_id: string; chat_id: string }>(
        'SELECT case_id, chat_id::text AS chat_id FROM telegram_cases WHERE case_id = ANY($1::uuid[])',
        [caseIds],
      );
      return new Map(rows.map((r) => [r.case_id, Number(r.chat_id)]));
    },
  };
}
