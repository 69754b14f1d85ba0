/**
 * The evidence rules, pure: what one delivery does to the post it names. A post is kept as first seen;
 * every later version is recorded beside it; the current text is the latest by the platform's own time;
 * a deletion is recorded, not applied; a delivery already recorded changes nothing. Deliveries may come
 * in any order: an edit before its post stands for the post (it carries the whole message) and the late
 * original becomes the first version; a deletion before its post holds the place until the text comes.
 */
import { createHash } from 'node:crypto';
import type { PostKind, RawPost, SinkKind, SocialFormat, SocialPost } from './post.ts';

/** A post's row as the store keeps it, with the keys and hashes of the versions already recorded. */
/** A stored post as ingestion works on it: the post as kept, plus how it got there. */
export interface PostState extends Omit<SocialPost, 'deleted'> {
  format: SocialFormat;
  /** The platform's time of the current version. */
  currentAt: Date;
  originalSeen: boolean;
  textKnown: boolean;
  deletedAt: Date | null;
  /** version key → content hash, of every recorded version. */
  versions: Map<string, string>;
}

export interface NewVersion {
  postId: string;
  versionKey: string;
  kind: 'post' | 'edit';
  text: string;
  mediaUrls: string[];
  contentHash: string;
  writtenAt: Date;
  seenAt: Date;
}

/** A delivery: a connector's post with its author already hashed. */
export interface Delivery {
  post: RawPost;
  authorKey: string | null;
  format: SocialFormat;
}

/**
 * new: the post became known (its first text). edit: a later version was recorded. reconciled: the
 * original of a post first known by an edit arrived. deletion: a deletion was recorded (held when the post
 * is still unknown). duplicate: nothing new.
 */
export type Outcome = 'new' | 'edit' | 'reconciled' | 'deletion' | 'duplicate';

export interface Applied {
  state: PostState;
  outcome: Outcome;
  /** True when an edit or deletion came before its post. */
  early: boolean;
  version: NewVersion | null;
  /** The current text changed: read it again. */
  textChanged: boolean;
  /** What the sink hears, in order, once committed. */
  sink: SinkKind[];
}

export function contentHash(text: string, mediaUrls: readonly string[]): string {
  return createHash('sha256').update(text).update('\u0000').update(mediaUrls.join('\n')).digest('hex');
}

const versionKey = (hash: string, writtenAt: Date): string => createHash('sha256').update(`${hash}|${writtenAt.toISOString()}`).digest('hex').slice(0, 32);

/** The platform's time of the version a delivery carries (an edit without one: when we saw it). */
function writtenAt(post: RawPost, seenAt: Date): Date {
  if (post.editedAt) return post.editedAt;
  return post.kind === 'edit' ? seenAt : post.time;
}

function fresh(d: Delivery, id: string, seenAt: Date): PostState {
  const p = d.post;
  return {
    id,
    source: p.source,
    externalId: p.externalId,
    format: d.format,
    authorKey: d.authorKey,
    time: p.time,
    text: '',
    mediaUrls: [],
    place: p.place,
    replyTo: p.replyTo,
    threadId: p.threadId,
    firstSeenAt: seenAt,
    contentHash: contentHash('', []),
    currentAt: p.time,
    edits: 0,
    originalSeen: false,
    textKnown: false,
    deletedAt: null,
    reading: null,
    versions: new Map(),
  };
}

/** The post's facts from a delivery that carries them (the original's are authoritative once it comes). */
function takeFacts(s: PostState, d: Delivery): void {
  const p = d.post;
  s.time = p.time;
  s.authorKey = d.authorKey ?? s.authorKey;
  s.place = p.place ?? s.place;
  s.replyTo = p.replyTo ?? s.replyTo;
  s.threadId = p.threadId ?? s.threadId;
}

/**
 * Applies one delivery to the post's state (undefined: not yet known). Mutates and returns the state;
 * `newId` names a post first known by this delivery.
 */
export function applyDelivery(current: PostState | undefined, d: Delivery, seenAt: Date, newId: () => string): Applied {
  const p = d.post;
  const kind: PostKind = p.kind;
  const s = current ?? fresh(d, newId(), seenAt);
  const result = (outcome: Outcome, extra: Partial<Applied> = {}): Applied => ({ state: s, outcome, early: false, version: null, textChanged: false, sink: [], ...extra });

  if (kind === 'delete') {
    if (s.deletedAt) return result('duplicate');
    s.deletedAt = p.editedAt ?? seenAt;
    return result('deletion', { early: !s.textKnown, sink: s.textKnown ? ['delete'] : [] });
  }

  const hash = contentHash(p.text, p.mediaUrls);
  const at = writtenAt(p, seenAt);
  const key = versionKey(hash, at);
  // Recorded already: the same version again (or, without an edit time, the same content again).
  if (s.versions.has(key) || (kind === 'edit' && !p.editedAt && [...s.versions.values()].includes(hash))) return result('duplicate');
  const isEdit = kind === 'edit' || s.originalSeen;
  const version: NewVersion = { postId: s.id, versionKey: key, kind: isEdit ? 'edit' : 'post', text: p.text, mediaUrls: p.mediaUrls, contentHash: hash, writtenAt: at, seenAt };
  s.versions.set(key, hash);
  if (version.kind === 'edit') s.edits++;

  if (!s.textKnown) {
    // The first text of this post (perhaps after a held deletion): it is new, whatever kind brought it.
    takeFacts(s, d);
    Object.assign(s, { text: p.text, mediaUrls: p.mediaUrls, contentHash: hash, currentAt: at, textKnown: true, originalSeen: kind === 'post' });
    const early = kind === 'edit' || s.deletedAt !== null;
    return result('new', { early, version, textChanged: true, sink: s.deletedAt ? ['new', 'delete'] : ['new'] });
  }

  const becomesCurrent = at.getTime() >= s.currentAt.getTime() && hash !== s.contentHash;
  if (becomesCurrent) Object.assign(s, { text: p.text, mediaUrls: p.mediaUrls, contentHash: hash, currentAt: at });
  if (kind === 'post' && !s.originalSeen) {
    // The original of a post first known by its edit.
    s.originalSeen = true;
    takeFacts(s, d);
    return result('reconciled', { early: true, version, textChanged: becomesCurrent, sink: becomesCurrent ? ['edit'] : [] });
  }
  return result('edit', { version, textChanged: becomesCurrent, sink: becomesCurrent ? ['edit'] : [] });
}

export function toSocialPost(s: PostState): SocialPost {
  return {
    id: s.id,
    source: s.source,
    externalId: s.externalId,
    authorKey: s.authorKey,
    time: s.time,
    text: s.text,
    mediaUrls: s.mediaUrls,
    place: s.place,
    replyTo: s.replyTo,
    threadId: s.threadId,
    firstSeenAt: s.firstSeenAt,
    contentHash: s.contentHash,
    edits: s.edits,
    deleted: s.deletedAt !== null,
    reading: s.reading,
  };
}
