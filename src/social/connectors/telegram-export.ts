/**
 * A Telegram Desktop chat export (`result.json`, "Export chat history" → JSON): one chat with `messages`,
 * or a full export with `chats.list[]`. Each message: `id`, `type` ("message" | "service"), `date` (local
 * time of the exporting computer) and `date_unixtime` (UTC seconds, preferred), `from`/`from_id`,
 * `edited`, `reply_to_message_id`, `photo`/`file`, and `text` as a string or an array of strings and
 * entities ({type, text}). The export holds each message's final text: `edited` only says it changed.
 *
 * Ids are "chatId:messageId" with the chat id as the Bot API writes it (-100… for supergroups and
 * channels), so a message the bot saw and the same message in a later export are one post.
 */
import type { RawPost } from '../post.ts';
import { BadField, cleanText, isObject, KAZAKHSTAN_OFFSET_MINUTES, localTime, plausibleTime, type Json, type ParseResult, type Skipped } from './common.ts';

export interface TelegramExportOptions {
  /** Default "telegram" (the Bot API connector's default too). */
  source?: string;
  /** For `date` without `date_unixtime` (old exports): minutes east of UTC, default Kazakhstan's +5. */
  utcOffsetMinutes?: number;
}

const SUPERGROUP_OR_CHANNEL = new Set(['private_supergroup', 'public_supergroup', 'private_channel', 'public_channel']);

/** The Bot API's chat id for an export's chat id and type. */
export function botApiChatId(id: number, type: string): string {
  if (SUPERGROUP_OR_CHANNEL.has(type)) return `-100${id}`;
  if (type === 'private_group') return `-${id}`;
  return String(id);
}

/** `text` as a string, or an array of strings and {type, text} entities, concatenated. */
export function flattenText(text: unknown, field: string): string {
  if (typeof text === 'string') return text;
  if (!Array.isArray(text)) throw new BadField(field, 'must be a string or an array of text parts');
  let out = '';
  for (const [i, part] of text.entries()) {
    if (typeof part === 'string') out += part;
    else if (isObject(part) && typeof part['text'] === 'string') out += part['text'];
    else throw new BadField(`${field}[${i}]`, 'must be a string or {type, text}');
  }
  return out;
}

function timeOf(m: Json, offset: number): Date {
  const unix = m['date_unixtime'];
  if (typeof unix === 'string' && /^\d{1,12}$/.test(unix)) return new Date(Number(unix) * 1000);
  if (typeof unix === 'number' && Number.isSafeInteger(unix)) return new Date(unix * 1000);
  const date = m['date'];
  const d = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(date) : null;
  const t = d ? localTime(+d[1]!, +d[2]!, +d[3]!, +d[4]!, +d[5]!, +d[6]!, offset) : null;
  if (!t) throw new BadField('date', 'must be YYYY-MM-DDTHH:MM:SS (or date_unixtime must be given)');
  return t;
}

function editedOf(m: Json, offset: number): Date | null {
  const unix = m['edited_unixtime'];
  if (typeof unix === 'string' && /^\d{1,12}$/.test(unix)) return new Date(Number(unix) * 1000);
  const e = m['edited'];
  const d = typeof e === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(e) : null;
  return d ? localTime(+d[1]!, +d[2]!, +d[3]!, +d[4]!, +d[5]!, +d[6]!, offset) : null;
}

const MEDIA_FIELDS = ['photo', 'file', 'thumbnail'] as const;

function messageToPost(m: Json, chatId: string, source: string, offset: number): RawPost | string {
  if (m['type'] === 'service') return 'service message';
  if (m['type'] !== undefined && m['type'] !== 'message') return 'not a message';
  const id = m['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new BadField('id', 'must be an integer');
  const time = timeOf(m, offset);
  if (!plausibleTime(time)) throw new BadField('date', 'is not between 2000 and 2100');
  const text = cleanText(m['text'] === undefined ? '' : flattenText(m['text'], 'text'));
  // The export keeps files beside result.json; their relative paths are the evidence's pointers.
  // "(File not included…)" marks one left out by the export's size settings.
  const mediaUrls = MEDIA_FIELDS.map((k) => m[k]).filter((v): v is string => typeof v === 'string' && v !== '' && !v.startsWith('(File'));
  if (text.trim() === '' && mediaUrls.length === 0 && m['media_type'] === undefined) return 'empty message';
  const fromId = m['from_id'];
  const from = m['from'];
  const author = typeof fromId === 'string' && fromId ? fromId : typeof from === 'string' && from ? from : null;
  const reply = m['reply_to_message_id'];
  const loc = m['location_information'];
  let place = null;
  if (isObject(loc) && typeof loc['latitude'] === 'number' && typeof loc['longitude'] === 'number') place = { lat: loc['latitude'], lon: loc['longitude'] };
  return {
    source,
    externalId: `${chatId}:${id}`,
    authorHandle: author,
    time,
    text,
    mediaUrls,
    place,
    replyTo: typeof reply === 'number' ? `${chatId}:${reply}` : null,
    threadId: chatId,
    kind: 'post',
    editedAt: editedOf(m, offset),
  };
}

/**
 * Parses the whole export (already read and JSON-parsed; the caller bounds its size). A message that cannot
 * be read is skipped with its position ("chat 2, message 15") and the reason; the rest are read.
 * Throws BadField only when the file is not a Telegram export at all.
 */
export function parseTelegramExport(doc: unknown, options: TelegramExportOptions = {}): ParseResult {
  const source = options.source ?? 'telegram';
  const offset = options.utcOffsetMinutes ?? KAZAKHSTAN_OFFSET_MINUTES;
  if (!isObject(doc)) throw new BadField('result.json', 'must be a JSON object');
  const chats: Json[] = [];
  if (Array.isArray(doc['messages'])) chats.push(doc);
  else if (isObject(doc['chats']) && Array.isArray(doc['chats']['list'])) {
    for (const c of doc['chats']['list']) if (isObject(c) && Array.isArray(c['messages'])) chats.push(c);
  } else throw new BadField('result.json', 'has neither "messages" (one chat) nor "chats.list" (a full export)');
  const posts: RawPost[] = [];
  const skipped: Skipped[] = [];
  let index = 0;
  for (const chat of chats) {
    const id = chat['id'];
    const chatId = typeof id === 'number' && Number.isSafeInteger(id) ? botApiChatId(id, String(chat['type'] ?? '')) : String(chat['name'] ?? 'chat');
    for (const m of chat['messages'] as unknown[]) {
      index++;
      try {
        if (!isObject(m)) throw new BadField('message', 'must be an object');
        const r = messageToPost(m, chatId, source, offset);
        if (typeof r === 'string') skipped.push({ at: index, reason: r });
        else posts.push(r);
      } catch (err) {
        if (!(err instanceof BadField)) throw err;
        skipped.push({ at: index, reason: `bad ${err.field.replace(/\[\d+\]$/, '')}`, detail: `message ${index}${isObject(m) && typeof m['id'] === 'number' ? ` (id ${m['id']})` : ''}: ${err.message}` });
      }
    }
  }
  return { posts, skipped };
}
