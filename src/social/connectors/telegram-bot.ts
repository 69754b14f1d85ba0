/**
 * Bot API updates from groups, supergroups and channels where the bot is a member: `message`,
 * `edited_message`, `channel_post`, `edited_channel_post` (https://core.telegram.org/bots/api#update).
 * Ids are "chatId:messageId" under the source "telegram", as the export connector writes them, so a post
 * the bot saw and the same post in a later export are one post. An edit carries the whole message (its
 * `edit_date` is the version's time), so an edit that arrives first stands for the post until it comes.
 * Private chats belong to the bot door (src/channels/telegram/) and are not read here.
 */
import type { PostKind, RawPost } from '../post.ts';
import { BadField, cleanText, isObject, validPlace, type Json } from './common.ts';

export interface BotUpdatePost {
  updateId: number;
  /** null: not a group or channel post (a private chat, a callback, a poll…). */
  post: RawPost | null;
}

const KINDS: readonly [field: string, kind: PostKind][] = [
  ['message', 'post'],
  ['channel_post', 'post'],
  ['edited_message', 'edit'],
  ['edited_channel_post', 'edit'],
];

function int(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new BadField(`${path}.${key}`, 'must be an integer');
  return v;
}

function optionalString(o: Json, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined) return null;
  if (typeof v !== 'string') throw new BadField(`${path}.${key}`, 'must be a string');
  return v;
}

function authorOf(m: Json, path: string): string | null {
  // A person in a group; in a channel, or a group's anonymous admin, the chat that signs the post.
  const from = m['from'];
  if (isObject(from)) return `user${int(from, 'id', `${path}.from`)}`;
  const sender = m['sender_chat'];
  if (isObject(sender)) {
    // As the export writes it ("channel1234567890" for the Bot API's -1001234567890): one author either way.
    const id = String(int(sender, 'id', `${path}.sender_chat`));
    return id.startsWith('-100') ? `channel${id.slice(4)}` : `chat${id}`;
  }
  return null;
}

function mediaOf(m: Json, path: string): string[] {
  const urls: string[] = [];
  const photo = m['photo'];
  if (photo !== undefined) {
    if (!Array.isArray(photo) || photo.length === 0) throw new BadField(`${path}.photo`, 'must be a non-empty array of PhotoSize');
    // Smallest first: the last is the original resolution.
    const largest: unknown = photo[photo.length - 1];
    if (!isObject(largest) || typeof largest['file_id'] !== 'string') throw new BadField(`${path}.photo`, 'must list PhotoSize objects with file_id');
    urls.push(`tg-file:${largest['file_id']}`);
  }
  for (const key of ['video', 'document', 'voice', 'video_note', 'audio', 'animation']) {
    const f = m[key];
    if (f === undefined) continue;
    if (!isObject(f) || typeof f['file_id'] !== 'string') throw new BadField(`${path}.${key}`, 'must be an object with file_id');
    urls.push(`tg-file:${f['file_id']}`);
  }
  return urls;
}

/** Reads one update; throws BadField (naming the field) when a known field has the wrong shape. */
export function parseBotUpdate(update: unknown, source = 'telegram'): BotUpdatePost {
  if (!isObject(update)) throw new BadField('update', 'must be a JSON object');
  const updateId = int(update, 'update_id', 'update');
  for (const [field, kind] of KINDS) {
    const m = update[field];
    if (m === undefined) continue;
    const path = `update.${field}`;
    if (!isObject(m)) throw new BadField(path, 'must be an object');
    const chat = m['chat'];
    if (!isObject(chat)) throw new BadField(`${path}.chat`, 'is required');
    const chatId = int(chat, 'id', `${path}.chat`);
    const chatType = optionalString(chat, 'type', `${path}.chat`);
    if (chatType === 'private') return { updateId, post: null };
    const messageId = int(m, 'message_id', path);
    const date = int(m, 'date', path);
    const text = cleanText(optionalString(m, 'text', path) ?? optionalString(m, 'caption', path) ?? '', `${path}.text`);
    const mediaUrls = mediaOf(m, path);
    const loc = m['location'];
    const place = loc === undefined ? null : isObject(loc) ? validPlace(loc['latitude'], loc['longitude'], `${path}.location`) : validPlace(null, null, `${path}.location`);
    // A join, a pinned message, a new title: nothing anyone said.
    if (text.trim() === '' && mediaUrls.length === 0 && !place) return { updateId, post: null };
    const reply = m['reply_to_message'];
    const topic = m['message_thread_id'];
    const editDate = m['edit_date'];
    return {
      updateId,
      post: {
        source,
        externalId: `${chatId}:${messageId}`,
        authorHandle: authorOf(m, path),
        time: new Date(date * 1000),
        text,
        mediaUrls,
        place,
        replyTo: isObject(reply) ? `${chatId}:${int(reply, 'message_id', `${path}.reply_to_message`)}` : null,
        // A forum topic is its own thread inside the group.
        threadId: typeof topic === 'number' && m['is_topic_message'] === true ? `${chatId}/${topic}` : String(chatId),
        kind,
        editedAt: kind === 'edit' ? new Date((typeof editDate === 'number' ? editDate : date) * 1000) : null,
      },
    };
  }
  return { updateId, post: null };
}
