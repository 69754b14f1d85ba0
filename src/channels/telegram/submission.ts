/**
 * A confirmed draft as the intake command's submission. Pure.
 *
 * Which door of the platform the report enters: the city line (109) by default; the police (102) when the
 * classifier is confident it reports a crime (a `safety.*` category) and the person sent a point on the map,
 * which a police report needs. The category is then passed along, so the report is routed as what it was
 * judged to be, and may stay anonymous (the law's exception for reports of a crime). Anything else (no point,
 * an unsure classifier, no model) goes to 109, which accepts every report, anonymous or not.
 */
import type { Submission } from '../../core/intake.ts';
import type { Channel, Language } from '../../core/model.ts';
import type { Classification } from '../../core/ports.ts';
import type { Draft } from './conversation.ts';

export function chooseChannel(classification: Classification | null, hasPoint: boolean): { channel: Channel; category?: string } {
  if (hasPoint && classification?.confident && classification.category.startsWith('safety.')) {
    return { channel: 'police', category: classification.category };
  }
  return { channel: 'city' };
}

export function submissionOf(draft: Draft & { text: string }, language: Language, classification: Classification | null): Submission {
  const { channel, category } = chooseChannel(classification, draft.location !== null);
  return {
    channel,
    text: draft.text,
    language,
    ...(category ? { category } : {}),
    ...(draft.location ? { location: draft.location } : {}),
    ...(draft.address ? { address: draft.address } : {}),
  };
}

/** The idempotency key of a draft's registration: a confirm handled twice registers one case. */
export const idempotencyKeyOf = (draft: Draft): string => `telegram-${draft.id}`;
