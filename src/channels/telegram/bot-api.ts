/**
 * The Telegram Bot API, the four methods the door uses: sendMessage, answerCallbackQuery, getFile and the
 * file download. The base URL is configuration (TELEGRAM_API_URL): outside production only a loopback host
 * is accepted (a local fake in tests and development), as for the SMTP and SMS transports.
 *
 * The token is part of every URL (`/bot<token>/<method>`), so no URL ever reaches an error message or a log:
 * errors name the method and Telegram's status and description only. Redirects are never followed.
 */
import { isLoopbackUrl } from '../../config/schema.ts';
import type { Keyboard } from './conversation.ts';

export interface BotApi {
  sendMessage(chatId: number, text: string, options?: { keyboard?: Keyboard | undefined; signal?: AbortSignal | undefined }): Promise<void>;
  answerCallbackQuery(callbackQueryId: string, text?: string): Promise<void>;
  /** Where Telegram keeps a file, and its size when Telegram knows it. */
  getFile(fileId: string): Promise<{ filePath: string; sizeBytes: number | null }>;
  /** The file's bytes; FileTooLargeError past maxBytes (the download stops there). */
  downloadFile(filePath: string, maxBytes: number): Promise<Uint8Array>;
}

export class BotApiError extends Error {
  override readonly name = 'BotApiError';
  constructor(
    readonly method: string,
    readonly status: number | null,
    description: string,
  ) {
    super(`Telegram ${method}: ${status === null ? '' : `HTTP ${status} `}${description}`.trim());
  }
}

export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

export interface BotApiOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** Production only: any host. Elsewhere a non-loopback base URL is refused here as well as by the configuration. */
  allowRemote: boolean;
}

/** Telegram's own limit on a message. */
const MAX_MESSAGE_CHARS = 4_096;

/** Keyboards in the Bot API's wire form. */
export function replyMarkupOf(keyboard: Keyboard): Record<string, unknown> {
  switch (keyboard.type) {
    case 'inline':
      return { inline_keyboard: keyboard.rows.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) };
    case 'contact':
      return { keyboard: [[{ text: keyboard.label, request_contact: true }]], one_time_keyboard: true, resize_keyboard: true };
    case 'remove':
      return { remove_keyboard: true };
  }
}

/** file_path as Telegram gives it ("photos/file_12.jpg"): relative, no "..", a safe alphabet. */
const FILE_PATH = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]{0,255}$/;

const describe = (err: unknown): string => {
  const e = err as { name?: unknown; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return typeof e.cause?.code === 'string' ? e.cause.code : 'request failed';
};

export function createBotApi(options: BotApiOptions): BotApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  if (!options.allowRemote && !isLoopbackUrl(base)) {
    throw new Error('TELEGRAM_API_URL must be a loopback host (127.0.0.1, ::1, localhost) outside production');
  }
  const signalOf = (signal?: AbortSignal) => (signal ? AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs));

  async function call<T>(method: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}/bot${options.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: signalOf(signal),
      });
    } catch (err) {
      throw new BotApiError(method, null, describe(err));
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      throw new BotApiError(method, response.status, 'the answer is not JSON');
    }
    const answer = parsed as { ok?: unknown; result?: unknown; description?: unknown };
    if (!response.ok || answer.ok !== true) {
      const description = typeof answer.description === 'string' ? answer.description.slice(0, 200) : 'not ok';
      throw new BotApiError(method, response.status, description);
    }
    return answer.result as T;
  }

  return {
    async sendMessage(chatId, text, opts = {}) {
      const body: Record<string, unknown> = { chat_id: chatId, text: text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text };
      if (opts.keyboard) body['reply_markup'] = replyMarkupOf(opts.keyboard);
      await call('sendMessage', body, opts.signal);
    },

    async answerCallbackQuery(callbackQueryId, text) {
      await call('answerCallbackQuery', { callback_query_id: callbackQueryId, ...(text ? { text } : {}) });
    },

    async getFile(fileId) {
      const file = await call<{ file_path?: unknown; file_size?: unknown }>('getFile', { file_id: fileId });
      if (typeof file?.file_path !== 'string' || !FILE_PATH.test(file.file_path)) throw new BotApiError('getFile', null, 'no usable file_path');
      return { filePath: file.file_path, sizeBytes: typeof file.file_size === 'number' ? file.file_size : null };
    },

    async downloadFile(filePath, maxBytes) {
      if (!FILE_PATH.test(filePath)) throw new BotApiError('file', null, 'unsafe file path');
      const path = filePath.split('/').map(encodeURIComponent).join('/');
      let response: Response;
      try {
        response = await fetch(`${base}/file/bot${options.token}/${path}`, { redirect: 'manual', signal: signalOf() });
      } catch (err) {
        throw new BotApiError('file', null, describe(err));
      }
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new BotApiError('file', response.status, 'download failed');
      }
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw new FileTooLargeError(maxBytes);
      }
      // Counted while reading: a server that lies about the length cannot make us hold more than maxBytes.
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > maxBytes) {
            await reader.cancel().catch(() => undefined);
            throw new FileTooLargeError(maxBytes);
          }
          chunks.push(value);
        }
      } catch (err) {
        if (err instanceof FileTooLargeError) throw err;
        throw new BotApiError('file', null, describe(err));
      }
      return Buffer.concat(chunks);
    },
  };
}
