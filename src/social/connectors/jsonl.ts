/**
 * The generic feed (docs/SOCIAL-JSONL.md): one JSON object per line, the same object the webhook
 * (POST /api/v1/social/posts) and the stream consumer take. Required: source, id, time, text; optional:
 * author, media, place, replyTo, thread, kind (post | edit | delete), editedAt. Unknown fields are
 * ignored (feeds add fields); a known field of the wrong shape skips the line, naming the field.
 */
import type { PostKind, RawPost } from '../post.ts';
import { BadField, cleanText, hasControl, isObject, MAX_MEDIA_PER_POST, plausibleTime, validPlace, type Json, type Skipped } from './common.ts';

const MAX_ID = 200;
const MAX_URL = 2_000;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function shortString(o: Json, key: string, max: number, required: boolean): string | null {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new BadField(key, 'is required');
    return null;
  }
  // Numeric ids are common in feeds (VK, Telegram): read as their decimal string.
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== 'string') throw new BadField(key, 'must be a string');
  const t = s.trim();
  if (t.length === 0) {
    if (required) throw new BadField(key, 'must not be empty');
    return null;
  }
  if (t.length > max || hasControl(t)) throw new BadField(key, `must be 1–${max} printable characters`);
  return t;
}

/** An ISO 8601 date-time with a zone, or Unix seconds. A time without a zone is refused: it is ambiguous. */
function instant(o: Json, key: string, required: boolean): Date | null {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new BadField(key, 'is required');
    return null;
  }
  let t: Date;
  if (typeof v === 'number') t = new Date(v * 1000);
  else if (typeof v === 'string' && ISO_WITH_ZONE.test(v.trim())) t = new Date(v.trim());
  else throw new BadField(key, 'must be an ISO 8601 date-time with a zone (2026-11-25T14:03:00+05:00) or Unix seconds');
  if (!plausibleTime(t)) throw new BadField(key, 'is not a date between 2000 and 2100');
  return t;
}

function mediaOf(o: Json): string[] {
  const v = o['media'];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadField('media', 'must be an array of URLs');
  if (v.length > MAX_MEDIA_PER_POST) throw new BadField('media', `must list at most ${MAX_MEDIA_PER_POST} URLs`);
  return v.map((u: unknown, i) => {
    if (typeof u !== 'string' || u.length === 0 || u.length > MAX_URL || /\s/.test(u)) throw new BadField(`media[${i}]`, 'must be a URL without spaces');
    return u;
  });
}

const kinds: readonly PostKind[] = ['post', 'edit', 'delete'];

/** One feed object → a post; throws BadField naming the first bad field. */
export function readFeedPost(value: unknown, defaultSource?: string): RawPost {
  if (!isObject(value)) throw new BadField('line', 'must be a JSON object');
  const kindValue = value['kind'] ?? 'post';
  if (typeof kindValue !== 'string' || !kinds.includes(kindValue as PostKind)) throw new BadField('kind', 'must be post, edit or delete');
  const kind = kindValue as PostKind;
  const source = shortString(value, 'source', MAX_ID, defaultSource === undefined) ?? defaultSource!;
  const externalId = shortString(value, 'id', MAX_ID, true)!;
  const time = instant(value, 'time', true)!;
  // A deletion needs no text; every other line must carry one (possibly empty, for a photo alone).
  const rawText = value['text'];
  if (rawText === undefined && kind !== 'delete') throw new BadField('text', 'is required');
  if (rawText !== undefined && typeof rawText !== 'string') throw new BadField('text', 'must be a string');
  const text = cleanText(rawText ?? '');
  const mediaUrls = mediaOf(value);
  if (kind === 'post' && text.trim() === '' && mediaUrls.length === 0) throw new BadField('text', 'is empty and there is no media');
  const p = value['place'];
  const place = p === undefined || p === null ? null : isObject(p) ? validPlace(p['lat'], p['lon'], 'place') : validPlace(undefined, undefined, 'place');
  return {
    source,
    externalId,
    authorHandle: shortString(value, 'author', MAX_ID, false),
    time,
    text,
    mediaUrls,
    place,
    replyTo: shortString(value, 'replyTo', MAX_ID, false),
    threadId: shortString(value, 'thread', MAX_ID, false),
    kind,
    editedAt: instant(value, 'editedAt', false),
  };
}

/** One line of a JSONL file: a post, a skip (with its line number), or nothing for a blank line. */
export function parseJsonlLine(line: string, lineNo: number, defaultSource?: string): RawPost | Skipped | null {
  const text = line.trim();
  if (text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { at: lineNo, reason: 'malformed JSON', detail: err instanceof Error ? err.message.slice(0, 200) : undefined };
  }
  try {
    return readFeedPost(value, defaultSource);
  } catch (err) {
    if (err instanceof BadField) return { at: lineNo, reason: `bad ${err.field.replace(/\[\d+\]$/, '')}`, detail: err.message };
    throw err;
  }
}

export const isSkipped = (r: RawPost | Skipped): r is Skipped => 'reason' in r;
