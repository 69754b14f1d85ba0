/**
 * A WhatsApp chat export ("Export chat" → without media or with media): the `.txt` a phone writes, one
 * message per header line and its continuation lines. Header shapes, as Android and iOS write them in
 * Russian, Kazakh and English:
 *   25.11.2026, 14:03 - Имя: текст                 (Android, ru/kk)
 *   25/11/2026, 14:03 - Name: text                 (Android, en-GB)      11/25/26, 2:03 PM - Name: text (en-US)
 *   [25.11.2026, 14:03:15] Имя: текст              (iOS, ru/kk)          [25/11/2026, 2:03:15 PM] Name: text (iOS, en)
 * Lines without "Name: " after the header are system lines (encryption notice, joins, topic changes).
 * Times are the phone's local time without a zone: read at a fixed offset (Kazakhstan's +05:00 by default).
 * WhatsApp exports carry no message ids: a post's id is a hash of its time, author and text, with a counter
 * for repeats, so importing the same export twice (or a later export of the same chat) adds nothing.
 */
import { createHash } from 'node:crypto';
import type { RawPost } from '../post.ts';
import { BadField, cleanText, KAZAKHSTAN_OFFSET_MINUTES, localTime, MAX_POST_CHARS, type ParseResult, type Skipped } from './common.ts';

export interface WhatsAppOptions {
  /** The chat's name as a feed, e.g. "whatsapp:ЖК Самал-2" (the CLI derives it from the file name). */
  source: string;
  utcOffsetMinutes?: number;
  /** Day-month or month-day; by default decided from the file (a day above 12, dots, a 24-hour clock). */
  dateOrder?: 'dmy' | 'mdy';
}

// Directional marks and the narrow no-break space iOS puts before AM/PM.
const INVISIBLE = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const SPACES = /[\u00a0\u202f\u2009]/g;

const DATE = String.raw`(\d{1,4})[./-](\d{1,2})[./-](\d{1,4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.? ?[Mm]\.?)?`;
const ANDROID = new RegExp(`^${DATE} [-–] (.*)$`);
const IOS = new RegExp(`^\\[${DATE}\\] (.*)$`);

interface Header {
  a: number;
  b: number;
  c: number;
  aDigits: number;
  h: number;
  mi: number;
  s: number;
  ampm: string | null;
  dots: boolean;
  rest: string;
}

