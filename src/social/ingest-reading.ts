/**
 * Understanding on ingestion: relevance, category, urgency and language from the classifier
 * (platform.understanding), places from the gazetteer (platform.geo.resolvePlace), or from the post's own
 * point when it has one. Without a model the language is still guessed and places still read.
 */
import type { GeoPoint } from '../core/model.ts';
import type { SocialPlace, SocialReading } from './post.ts';

/** What reading needs: the two services' shapes, not the platform (so a benchmark can pass its own). */
export interface ReadingDeps {
  understand: (text: string) => { relevant: boolean; category: string; confidence: number; urgency: string; language: string } | null;
  detectLanguage: (text: string) => string;
  resolvePlace: (text: string) => { city: string | null; districtId: string | null; mentions: readonly { text: string }[] };
  districtAt: (point: GeoPoint) => { districtId: string; city: string } | null;
}

const URGENCIES = new Set(['normal', 'urgent', 'emergency']);

export function readPost(deps: ReadingDeps, text: string, place: SocialPlace | null): SocialReading {
  const u = text.trim() ? deps.understand(text) : null;
  // Noise (adverts, greetings) joins no issue: its places are not looked up (the gazetteer is the dearest step).
  const found = text.trim() && (u === null || u.relevant) ? deps.resolvePlace(text) : { city: null, districtId: null, mentions: [] };
  const at = place ? deps.districtAt(place) : null;
  return {
    relevant: u?.relevant ?? false,
    category: u && u.confidence > 0 ? u.category : null,
    confidence: u?.confidence ?? 0,
    urgency: u && URGENCIES.has(u.urgency) ? (u.urgency as SocialReading['urgency']) : null,
    language: u?.language ?? (text.trim() ? deps.detectLanguage(text) : 'mixed'),
    // The point, when the post has one, outranks what the text names.
    city: at?.city ?? found.city,
    districtId: at?.districtId ?? found.districtId,
    places: [...new Set(found.mentions.map((m) => m.text))],
  };
}
