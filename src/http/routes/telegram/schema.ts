import { Type } from 'typebox';

export const WebhookResponse = Type.Object({
  ok: Type.Literal(true),
  /** handled; duplicate (a retried update: nothing done again); ignored (nothing for the door: a group chat, an edit…). */
  outcome: Type.Union([Type.Literal('handled'), Type.Literal('duplicate'), Type.Literal('ignored')]),
});
