import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot API method call the fake received. */
export interface BotCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeBotApi {
  /** The base URL to configure as TELEGRAM_API_URL. */
  url: string;
  calls: BotCall[];
  /** Files getFile and the download serve, by file_id. */
  files: Map<string, { path: string; bytes: Uint8Array; declaredSize?: number }>;
  /** Statuses for the next calls of a method (e.g. 502 for sendMessage), in order; then 200. */
  failures: Map<string, number[]>;
  callsOf(method: string): BotCall[];
  /** The texts sent to a chat, in order. */
  textsTo(chatId: number): string[];
  close(): Promise<void>;
}

/**
 * A local Telegram Bot API on 127.0.0.1 and a random port: answers sendMessage, answerCallbackQuery and
 * getFile as Telegram does ({ok, result} or {ok: false, error_code, description}), serves file bytes under
 * /file/bot<token>/<path>, and records every call. Only the given token is accepted (401 otherwise).
 */
export async function startFakeBotApi(token: string): Promise<FakeBotApi> {
  const calls: BotCall[] = [];
  const files = new Map<string, { path: string; bytes: Uint8Array; declaredSize?: number }>();
  const failures = new Map<string, number[]>();
  let messageId = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const filePrefix = `/file/bot${token}/`;
      if (req.method === 'GET' && url.startsWith(filePrefix)) {
        const path = decodeURIComponent(url.slice(filePrefix.length));
        const file = [...files.values()].find((f) => f.path === path);
        calls.push({ method: 'download', body: { path } });
        if (!file) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(Buffer.from(file.bytes));
      }
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(url);
      if (!m || req.method !== 'POST') return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
      if (m[1] !== token) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[2]!;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      calls.push({ method, body });
      const failure = failures.get(method)?.shift();
      if (failure) return answer(failure, { ok: false, error_code: failure, description: `Forced failure ${failure}` });
      switch (method) {
        case 'sendMessage':
          return answer(200, { ok: true, result: { message_id: ++messageId, chat: { id: body['chat_id'], type: 'private' }, date: 1_700_000_000, text: body['text'] } });
        case 'answerCallbackQuery':
          return answer(200, { ok: true, result: true });
        case 'getFile': {
          const file = files.get(String(body['file_id']));
          if (!file) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
          return answer(200, { ok: true, result: { file_id: body['file_id'], file_unique_id: `u-${String(body['file_id'])}`, file_size: file.declaredSize ?? file.bytes.byteLength, file_path: file.path } });
        }
        default:
          return answer(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    files,
    failures,
    callsOf: (method) => calls.filter((c) => c.method === method),
    textsTo: (chatId) => calls.filter((c) => c.method === 'sendMessage' && c.body['chat_id'] === chatId).map((c) => String(c.body['text'])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Update ids are unique across the bot, whatever the chat. */
let lastUpdateId = 100_000;

/** Builds Bot API updates as Telegram sends them (with a few fields the door does not read, as Telegram does). */
export function updates(chatId: number, options: { languageCode?: string } = {}) {
  const nextUpdateId = () => ++lastUpdateId;
  let messageId = 0;
  const from = { id: chatId, is_bot: false, first_name: 'Айгерим', language_code: options.languageCode ?? 'ru' };
  const chat = { id: chatId, first_name: 'Айгерим', type: 'private' };
  const message = (extra: Record<string, unknown>) => ({ update_id: nextUpdateId(), message: { message_id: ++messageId, from, chat, date: 1_764_046_800, ...extra } });
  return {
    text: (text: string) => message({ text, ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}) }),
    location: (latitude: number, longitude: number) => message({ location: { latitude, longitude } }),
    photo: (fileId: string, fileSize?: number) =>
      message({
        photo: [
          { file_id: `${fileId}-thumb`, file_unique_id: `${fileId}-t`, width: 90, height: 90, file_size: 1_000 },
          { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 960, ...(fileSize !== undefined ? { file_size: fileSize } : {}) },
        ],
      }),
    contact: (phone: string, userId: number = chatId) => message({ contact: { phone_number: phone, first_name: 'Айгерим', user_id: userId } }),
    button: (data: string) => {
      const updateId = nextUpdateId();
      return {
      update_id: updateId,
      callback_query: { id: `cb-${updateId}`, from, message: { message_id: messageId, chat, date: 1_764_046_800, text: '…' }, chat_instance: '42', data },
      };
    },
  };
}
