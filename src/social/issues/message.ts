/**
 * What the issue clustering reads: a social post or a case from any other channel, as one message
 * (category, place, text, time). Pure conversions; the post's reading comes from ingestion.
 */
import type { SocialPost } from '../post.ts';

export interface MessageRef {
  kind: 'post' | 'case';
  id: string;
}

export interface IssueMessage {
  ref: MessageRef;
  /** The feed of a post ("tg:astana_akimat") or the channel of a case ("city_109", "appeal"). */
  source: string;
  category: string | null;
  city: string | null;
  districtId: string | null;
  text: string;
  time: Date;
  /** Noise (adverts, greetings) never forms an issue. */
  relevant: boolean;
}

export const refKey = (r: MessageRef): string => `${r.kind}:${r.id}`;

export function postMessage(post: SocialPost): IssueMessage {
  const r = post.reading;
  return {
    ref: { kind: 'post', id: post.id },
    source: post.source,
    category: r?.category ?? null,
    city: r?.city ?? null,
    districtId: r?.districtId ?? null,
    text: post.text,
    time: post.time,
    relevant: r?.relevant ?? false,
  };
}

export interface CaseLike {
  id: string;
  channel: string;
  category: string;
  city: string | null;
  districtId: string | null;
  text: string;
  createdAt: Date;
}

/** A case is always relevant: someone filed it. */
export const caseMessage = (c: CaseLike): IssueMessage => ({
  ref: { kind: 'case', id: c.id },
  source: c.channel,
  category: c.category,
  city: c.city,
  districtId: c.districtId,
  text: c.text,
  time: c.createdAt,
  relevant: true,
});
