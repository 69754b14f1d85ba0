/**
 * What every connector returns: the posts it read and, for everything it did not read, where and why.
 * Connectors are pure parsers (no I/O, no clock): bad input is reported, never thrown past the caller.
 */
import type { RawPost, SocialPlace } from '../post.ts';

/** A line or item a connector could not read: where it was and why (shown in the import summary). */
export interface Skipped {
  /** 1-based line in the file (JSONL, WhatsApp) or message index in the export (Telegram), or item index. */
  at: number;
  /** A stable short reason, counted in the summary (e.g. "service message", "malformed JSON"). */
  reason: string;
  /** What exactly was wrong, for the operator (a field name, a bad value). */
  detail?: string;
}

export interface ParseResult {
  posts: RawPost[];
  skipped: Skipped[];
}

/** Longest text kept from one post: a message is at most 4,096 characters in Telegram, 65,536 in WhatsApp. */
export const MAX_POST_CHARS = 100_000;
export const MAX_MEDIA_PER_POST = 50;

/** Any C0 control character (tabs and newlines included): ids and handles are one printable line. */
export const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
};

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A bad field, named: caught by the connector and turned into a Skipped line. */
export class BadField extends Error {
  constructor(readonly field: string, readonly why: string) {
    super(`${field} ${why}`);
  }
}

export function validPlace(lat: unknown, lon: unknown, field: string): SocialPlace {
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    throw new BadField(field, 'must be {lat, lon} in WGS84 degrees');
  }
  return { lat, lon };
}

/** Local wall-clock time at a fixed UTC offset (minutes) → the instant. Returns null for an impossible date. */
export function localTime(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000);
}

/** "+05:00", "-03:30", "+5" → minutes east of UTC; null when unreadable. */
export function parseUtcOffset(text: string): number | null {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** Kazakhstan has one time zone, UTC+5, since 1 March 2024: exports without a zone are read in it. */
export const KAZAKHSTAN_OFFSET_MINUTES = 5 * 60;

/** Plausible post times: not before 2000, not more than a day in the future of the file's own clock. */
export const plausibleTime = (t: Date): boolean => Number.isFinite(t.getTime()) && t.getUTCFullYear() >= 2000 && t.getUTCFullYear() <= 2100;

/** Text as a connector keeps it: no NULs or byte-order mark (PostgreSQL refuses NUL); never cut (evidence). */
export function cleanText(text: string, field = 'text'): string {
  const t = text.split(String.fromCharCode(0)).join('').replace(/^\uFEFF/, '');
  if (t.length > MAX_POST_CHARS) throw new BadField(field, `is longer than ${MAX_POST_CHARS} characters`);
  return t;
}
