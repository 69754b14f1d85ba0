import exifr from 'exifr';
import type { CaptureFacts } from '../core/evidence.ts';
import type { GeoPoint } from '../core/model.ts';

/** Formats whose EXIF exifr reads (videos carry their metadata elsewhere: none is read). */
const WITH_EXIF = new Set(['image/jpeg', 'image/heic', 'image/heif', 'image/png', 'image/webp', 'image/tiff', 'image/avif']);
const EXIF_TIME = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;
/** Kazakhstan is on one time zone, UTC+5, since 1 March 2024: a camera without an offset is taken to be on it. */
const KAZAKHSTAN_OFFSET = '+05:00';
const NONE: CaptureFacts = { capturedAt: null, location: null };

const field = (tags: Record<string, unknown>, name: string): string | undefined => {
  const v = tags[name];
  return typeof v === 'string' ? v.trim() : undefined;
};

/** EXIF writes local time ("2026:11:25 09:30:00") and, on newer cameras, its offset apart ("+05:00"). */
export function exifInstant(local: string | undefined, offset: string | undefined): Date | null {
  const m = local ? EXIF_TIME.exec(local) : null;
  if (!m) return null;
  const zone = offset && OFFSET.test(offset) ? offset : KAZAKHSTAN_OFFSET;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  const year = at.getUTCFullYear();
  // Cameras with a flat battery write 0000:00:00 or 1970: not a capture time.
  return Number.isNaN(at.getTime()) || year < 1990 || year > 9999 ? null : at;
}

function gpsPoint(tags: Record<string, unknown>): GeoPoint | null {
  const lat = tags['latitude'];
  const lon = tags['longitude'];
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  // Phones without a fix write 0,0.
  if (lat === 0 && lon === 0) return null;
  return { lat, lon };
}

/**
 * When and where a photo was taken, from its EXIF: DateTimeOriginal (else DateTime) with its offset, and
 * the GPS point. Missing or broken metadata is not an error: the photo is still evidence, without these facts.
 */
export async function readCaptureFacts(bytes: Uint8Array, mediaType: string): Promise<CaptureFacts> {
  if (!WITH_EXIF.has(mediaType)) return NONE;
  let parsed: unknown;
  try {
    // Raw values (reviveValues off): exifr would otherwise read the local time in this server's own zone.
    parsed = await exifr.parse(bytes, { tiff: true, exif: true, gps: true, ifd1: false, xmp: false, icc: false, iptc: false, reviveValues: false });
  } catch {
    return NONE;
  }
  if (!parsed || typeof parsed !== 'object') return NONE;
  const tags = parsed as Record<string, unknown>;
  const original = field(tags, 'DateTimeOriginal');
  const capturedAt = original
    ? exifInstant(original, field(tags, 'OffsetTimeOriginal') ?? field(tags, 'OffsetTime'))
    : exifInstant(field(tags, 'DateTime'), field(tags, 'OffsetTime'));
  return { capturedAt, location: gpsPoint(tags) };
}
