import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiError, createBotApi, FileTooLargeError, type BotApi } from '../../src/channels/telegram/bot-api.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createTelegramTransport } from '../../src/notify/transports/telegram.ts';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.ts';

/** The Bot API client against the local fake: loopback only outside production, no token in errors, size limits. */

const TOKEN = '987654321:ZZsecret-token-never-in-errors';
let bot: FakeBotApi;
let api: BotApi;

beforeAll(async () => {
  bot = await startFakeBotApi(TOKEN);
  api = createBotApi({ baseUrl: bot.url, token: TOKEN, timeoutMs: 5_000, allowRemote: false });
});
afterAll(() => bot.close());

describe('the Bot API client', () => {
  it('refuses a non-loopback base URL outside production, in the client and in the configuration', () => {
    expect(() => createBotApi({ baseUrl: 'https://api.telegram.org', token: TOKEN, timeoutMs: 1_000, allowRemote: false })).toThrow(/loopback/);
    expect(() => createBotApi({ baseUrl: 'https://api.telegram.org', token: TOKEN, timeoutMs: 1_000, allowRemote: true })).not.toThrow();
    expect(() => loadConfig({}, { NODE_ENV: 'development', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_URL: 'https://api.telegram.org' })).toThrow(/TELEGRAM_API_URL/);
    expect(() => loadConfig({}, { NODE_ENV: 'development', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_URL: 'http://127.0.0.1:9' })).not.toThrow();
    // Without a token the bot is off, and the default URL is harmless.
    expect(loadConfig({}, { NODE_ENV: 'development' }).TELEGRAM_API_URL).toBe('https://api.telegram.org');
  });

  it('never puts the token in an error, nor in a configuration error', async () => {
    bot.failures.set('sendMessage', [502]);
    const err = await api.sendMessage(1, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotApiError);
    expect((err as Error).message).toBe('Telegram sendMessage: HTTP 502 Forced failure 502');
    const wrong = createBotApi({ baseUrl: bot.url, token: '1:wrong-token-aaaaaaaaaaaaaaaaaaaa', timeoutMs: 5_000, allowRemote: false });
    expect(String(await wrong.answerCallbackQuery('q').catch((e: unknown) => e))).not.toContain('wrong-token');
    const unreachable = createBotApi({ baseUrl: 'http://127.0.0.1:9', token: TOKEN, timeoutMs: 5_000, allowRemote: false });
    expect(String(await unreachable.sendMessage(1, 'x').catch((e: unknown) => e))).not.toContain(TOKEN.split(':')[1]);
    const config = (() => {
      try {
        loadConfig({}, { TELEGRAM_BOT_TOKEN: 'not a token secret-value' });
        return '';
      } catch (e) {
        return String(e);
      }
    })();
    expect(config).toContain('TELEGRAM_BOT_TOKEN');
    expect(config).not.toContain('secret-value');
  });

  it('stops a download past the limit, and refuses a file path that climbs out', async () => {
    bot.files.set('big', { path: 'photos/big.jpg', bytes: new Uint8Array(4_096) });
    const { filePath } = await api.getFile('big');
    await expect(api.downloadFile(filePath, 1_024)).rejects.toBeInstanceOf(FileTooLargeError);
    expect((await api.downloadFile(filePath, 4_096)).byteLength).toBe(4_096);
    bot.files.set('evil', { path: '../../etc/passwd', bytes: new Uint8Array(1) });
    await expect(api.getFile('evil')).rejects.toBeInstanceOf(BotApiError);
    await expect(api.downloadFile('/etc/passwd', 10)).rejects.toBeInstanceOf(BotApiError);
  });

  it('sends keyboards in the Bot API form and cuts a message at 4,096 characters', async () => {
    await api.sendMessage(42, 'x'.repeat(5_000), { keyboard: { type: 'inline', rows: [[{ text: 'OK', data: 'confirm:send' }]] } });
    const call = bot.callsOf('sendMessage').at(-1)!;
    expect(String(call.body['text'])).toHaveLength(4_096);
    expect(call.body['reply_markup']).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: 'confirm:send' }]] });
    await api.sendMessage(42, 'share', { keyboard: { type: 'contact', label: 'Phone' } });
    expect(bot.callsOf('sendMessage').at(-1)!.body['reply_markup']).toEqual({ keyboard: [[{ text: 'Phone', request_contact: true }]], one_time_keyboard: true, resize_keyboard: true });
  });
});

describe('the telegram transport', () => {
  it('reaches only a recipient whose case came through a chat, and reports a failed send', async () => {
    const transport = createTelegramTransport(api);
    expect(transport.canReach({ userId: 'u', email: 'a@b.kz', phone: '+77015551234' })).toBe(false);
    expect(transport.canReach({ userId: 'u', email: null, phone: null, telegramChatId: null })).toBe(false);
    expect(transport.canReach({ userId: 'u', email: null, phone: null, telegramChatId: 77 })).toBe(true);
    const notice = { notificationId: 1, caseId: 'c', template: 'case_answered', language: 'ru' as const, subject: 'Тема', text: 'Текст' };
    await transport.send({ userId: 'u', email: null, phone: null, telegramChatId: 77 }, notice, new AbortController().signal);
    expect(bot.callsOf('sendMessage').at(-1)!.body).toMatchObject({ chat_id: 77, text: 'Тема\n\nТекст' });
    bot.failures.set('sendMessage', [403]);
    await expect(transport.send({ userId: 'u', email: null, phone: null, telegramChatId: 77 }, notice, new AbortController().signal)).rejects.toThrow(/HTTP 403/);
  });
});
