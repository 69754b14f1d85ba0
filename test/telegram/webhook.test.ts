import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleUpdate } from '../../src/channels/telegram/door.ts';
import { telegramDoorDeps } from '../../src/channels/telegram/wiring.ts';
import { buildApp } from '../../src/http/app.ts';
import { runOutboxTick } from '../../src/jobs/outbox-worker.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { exe, png, sha256 } from '../support/files.ts';
import { startFakeBotApi, updates, type FakeBotApi } from './fake-bot-api.ts';

/**
 * The Telegram door end to end: webhook updates as Telegram sends them → the conversation → a case
 * through the one intake, photos fetched from a local fake Bot API and attached with their hashes → a
 * staff step → the notice back to the chat through the outbox. And the bad input: forged or missing
 * secret, unknown fields, malformed bodies, retried updates, a "photo" that is an executable, /cancel.
 */

const TOKEN = '123456789:AAtest-token_for-the-fake-bot-api';
const SECRET = 'webhook-secret-0123456789';
const WEBHOOK = '/api/v1/channels/telegram/webhook';
/** Inside Astana (Yesil district). */
const ASTANA = { latitude: 51.1283, longitude: 71.4305 };

let t: TestApp;
let bot: FakeBotApi;
let nextChat = 5_000_000_000;

beforeAll(async () => {
  bot = await startFakeBotApi(TOKEN);
  t = await buildTestApp({ config: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_URL: bot.url } });
});
afterAll(async () => {
  await t?.close();
  await bot?.close();
});
beforeEach(() => {
  bot.failures.clear();
});

const post = (update: unknown, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }) =>
  t.request({ method: 'POST', url: WEBHOOK, headers, payload: update as Record<string, unknown> });

async function send(update: unknown): Promise<string> {
  const res = await post(update);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ outcome: string }>().outcome;
}

