import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BadField } from '../../src/social/connectors/common.ts';
import { isSkipped, parseJsonlLine } from '../../src/social/connectors/jsonl.ts';
import { parseBotUpdate } from '../../src/social/connectors/telegram-bot.ts';
import { parseTelegramExport } from '../../src/social/connectors/telegram-export.ts';
import { parseWhatsApp } from '../../src/social/connectors/whatsapp.ts';
import type { RawPost } from '../../src/social/post.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('Telegram Desktop export', () => {
  const { posts, skipped } = parseTelegramExport(JSON.parse(fixture('telegram-result.json')));

  it('reads messages with the Bot API chat id, UTC time from date_unixtime, entities flattened, replies and photos', () => {
    expect(posts.map((p) => p.externalId)).toEqual(['-1001712345678:2', '-1001712345678:3', '-1001712345678:4', '-1001712345678:5', '-1001712345678:8']);
    const [first, reply, photo] = posts as [RawPost, RawPost, RawPost];
    expect(first).toMatchObject({ source: 'telegram', authorHandle: 'user5544332211', text: 'Третий день нет отопления в Самал-2, дом 14. Дети болеют!', threadId: '-1001712345678', kind: 'post', editedAt: null });
    expect(first.time.toISOString()).toBe('2026-11-25T04:03:11.000Z');
    expect(reply.text).toBe('У нас тоже, ул. Сыганак 10, звонил 109 — никто не приехал +7 701 234 56 78');
    expect(reply.replyTo).toBe('-1001712345678:2');
    expect(reply.editedAt?.toISOString()).toBe('2026-11-25T04:12:00.000Z');
    expect(photo).toMatchObject({ text: '', mediaUrls: ['photos/photo_4@25-11-2026_09-15-00.jpg'] });
  });

  it('reads a date without date_unixtime as Kazakhstan time (+05:00)', () => {
    expect(posts[4]!.time.toISOString()).toBe('2026-11-25T05:30:00.000Z');
  });

  it('skips service messages and reports malformed ones by position and field', () => {
    expect(skipped).toEqual([
      { at: 1, reason: 'service message' },
      { at: 6, reason: 'bad date', detail: 'message 6 (id 6): date must be YYYY-MM-DDTHH:MM:SS (or date_unixtime must be given)' },
      { at: 7, reason: 'bad text', detail: 'message 7 (id 7): text must be a string or an array of text parts' },
    ]);
  });

  it('reads a full export (chats.list) and refuses a file that is no export', () => {
    const full = { about: 'x', chats: { list: [{ name: 'Личка', type: 'personal_chat', id: 42, messages: [{ id: 1, type: 'message', date_unixtime: '1795579391', from: 'A', from_id: 'user1', text: 'привет' }] }] } };
    expect(parseTelegramExport(full).posts[0]!.externalId).toBe('42:1');
    expect(() => parseTelegramExport({ hello: 1 })).toThrow(BadField);
    expect(() => parseTelegramExport([])).toThrow(/must be a JSON object/);
  });
});

describe('WhatsApp export', () => {
  it('reads an Android export in Russian: multi-line messages, system lines, media omitted, the edited mark, deleted messages', () => {
    const { posts, skipped } = parseWhatsApp(fixture('whatsapp-android-ru.txt'), { source: 'whatsapp:Самал-2' });
    expect(posts.map((p) => [p.authorHandle, p.text, p.mediaUrls])).toEqual([
      ['Айгерим', 'Соседи, у кого нет горячей воды?\nВторой подъезд, с утра.', []],
      ['+7 701 555 12 34', 'У нас тоже нет, в 3 подъезде', []],
      ['Ерлан', '', ['whatsapp:media-omitted']],
      ['Ерлан', 'Вот фото подвала, там течёт', []],
      ['Айгерим', 'Соседи, у кого нет горячей воды?', []],
    ]);
    expect(posts[0]!.time.toISOString()).toBe('2026-11-25T09:03:00.000Z');
    expect(posts[3]!.editedAt).not.toBeNull();
    expect(skipped.map((s) => [s.at, s.reason])).toEqual([
      [1, 'system line'],
      [2, 'system line'],
      [3, 'system line'],
      [9, 'deleted before the export'],
      [10, 'bad date'],
    ]);
    // Same text, another minute: another post; ids are stable from one import to the next.
    expect(new Set(posts.map((p) => p.externalId)).size).toBe(5);
    expect(parseWhatsApp(fixture('whatsapp-android-ru.txt'), { source: 'whatsapp:Самал-2' }).posts.map((p) => p.externalId)).toEqual(posts.map((p) => p.externalId));
  });

  it('reads an iPhone export in English: brackets, seconds, 12-hour clock, narrow spaces, system and media notes', () => {
    const { posts, skipped } = parseWhatsApp(fixture('whatsapp-ios-en.txt'), { source: 'whatsapp:samal' });
    expect(posts.map((p) => [p.authorHandle, p.text, p.mediaUrls])).toEqual([
      ['Aigerim', 'No hot water in block 14 since morning', []],
      ['Yerlan', 'Same here.\nCalled 109, they said tomorrow.', []],
      ['Yerlan', '', ['whatsapp:media-omitted']],
      ['Yerlan', '', ['00000012-PHOTO-2026-11-25-14-06-00.jpg']],
      ['Aigerim', 'midnight check', []],
    ]);
    expect(posts[0]!.time.toISOString()).toBe('2026-11-25T09:03:15.000Z');
    expect(posts[1]!.time.toISOString()).toBe('2026-11-25T09:04:01.000Z');
    // 12:15 AM is a quarter past midnight.
    expect(posts[4]!.time.toISOString()).toBe('2026-11-24T19:15:00.000Z');
    expect(skipped).toEqual([{ at: 1, reason: 'system line' }]);
  });

  it('reads an Android export in Kazakh', () => {
    const { posts, skipped } = parseWhatsApp(fixture('whatsapp-android-kk.txt'), { source: 'whatsapp:kk' });
    expect(posts.map((p) => [p.authorHandle, p.text, p.mediaUrls])).toEqual([
      ['Айгерім', 'Самал-2 ауданында жылу жоқ, үш күн болды', []],
      ['Ерлан', '', ['whatsapp:media-omitted']],
    ]);
    expect(skipped.map((s) => s.reason)).toEqual(['deleted before the export', 'system line']);
  });

  it('decides month/day from an American export and honours another UTC offset', () => {
    const { posts } = parseWhatsApp(fixture('whatsapp-android-us.txt'), { source: 'whatsapp:us', utcOffsetMinutes: 0 });
    expect(posts.map((p) => p.time.toISOString())).toEqual(['2026-11-25T14:03:00.000Z', '2026-11-25T14:04:00.000Z', '2026-11-25T23:59:00.000Z']);
  });

  it('refuses a file without a single WhatsApp line and reports text before the first message', () => {
    expect(() => parseWhatsApp('hello\nworld\n', { source: 'w' })).toThrow(/no line that starts like a WhatsApp message/);
    expect(parseWhatsApp('stray\n25.11.2026, 14:03 - A: b', { source: 'w' }).skipped).toEqual([{ at: 1, reason: 'text before the first message' }]);
  });
});