function header(line: string): Header | null {
  const m = ANDROID.exec(line) ?? IOS.exec(line);
  if (!m) return null;
  return {
    a: +m[1]!,
    b: +m[2]!,
    c: +m[3]!,
    aDigits: m[1]!.length,
    h: +m[4]!,
    mi: +m[5]!,
    s: m[6] ? +m[6] : 0,
    ampm: m[7] ? m[7].toLowerCase() : null,
    dots: line.includes('.') && /^\[?\d{1,4}\./.test(line),
    rest: m[8]!,
  };
}

const MEDIA_OMITTED = new Set([
  '<media omitted>', '<медиа отсутствует>', '<без медиафайлов>', '<медиафайл отсутствует>', '<медиа файлы жоқ>', '<медиафайл жоқ>', '<медиа жоқ>', '<медиафайлдар жоқ>',
  'image omitted', 'video omitted', 'audio omitted', 'sticker omitted', 'gif omitted', 'document omitted', 'contact card omitted',
  'изображение отсутствует', 'видео отсутствует', 'аудиофайл отсутствует', 'стикер отсутствует', 'gif отсутствует', 'документ отсутствует',
  'сурет жоқ', 'бейне жоқ', 'аудио жоқ', 'стикер жоқ',
]);
const DELETED = new Set([
  'this message was deleted', 'you deleted this message', 'данное сообщение удалено', 'это сообщение удалено', 'вы удалили это сообщение', 'сообщение удалено',
  'бұл хабар жойылды', 'сіз бұл хабарды жойдыңыз', 'хабарлама жойылды',
]);
const EDITED_SUFFIX = /\s*<(?:this message was edited|сообщение изменено|это сообщение было изменено|хабар өңделді|хабарлама өзгертілді)>\s*$/i;
const ATTACHED = /^<(?:attached|прикреплено|тіркелген): ([^<>]{1,255})>\s*/i;
const FILE_ATTACHED = /^(\S{1,255}\.[A-Za-z0-9]{2,5}) \((?:file attached|файл добавлен|файл прикреплен|файл тіркелді)\)\s*/i;

interface Draft {
  line: number;
  marked: boolean;
  time: Date;
  author: string;
  lines: string[];
}

function decideOrder(headers: readonly Header[]): 'dmy' | 'mdy' {
  if (headers.some((h) => h.a > 12 && h.aDigits <= 2)) return 'dmy';
  if (headers.some((h) => h.b > 12)) return 'mdy';
  if (headers.some((h) => h.dots)) return 'dmy';
  // Slashes, no day above 12, a 12-hour clock: the American phone's month/day.
  return headers.some((h) => h.ampm) ? 'mdy' : 'dmy';
}

function timeOf(h: Header, order: 'dmy' | 'mdy', offset: number): Date | null {
  let y: number, mo: number, d: number;
  if (h.aDigits === 4) [y, mo, d] = [h.a, h.b, h.c];
  else if (order === 'dmy') [d, mo, y] = [h.a, h.b, h.c];
  else [mo, d, y] = [h.a, h.b, h.c];
  if (y < 100) y += 2000;
  let hour = h.h;
  if (h.ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (h.ampm === 'p' ? 12 : 0);
  }
  return localTime(y, mo, d, hour, h.mi, h.s, offset);
}

/** Splits "Name: text"; null for a system line (no author). */
function authorAndText(rest: string): { author: string; text: string } | null {
  const at = rest.indexOf(': ');
  if (at <= 0 || at > 100) return rest.endsWith(':') && rest.length <= 101 ? { author: rest.slice(0, -1), text: '' } : null;
  const author = rest.slice(0, at);
  // A system line about a person ("Айгерим изменил(а) тему на "Вода: график"") has quotes before the colon.
  if (/["«“]/.test(author)) return null;
  return { author, text: rest.slice(at + 2) };
}

/** Parses a whole export (the caller bounds its size). Throws BadField when no line looks like WhatsApp's. */
export function parseWhatsApp(content: string, options: WhatsAppOptions): ParseResult {
  const offset = options.utcOffsetMinutes ?? KAZAKHSTAN_OFFSET_MINUTES;
  const raw = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const lines = raw.map((l) => l.replace(INVISIBLE, '').replace(SPACES, ' '));
  // iOS writes system lines as the group's own message starting with a left-to-right mark (so do its media notes).
  const marked = (i: number): boolean => /^\u200e?\[[^\]]{8,40}\] [^:]{1,100}: \u200e/.test(raw[i]!);
  const headers = new Map<number, Header>();
  lines.forEach((l, i) => {
    const h = header(l);
    if (h) headers.set(i, h);
  });
  if (headers.size === 0) throw new BadField('file', 'has no line that starts like a WhatsApp message ("25.11.2026, 14:03 - Name: text")');
  const order = options.dateOrder ?? decideOrder([...headers.values()]);
  const posts: RawPost[] = [];
  const skipped: Skipped[] = [];
  const seen = new Map<string, number>();
  let draft: Draft | null = null;

  const finish = (d: Draft): void => {
    // The file's last newline (and blank lines before the next header) belong to no message.
    let text = d.lines.join('\n').replace(/\n+$/, '');
    const mediaUrls: string[] = [];
    let edited = false;
    if (EDITED_SUFFIX.test(text)) {
      edited = true;
      text = text.replace(EDITED_SUFFIX, '');
    }
    const attached = ATTACHED.exec(text) ?? FILE_ATTACHED.exec(text);
    if (attached) {
      mediaUrls.push(attached[1]!);
      text = text.slice(attached[0].length);
    }
    const folded = text.trim().toLowerCase();
    if (DELETED.has(folded)) return void skipped.push({ at: d.line, reason: 'deleted before the export' });
    if (MEDIA_OMITTED.has(folded)) {
      mediaUrls.push('whatsapp:media-omitted');
      text = '';
    }
    if (d.marked && mediaUrls.length === 0) return void skipped.push({ at: d.line, reason: 'system line' });
    if (folded === 'null' || (text.trim() === '' && mediaUrls.length === 0)) return void skipped.push({ at: d.line, reason: 'empty message' });
    if (text.length > MAX_POST_CHARS) return void skipped.push({ at: d.line, reason: 'bad text', detail: `line ${d.line}: longer than ${MAX_POST_CHARS} characters` });
    const key = createHash('sha256').update(`${d.time.toISOString()}\u0000${d.author}\u0000${text}`).digest('hex').slice(0, 32);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    posts.push({
      source: options.source,
      externalId: n === 1 ? key : `${key}#${n}`,
      authorHandle: d.author,
      time: d.time,
      text: cleanText(text),
      mediaUrls,
      place: null,
      replyTo: null,
      threadId: options.source,
      kind: 'post',
      // The export says a message was edited, not when: the post's own time stands in.
      editedAt: edited ? d.time : null,
    });
  };

  lines.forEach((line, i) => {
    const h = headers.get(i);
    if (!h) {
      if (draft) draft.lines.push(line);
      else if (line.trim() !== '') skipped.push({ at: i + 1, reason: 'text before the first message' });
      return;
    }
    if (draft) finish(draft);
    draft = null;
    const time = timeOf(h, order, offset);
    if (!time) return void skipped.push({ at: i + 1, reason: 'bad date', detail: `line ${i + 1}: "${line.slice(0, 40)}" is not a real date and time` });
    const at = authorAndText(h.rest.trimStart());
    if (!at) return void skipped.push({ at: i + 1, reason: 'system line' });
    draft = { line: i + 1, marked: marked(i), time, author: at.author.trim(), lines: [at.text] };
  });
  if (draft) finish(draft);
  return { posts, skipped };
}
