/**
 * Social listening's shared vocabulary: what a connector reads (RawPost), what ingestion keeps and hands on
 * (SocialPost, with its reading), and where it hands it (PostSink: the issue clustering plugs in here).
 * Pure types and tiny helpers; no I/O. Keep this file stable: ingestion and the issues both build on it.
 */

/** The family of door a post came through (the `source` below is the feed's own name, e.g. "tg:astana_akimat"). */
export const socialFormats = ['telegram-export', 'whatsapp', 'telegram-bot', 'jsonl', 'webhook', 'nats'] as const;
export type SocialFormat = (typeof socialFormats)[number];

export interface SocialPlace {
  lat: number;
  lon: number;
}

/**
 * A post as a connector reads it: the handle in clear, no hashes, no reading. Connectors are pure parsers;
 * the ingestion pipeline turns a RawPost into a SocialPost.
 */
export interface RawPost {
  /** The feed: a chat, channel, page or firehose name. With externalId it is the post's identity. */
  source: string;
  /** Unique within the source (a message id, "chatId:messageId", a line's hash for WhatsApp). */
  externalId: string;
  /** The author's handle or id as the platform shows it; null for a channel post or an unknown author. */
  authorHandle: string | null;
  /** When the author posted it. */
  time: Date;
  text: string;
  mediaUrls: string[];
  place: SocialPlace | null;
  /** The externalId (same source) of the post this one answers. */
  replyTo: string | null;
  /** The chat, group or thread the post lives in (where an answer back would go). */
  threadId: string | null;
  /** 'post' for a post as first seen; 'edit' for a later version (text replaces); 'delete' for a removal notice. */
  kind: PostKind;
  /** When the platform says it was edited (an edit's own time); null otherwise. */
  editedAt: Date | null;
}

export type PostKind = 'post' | 'edit' | 'delete';

/** What understanding made of a post on ingestion (null fields when there is no model or no place). */
export interface SocialReading {
  /** Actionable (a complaint, a request, a report) or noise (adverts, greetings). */
  relevant: boolean;
  /** The classifier's category (taxonomy id) and its calibrated confidence; null without a model. */
  category: string | null;
  confidence: number;
  urgency: 'normal' | 'urgent' | 'emergency' | null;
  /** kk, ru, en or mixed. */
  language: string;
  /** The gazetteer's reading of the text (or the post's point). */
  city: string | null;
  districtId: string | null;
  /** Places named in the text, as written. */
  places: string[];
}

/** A post as kept: the evidence row's current state (the latest version's text). */
export interface SocialPost {
  /** The store's id (UUID); stable across edits. */
  id: string;
  source: string;
  externalId: string;
  /** HMAC-SHA-256 of the handle with the server key (hex); null when there was no handle. */
  authorKey: string | null;
  time: Date;
  /** As sent (evidence): mask with src/nlp/pii.ts before showing it outside staff. */
  text: string;
  mediaUrls: string[];
  place: SocialPlace | null;
  replyTo: string | null;
  threadId: string | null;
  /** When this node first received the post (or its first edit, when the edit came first). */
  firstSeenAt: Date;
  /** SHA-256 (hex) of the current text and media URLs. */
  contentHash: string;
  /** How many later versions were recorded. */
  edits: number;
  /** A deletion is recorded, never applied: the text stays as evidence. */
  deleted: boolean;
  reading: SocialReading | null;
}

export type SinkKind = 'new' | 'edit' | 'delete';

/**
 * Where ingestion hands each post after it is stored (committed): 'new' once per (source, externalId),
 * 'edit' for each recorded later version (the post carries the new text), 'delete' once. A duplicate
 * delivery reaches no sink. An edit that arrives before its post carries the whole post, so it is handed
 * on as 'new' (with the edited text); the late original is then recorded as the first version and reaches
 * no sink. A deletion before its post is held; when the post arrives the sink gets 'new' then 'delete'.
 * So a sink never sees a post twice as new.
 */
export interface PostSink {
  accept(post: SocialPost, kind: SinkKind): void | Promise<void>;
}

/** A sink that fans out to several (e.g. the issue clustering and a live feed). */
export function fanOut(sinks: readonly PostSink[]): PostSink {
  return {
    async accept(post, kind) {
      for (const sink of sinks) await sink.accept(post, kind);
    },
  };
}