describe('JSONL feed', () => {
  const lines = fixture('feed.jsonl').split('\n');
  const results = lines.map((l, i) => parseJsonlLine(l, i + 1));

  it('reads posts, edits and deletions with every optional field', () => {
    const posts = results.filter((r): r is RawPost => r !== null && !isSkipped(r));
    expect(posts.map((p) => [p.externalId, p.kind])).toEqual([
      ['wall-1001', 'post'],
      ['wall-1002', 'post'],
      ['wall-1001', 'post'],
      ['wall-1003', 'edit'],
      ['wall-1003', 'post'],
      ['wall-1002', 'delete'],
    ]);
    expect(posts[0]).toMatchObject({ source: 'vk:astana_akimat', authorHandle: '@aigerim_s', mediaUrls: ['https://vk.example/photo1.jpg'], place: { lat: 51.128, lon: 71.43 }, threadId: 'wall' });
    expect(posts[1]!.time.toISOString()).toBe('2026-11-25T04:05:00.000Z');
    expect(posts[1]!.replyTo).toBe('wall-1001');
    expect(posts[3]!.editedAt?.toISOString()).toBe('2026-11-25T04:25:00.000Z');
  });

  it('reports each bad line with its number and the field, and ignores blank lines', () => {
    expect(results[2]).toBeNull();
    const skipped = results.filter((r) => r !== null && isSkipped(r));
    expect(skipped.map((s) => s && 'reason' in s && [s.at, s.reason])).toEqual([
      [8, 'bad time'],
      [9, 'bad text'],
      [10, 'malformed JSON'],
      [11, 'bad line'],
      [12, 'bad place'],
    ]);
  });

  it('takes the --source for lines without one, and refuses a line without a source otherwise', () => {
    const line = '{"id":1,"time":"2026-11-25T09:00:00Z","text":"x"}';
    expect(parseJsonlLine(line, 1, 'file-feed')).toMatchObject({ source: 'file-feed', externalId: '1' });
    expect(parseJsonlLine(line, 1)).toMatchObject({ at: 1, reason: 'bad source', detail: 'source is required' });
  });
});

describe('Bot API updates from groups and channels', () => {
  const updates = JSON.parse(fixture('bot-updates.json')) as unknown[];
  const parsed = updates.map((u) => parseBotUpdate(u));

  it('reads group messages, edits, channel posts with photos, topics, replies and locations', () => {
    expect(parsed[0]!.post).toMatchObject({ source: 'telegram', externalId: '-1001712345678:51', authorHandle: 'user5544332211', kind: 'post', threadId: '-1001712345678' });
    expect(parsed[1]!.post).toMatchObject({ externalId: '-1001712345678:51', kind: 'edit', text: 'Третий день нет отопления в Самал-2, дом 14' });
    expect(parsed[1]!.post!.editedAt?.toISOString()).toBe(new Date(1795579500 * 1000).toISOString());
    expect(parsed[2]!.post).toMatchObject({ externalId: '-1009876543210:7', authorHandle: 'channel9876543210', text: 'Плановое отключение воды', mediaUrls: ['tg-file:large'] });
    expect(parsed[3]!.post).toMatchObject({ kind: 'edit', text: 'Плановое отключение воды 26 ноября' });
    expect(parsed[6]!.post).toMatchObject({ threadId: '-1001712345678/40', replyTo: '-1001712345678:51', place: { lat: 51.128, lon: 71.43 } });
  });

  it('leaves private chats to the bot door and ignores joins', () => {
    expect(parsed[4]).toEqual({ updateId: 900005, post: null });
    expect(parsed[5]).toEqual({ updateId: 900006, post: null });
  });

  it('names the bad field of a malformed update', () => {
    expect(() => parseBotUpdate({ update_id: 1, message: { message_id: 'x', date: 1, chat: { id: -1, type: 'group' } } })).toThrow('update.message.message_id must be an integer');
    expect(() => parseBotUpdate({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: -1, type: 'group' }, photo: [] } })).toThrow(/photo/);
    expect(() => parseBotUpdate('nope')).toThrow(BadField);
  });
});
