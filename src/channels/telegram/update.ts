/**
 * A Bot API `Update` (https://core.telegram.org/bots/api#update) read into what the door understands.
 * Pure. Unknown fields are ignored (Telegram adds fields over time); a known field of the wrong shape
 * makes the update malformed (ERR_TELEGRAM_UPDATE_INVALID, naming the field). Updates the door has no use
 * for (an edited message, a channel post, a poll) are read as `event: null` and only recorded as handled.
 */
import { DomainError } from '../../core/errors.ts';
import type { GeoPoint } from '../../core/model.ts';

/** One file of a photo message or of a document sent as a file. */
export interface IncomingFile {
  fileId: string;
  /** As Telegram reports it; checked again against the bytes. */
  sizeBytes: number | null;
  fileName: string;
}

export type Content =
  | { type: 'text'; text: string }
  | { type: 'command'; command: string }
  | { type: 'location'; point: GeoPoint }
  | { type: 'photo'; file: IncomingFile }
  | { type: 'contact'; phone: string; userId: number | null }
  | { type: 'button'; callbackQueryId: string; data: string }
  /** A sticker, a voice message, a video…: answered with what the bot understands. */
  | { type: 'unsupported' };

export interface TelegramEvent {
  chatId: number;
  /** private, group, supergroup, channel: the door talks only in private chats. */
  chatType: string;
  fromId: number | null;
  /** The user's Telegram interface language (a hint before they choose). */
  languageCode: string | null;
  content: Content;
}

export interface ParsedUpdate {
  updateId: number;
  event: TelegramEvent | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(field: string, reason: string): never {
  throw new DomainError('ERR_TELEGRAM_UPDATE_INVALID', undefined, { field, reason });
}

function object(parent: Json, key: string, path: string): Json | undefined {
  const v = parent[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) invalid(`${path}.${key}`, 'must be an object');
  return v;
}

/** Telegram ids: integers (chat ids may be negative and need up to 52 bits). */
function integer(parent: Json, key: string, path: string, required: true): number;
function integer(parent: Json, key: string, path: string, required: false): number | undefined;
function integer(parent: Json, key: string, path: string, required: boolean): number | undefined {
  const v = parent[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) invalid(`${path}.${key}`, 'must be an integer');
  return v;
}

function string(parent: Json, key: string, path: string, required: true, maxLength?: number): string;
function string(parent: Json, key: string, path: string, required: false, maxLength?: number): string | undefined;
function string(parent: Json, key: string, path: string, required: boolean, maxLength = 10_000): string | undefined {
  const v = parent[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') invalid(`${path}.${key}`, 'must be a string');
  if (v.length > maxLength) invalid(`${path}.${key}`, `must be at most ${maxLength} characters`);
  return v;
}

function coordinate(parent: Json, key: string, path: string): number {
  const v = parent[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${path}.${key}`, 'must be a number');
  return v;
}

/** "/status@TyndauBot extra" → "status"; null when the text is not a command. */
export function commandOf(text: string): string | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s|$)/.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

function fileOf(v: Json, path: string, fallbackName: string): IncomingFile {
  const fileId = string(v, 'file_id', path, true, 256);
  if (fileId.length === 0) invalid(`${path}.file_id`, 'must not be empty');
  const size = integer(v, 'file_size', path, false);
  const fileName = string(v, 'file_name', path, false, 512);
  return { fileId, sizeBytes: size ?? null, fileName: fileName || fallbackName };
}

function messageContent(m: Json, path: string): Content {
  if (m['photo'] !== undefined) {
    const sizes = m['photo'];
    if (!Array.isArray(sizes) || sizes.length === 0) invalid(`${path}.photo`, 'must be a non-empty array of PhotoSize');
    const parsed = sizes.map((s: unknown, i) => {
      if (!isObject(s)) invalid(`${path}.photo[${i}]`, 'must be an object');
      return fileOf(s, `${path}.photo[${i}]`, '');
    });
    // Telegram lists the sizes smallest first: the last one is the original resolution.
    return { type: 'photo', file: parsed[parsed.length - 1]! };
  }
  const document = object(m, 'document', path);
  if (document) return { type: 'photo', file: fileOf(document, `${path}.document`, '') };
  const location = object(m, 'location', path);
  if (location) return { type: 'location', point: { lat: coordinate(location, 'latitude', `${path}.location`), lon: coordinate(location, 'longitude', `${path}.location`) } };
  const contact = object(m, 'contact', path);
  if (contact) {
    return { type: 'contact', phone: string(contact, 'phone_number', `${path}.contact`, true, 64), userId: integer(contact, 'user_id', `${path}.contact`, false) ?? null };
  }
  const text = string(m, 'text', path, false);
  if (text !== undefined) {
    const command = commandOf(text);
    return command ? { type: 'command', command } : { type: 'text', text };
  }
  return { type: 'unsupported' };
}

function chatOf(m: Json, path: string): { chatId: number; chatType: string } {
  const chat = object(m, 'chat', path);
  if (!chat) invalid(`${path}.chat`, 'is required');
  return { chatId: integer(chat, 'id', `${path}.chat`, true), chatType: string(chat, 'type', `${path}.chat`, true, 32) };
}

function fromOf(parent: Json, path: string): { fromId: number | null; languageCode: string | null } {
  const from = object(parent, 'from', path);
  if (!from) return { fromId: null, languageCode: null };
  return { fromId: integer(from, 'id', `${path}.from`, true), languageCode: string(from, 'language_code', `${path}.from`, false, 35) ?? null };
}

/** Reads a webhook body; throws ERR_TELEGRAM_UPDATE_INVALID when it is not an Update. */
export function parseUpdate(body: unknown): ParsedUpdate {
  if (!isObject(body)) invalid('update', 'must be a JSON object');
  const updateId = integer(body, 'update_id', 'update', true);
  if (updateId < 0) invalid('update.update_id', 'must not be negative');
  const message = object(body, 'message', 'update');
  if (message) {
    integer(message, 'message_id', 'update.message', true);
    return { updateId, event: { ...chatOf(message, 'update.message'), ...fromOf(message, 'update.message'), content: messageContent(message, 'update.message') } };
  }
  const query = object(body, 'callback_query', 'update');
  if (query) {
    const id = string(query, 'id', 'update.callback_query', true, 128);
    const from = fromOf(query, 'update.callback_query');
    if (from.fromId === null) invalid('update.callback_query.from', 'is required');
    const data = string(query, 'data', 'update.callback_query', false, 64) ?? '';
    // The message the button was on: gone for very old messages, then the chat is the user's private chat.
    const on = object(query, 'message', 'update.callback_query');
    const chat = on ? chatOf(on, 'update.callback_query.message') : { chatId: from.fromId, chatType: 'private' };
    return { updateId, event: { ...chat, ...from, content: { type: 'button', callbackQueryId: id, data } } };
  }
  return { updateId, event: null };
}