async function count(table: string): Promise<number> {
  const { rows } = await t.platform.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

async function casesOf(chatId: number): Promise<string[]> {
  const { rows } = await t.platform.db.query<{ case_id: string }>('SELECT case_id FROM telegram_cases WHERE chat_id = $1 ORDER BY created_at', [chatId]);
  return rows.map((r) => r.case_id);
}

async function stepOf(chatId: number): Promise<string | null> {
  const { rows } = await t.platform.db.query<{ step: string }>('SELECT step FROM telegram_chats WHERE chat_id = $1', [chatId]);
  return rows[0]?.step ?? null;
}

function addFile(fileId: string, bytes: Uint8Array, declaredSize?: number): void {
  bot.files.set(fileId, { path: `photos/${fileId}.bin`, bytes, ...(declaredSize !== undefined ? { declaredSize } : {}) });
}

/** Runs language → text → point → two photos → done, and returns the photos' bytes. */
async function fillReport(u: ReturnType<typeof updates>, language: 'kk' | 'ru' | 'en', text: string, prefix: string) {
  await send(u.text('/start'));
  await send(u.button(`lang:${language}`));
  await send(u.text(text));
  await send(u.location(ASTANA.latitude, ASTANA.longitude));
  const first = png(prefix.charCodeAt(0) & 0xff);
  const second = png((prefix.charCodeAt(0) + 1) & 0xff);
  addFile(`${prefix}-1`, first);
  addFile(`${prefix}-2`, second);
  await send(u.photo(`${prefix}-1`));
  await send(u.photo(`${prefix}-2`));
  await send(u.button('photos:done'));
  return [first, second];
}

describe('a whole conversation', () => {
  it('in Russian, with the phone shared: a city case with the text, the point and 2 photos; a staff resolution comes back to the chat', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    const text = 'Во дворе дома на Кенесары, 40 третий день не горят фонари, вечером очень темно.';
    const photos = await fillReport(u, 'ru', text, 'ru');
    expect(await stepOf(chat)).toBe('confirm');
    await send(u.contact('+7 701 555 12 34'));
    await send(u.button('confirm:send'));

    const [caseId] = await casesOf(chat);
    expect(caseId).toBeDefined();
    const record = (await t.platform.intake.store.get(caseId!))!;
    expect(record).toMatchObject({ channel: 'city', text, language: 'ru', location: { lat: ASTANA.latitude, lon: ASTANA.longitude }, anonymous: false });
    expect(record.applicantId).not.toBeNull();
    const events = await t.platform.intake.store.events(caseId!);
    const hashes = events.filter((e) => e.type === 'case.attachment_added').map((e) => e.payload['sha256']);
    expect(hashes.sort()).toEqual(photos.map(sha256).sort());
    expect(await stepOf(chat)).toBe('idle');

    // The person heard every step, in Russian, and the receipt names the case.
    const texts = bot.textsTo(chat);
    expect(texts.some((s) => s.startsWith('Что случилось?'))).toBe(true);
    expect(texts.some((s) => s.includes('Фото получено: 2 из 5'))).toBe(true);
    expect(texts.at(-1)).toContain(`Сообщение зарегистрировано, номер: ${record.registrationNumber}`);
    expect(bot.callsOf('answerCallbackQuery').length).toBeGreaterThanOrEqual(3);
    expect(bot.callsOf('getFile').map((c) => c.body['file_id'])).toEqual(expect.arrayContaining(['ru-1', 'ru-2']));

    // Staff resolve it on first contact: the notice goes back to the chat through the outbox.
    const registrar = await t.staff('registrar', record.organisationId);
    const answer = 'Заявка передана в управляющую компанию, освещение восстановят до пятницы.';
    const acted = await t.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/actions/resolve_on_first_contact`,
      headers: bearer(registrar.token),
      payload: { outcome: 'explained', answer },
    });
    expect(acted.statusCode, acted.body).toBe(200);
    const before = bot.textsTo(chat).length;
    const tick = await runOutboxTick(t.platform.outbox);
    expect(tick.byTransport['telegram']).toBe(1);
    const notice = bot.textsTo(chat).slice(before);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain(record.registrationNumber);
    const sent = (await t.platform.intake.store.events(caseId!)).find((e) => e.type === 'case.applicant_notified');
    expect(sent?.payload).toMatchObject({ transport: 'telegram' });

    // /status shows the new state.
    await send(u.text('/status'));
    expect(bot.textsTo(chat).at(-1)).toMatch(new RegExp(`${record.registrationNumber} \\(\\d{4}-\\d{2}-\\d{2}\\) — решено`));
  });

  it('in Kazakh, without a phone: an anonymous case with the text, the point and 2 photos; the tracking code is given in the chat', async () => {
    const chat = ++nextChat;
    const u = updates(chat, { languageCode: 'kk' });
    const text = 'Сарыарқа даңғылындағы аялдаманың жанында қоқыс жәшіктері үш күннен бері шығарылмаған.';
    const photos = await fillReport(u, 'kk', text, 'kk');
    await send(u.button('confirm:send'));

    const [caseId] = await casesOf(chat);
    const record = (await t.platform.intake.store.get(caseId!))!;
    expect(record).toMatchObject({ channel: 'city', text, language: 'kk', location: { lat: ASTANA.latitude, lon: ASTANA.longitude }, anonymous: true, applicantId: null });
    const hashes = (await t.platform.intake.store.events(caseId!)).filter((e) => e.type === 'case.attachment_added').map((e) => e.payload['sha256']);
    expect(hashes.sort()).toEqual(photos.map(sha256).sort());

    const receipt = bot.textsTo(chat).at(-1)!;
    expect(receipt).toContain(`Хабарламаңыз анонимді түрде тіркелді, нөмірі: ${record.registrationNumber}`);
    const code = /Бақылау коды: (\S+)/.exec(receipt)?.[1];
    expect(code).toBeDefined();
    // The code in the chat opens the case.
    const tracked = await t.request({ method: 'GET', url: '/api/v1/track', headers: { 'x-tracking-code': code! } });
    expect(tracked.statusCode, tracked.body).toBe(200);
    expect(tracked.json<{ id: string }>().id).toBe(caseId);
  });

  it('sends a report the classifier is sure is a crime, with a point, to 102 (anonymous: the law\'s exception)', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    const base = telegramDoorDeps(t.platform, t.platform.telegram.botApi!);
    const crime = { category: 'safety.theft', kind: 'application' as const, urgency: 'urgent' as const, confidence: 0.93, confident: true };
    const deps = { ...base, intake: { ...base.intake, classifier: { classify: async () => crime } } };
    const bytes = png(0x77);
    addFile('theft-1', bytes);
    for (const update of [
      u.text('/start'),
      u.button('lang:ru'),
      u.text('У подъезда только что вскрыли машину и украли магнитолу, вор убежал в сторону парка.'),
      u.location(ASTANA.latitude, ASTANA.longitude),
      u.photo('theft-1'),
      u.button('photos:done'),
      u.button('confirm:send'),
    ]) {
      expect((await handleUpdate(deps, update)).status).toBe('handled');
    }
    const [caseId] = await casesOf(chat);
    const record = (await t.platform.intake.store.get(caseId!))!;
    expect(record).toMatchObject({ channel: 'police', category: 'safety.theft', anonymous: true, location: { lat: ASTANA.latitude, lon: ASTANA.longitude } });
    expect(record.registrationNumber).toMatch(/^102-/);
    const hashes = (await t.platform.intake.store.events(caseId!)).filter((e) => e.type === 'case.attachment_added').map((e) => e.payload['sha256']);
    expect(hashes).toEqual([sha256(bytes)]);
  });

  it('sends no notice of a confidential case to the chat, and /status does not show its state', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    const base = telegramDoorDeps(t.platform, t.platform.telegram.botApi!);
    const domestic = { category: 'safety.domestic', kind: 'application' as const, urgency: 'urgent' as const, confidence: 0.9, confident: true };
    const deps = { ...base, intake: { ...base.intake, classifier: { classify: async () => domestic } } };
    for (const update of [
      u.text('/start'),
      u.button('lang:ru'),
      u.text('Муж снова поднял на меня руку, я боюсь возвращаться домой.'),
      u.button('place:skip'),
      u.button('photos:done'),
      u.contact('+77015559876'),
      u.button('confirm:send'),
    ]) {
      expect((await handleUpdate(deps, update)).status).toBe('handled');
    }
    const [caseId] = await casesOf(chat);
    const record = (await t.platform.intake.store.get(caseId!))!;
    expect(record).toMatchObject({ channel: 'city', category: 'safety.domestic', confidential: true, anonymous: false });
    // Worked and resolved by staff who may read it; the step writes no notice, so nothing reaches the chat.
    const head = await t.staff('head', record.organisationId);
    const registrar = await t.staff('registrar', record.organisationId);
    const assigned = await t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/assign`, headers: bearer(head.token), payload: { assigneeId: registrar.id } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const acted = await t.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/actions/resolve_on_first_contact`,
      headers: bearer(registrar.token),
      payload: { outcome: 'explained', answer: 'С вами свяжется участковый и специалист кризисного центра.' },
    });
    expect(acted.statusCode, acted.body).toBe(200);
    const before = bot.textsTo(chat).length;
    await runOutboxTick(t.platform.outbox);
    expect(bot.textsTo(chat)).toHaveLength(before);
    const { rows } = await t.platform.db.query('SELECT 1 FROM notifications WHERE case_id = $1', [caseId]);
    expect(rows).toEqual([]);
    await send(u.text('/status'));
    expect(bot.textsTo(chat).at(-1)).toContain(`${record.registrationNumber} (`);
    expect(bot.textsTo(chat).at(-1)).toContain('конфиденциально');
    expect(bot.textsTo(chat).at(-1)).not.toContain('решено');
  });

  it('takes an address instead of a point, and Skip for photos', async () => {
    const chat = ++nextChat;
    const u = updates(chat, { languageCode: 'en' });
    await send(u.text('/start'));
    await send(u.button('lang:en'));
    await send(u.text('The lift in our building has been broken for a week.'));
    await send(u.text('Astana, Mangilik El avenue 55'));
    await send(u.button('photos:done'));
    await send(u.button('confirm:send'));
    const [caseId] = await casesOf(chat);
    const record = (await t.platform.intake.store.get(caseId!))!;
    expect(record).toMatchObject({ language: 'en', address: 'Astana, Mangilik El avenue 55', location: null });
    expect(await t.platform.intake.store.attachments(caseId!)).toEqual([]);
  });
});

describe('the webhook secret', () => {
  it('refuses a forged secret with 403 ERR_TELEGRAM_SECRET_INVALID and stores nothing', async () => {
    const before = [await count('telegram_updates'), await count('telegram_chats'), await count('cases')];
    const u = updates(++nextChat);
    for (const forged of [`${SECRET}x`, SECRET.slice(0, -1), 'a'.repeat(SECRET.length), SECRET.toUpperCase()]) {
      const res = await post(u.text('/start'), { 'x-telegram-bot-api-secret-token': forged });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'ERR_TELEGRAM_SECRET_INVALID' } });
    }
    expect([await count('telegram_updates'), await count('telegram_chats'), await count('cases')]).toEqual(before);
  });

  it('refuses a missing secret with 401 ERR_TELEGRAM_SECRET_MISSING and stores nothing', async () => {
    const before = await count('telegram_updates');
    const res = await post(updates(++nextChat).text('/start'), {});
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_TELEGRAM_SECRET_MISSING' } });
    expect(await count('telegram_updates')).toBe(before);
  });
});

describe('bad updates', () => {
  it('tolerates unknown fields at every level', async () => {
    const chat = ++nextChat;
    const update = {
      update_id: 900_001,
      some_future_field: { nested: [1, 2, 3] },
      message: {
        message_id: 1,
        date: 1_764_046_800,
        chat: { id: chat, type: 'private', first_name: 'A', is_forum: false, brand_new_flag: true },
        from: { id: chat, is_bot: false, first_name: 'A', language_code: 'ru', is_premium: true, added_to_attachment_menu: true },
        text: '/start',
        link_preview_options: { is_disabled: true },
        paid_star_count: 0,
      },
    };
    expect(await send(update)).toBe('handled');
    expect(await stepOf(chat)).toBe('language');
  });

  it('answers malformed JSON with 400 ERR_MALFORMED_JSON', async () => {
    const before = await count('telegram_updates');
    const res = await t.request({
      method: 'POST',
      url: WEBHOOK,
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: '{"update_id": 1, "message": {',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_MALFORMED_JSON' } });
    expect(await count('telegram_updates')).toBe(before);
  });

  it.each([
    ['an array', [1, 2]],
    ['no update_id', { message: { message_id: 1, chat: { id: 1, type: 'private' }, date: 1, text: 'hi' } }],
    ['a string update_id', { update_id: '12' }],
    ['a fractional update_id', { update_id: 1.5 }],
    ['a message without chat', { update_id: 910_001, message: { message_id: 1, date: 1, text: 'hi' } }],
    ['a chat id that is not a number', { update_id: 910_002, message: { message_id: 1, date: 1, chat: { id: 'x', type: 'private' }, text: 'hi' } }],
    ['a location without longitude', { update_id: 910_003, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, location: { latitude: 51 } } }],
    ['an empty photo list', { update_id: 910_004, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, photo: [] } }],
    ['a text that is a number', { update_id: 910_005, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 5 } }],
  ])('refuses %s with 400 ERR_TELEGRAM_UPDATE_INVALID and stores nothing', async (_name, body) => {
    const before = [await count('telegram_updates'), await count('telegram_chats')];
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_TELEGRAM_UPDATE_INVALID' } });
    expect([await count('telegram_updates'), await count('telegram_chats')]).toEqual(before);
  });

  it('handles a retried update once: no second case, no second reply', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    await send(u.text('/start'));
    await send(u.button('lang:ru'));
    await send(u.text('Яма на дороге у школы №12, машины объезжают по тротуару.'));
    await send(u.button('place:skip'));
    await send(u.button('photos:done'));
    const confirm = u.button('confirm:send');
    expect(await send(confirm)).toBe('handled');
    const replies = bot.textsTo(chat).length;
    expect(await send(confirm)).toBe('duplicate');
    expect(await send(confirm)).toBe('duplicate');
    expect(await casesOf(chat)).toHaveLength(1);
    expect(bot.textsTo(chat)).toHaveLength(replies);
    // A second press of the same button (a new update) finds nothing to send.
    expect(await send(u.button('confirm:send'))).toBe('handled');
    expect(await casesOf(chat)).toHaveLength(1);
    expect(bot.callsOf('answerCallbackQuery').at(-1)?.body).toMatchObject({ text: 'Эта кнопка уже не действует.' });
  });

  it('handles two simultaneous deliveries of one update once', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    await send(u.text('/start'));
    await send(u.button('lang:ru'));
    await send(u.text('Сломана скамейка в сквере.'));
    await send(u.button('place:skip'));
    await send(u.button('photos:done'));
    const confirm = u.button('confirm:send');
    const outcomes = await Promise.all([post(confirm), post(confirm), post(confirm)]);
    expect(outcomes.map((r) => r.json<{ outcome: string }>().outcome).sort()).toEqual(['duplicate', 'duplicate', 'handled']);
    expect(await casesOf(chat)).toHaveLength(1);
  });

  it('tells the person when intake refuses the report, stores nothing of it, and keeps the draft to send again', async () => {
    const chat = ++nextChat;
    const u = updates(chat, { languageCode: 'en' });
    // The intake's own limit is stricter than the conversation's: the refusal comes from submitCase itself.
    const base = telegramDoorDeps(t.platform, t.platform.telegram.botApi!);
    const deps = { ...base, intake: { ...base.intake, textMaxChars: 10 } };
    const before = await count('cases');
    for (const update of [u.text('/start'), u.button('lang:en'), u.text('A text longer than ten characters.'), u.button('place:skip'), u.button('photos:done')]) {
      expect((await handleUpdate(deps, update)).status).toBe('handled');
    }
    const confirm = u.button('confirm:send');
    expect(await handleUpdate(deps, confirm)).toEqual({ status: 'handled', updateId: confirm.update_id });
    expect(bot.textsTo(chat).at(-1)).toBe('The report could not be registered (ERR_TEXT_TOO_LONG). Check it and press “Send” again, or type /cancel.');
    expect(await count('cases')).toBe(before);
    expect(await stepOf(chat)).toBe('confirm');
    expect(await handleUpdate(deps, confirm)).toEqual({ status: 'duplicate', updateId: confirm.update_id });
    // Through the real limits the same draft goes through.
    await send(u.button('confirm:send'));
    expect(await casesOf(chat)).toHaveLength(1);
  });

  it('refuses a "photo" that is an executable: told so, nothing kept, still waiting for photos', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    await send(u.text('/start'));
    await send(u.button('lang:ru'));
    await send(u.text('Открыт канализационный люк возле остановки.'));
    await send(u.button('place:skip'));
    const bytes = exe();
    addFile('exe-1', bytes);
    await send(u.photo('exe-1'));
    expect(bot.textsTo(chat).at(-1)).toContain('Этот файл — не фотография');
    expect(await t.platform.attachments.blobs.get(sha256(bytes)).catch(() => null)).toBeNull();
    expect(await stepOf(chat)).toBe('photos');
    const { rows } = await t.platform.db.query<{ draft: { photos: unknown[] } }>('SELECT draft FROM telegram_chats WHERE chat_id = $1', [chat]);
    expect(rows[0]!.draft.photos).toEqual([]);
  });

  it('refuses a photo Telegram says is too large without downloading it', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    await send(u.text('/start'));
    await send(u.button('lang:en'));
    await send(u.text('Fallen tree blocks the pavement.'));
    await send(u.button('place:skip'));
    const downloads = bot.callsOf('download').length;
    await send(u.photo('huge', t.platform.config.ATTACHMENT_MAX_BYTES + 1));
    expect(bot.textsTo(chat).at(-1)).toContain('The file is too large');
    expect(bot.callsOf('download')).toHaveLength(downloads);
  });

  it('drops the report on /cancel mid-way: no case, and its buttons no longer work', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    await send(u.text('/start'));
    await send(u.button('lang:ru'));
    await send(u.text('Не вывозят мусор уже неделю.'));
    await send(u.location(ASTANA.latitude, ASTANA.longitude));
    await send(u.text('/cancel'));
    expect(bot.textsTo(chat).at(-1)).toBe('Сообщение отменено, ничего не отправлено. Начать заново: /new');
    expect(await stepOf(chat)).toBe('idle');
    await send(u.button('photos:done'));
    await send(u.button('confirm:send'));
    expect(await casesOf(chat)).toEqual([]);
    expect(await stepOf(chat)).toBe('idle');
  });

  it('ignores group chats and updates it has no use for, recording them as handled', async () => {
    const group = { update_id: 920_001, message: { message_id: 1, date: 1, chat: { id: -100123, type: 'supergroup' }, text: '/start' } };
    expect(await send(group)).toBe('ignored');
    expect(await send(group)).toBe('duplicate');
    expect(await send({ update_id: 920_002, edited_message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'x' } })).toBe('ignored');
    expect(bot.textsTo(-100123)).toEqual([]);
  });

  it('keeps a report when the Bot API is down (the state commits; the reply is lost, not the update)', async () => {
    const chat = ++nextChat;
    const u = updates(chat);
    await send(u.text('/start'));
    bot.failures.set('sendMessage', [502, 502]);
    bot.failures.set('answerCallbackQuery', [502]);
    expect(await send(u.button('lang:ru'))).toBe('handled');
    expect(await stepOf(chat)).toBe('text');
  });
});

describe('a door that is not configured', () => {
  it('answers 404 ERR_TELEGRAM_DISABLED without a bot token or without a webhook secret', async () => {
    const variants = [
      { ...t.platform, telegram: { ...t.platform.telegram, botApi: null } },
      { ...t.platform, config: { ...t.platform.config, TELEGRAM_WEBHOOK_SECRET: undefined } },
    ];
    for (const platform of variants) {
      const app = await buildApp(platform);
      try {
        const res = await app.inject({ method: 'POST', url: WEBHOOK, headers: { 'x-telegram-bot-api-secret-token': SECRET }, payload: { update_id: 1 } });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'ERR_TELEGRAM_DISABLED' } });
      } finally {
        await app.close();
      }
    }
  });
});

describe('the demo', () => {
  it('registers its conversations through the real handler, once', async () => {
    const { seedTelegramDemo } = await import('../../src/app/demo/telegram.ts');
    const first = await seedTelegramDemo(t.platform);
    expect(first).toEqual({ conversations: 5, cases: 4 });
    const { rows } = await t.platform.db.query<{ channel: string; language: string; anonymous: boolean; files: number }>(
      `SELECT c.channel, c.language, c.anonymous, (SELECT count(*)::int FROM case_attachments a WHERE a.case_id = c.id) AS files
       FROM telegram_cases tc JOIN cases c ON c.id = tc.case_id WHERE tc.chat_id >= 7000000001 ORDER BY tc.chat_id`,
    );
    expect(rows).toEqual([
      { channel: 'city', language: 'ru', anonymous: false, files: 2 },
      { channel: 'city', language: 'kk', anonymous: true, files: 1 },
      { channel: 'city', language: 'en', anonymous: true, files: 0 },
      { channel: 'city', language: 'ru', anonymous: false, files: 0 },
    ]);
    expect(await seedTelegramDemo(t.platform)).toEqual({ conversations: 5, cases: 0 });
  });
});
