import { Type } from 'typebox';

/** The webhook's body: posts in the JSONL feed's shape (docs/SOCIAL-JSONL.md), read strictly by the connector. */
export const SocialPostsBody = Type.Object(
  { posts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000, description: 'Feed objects: source, id, time, text required (docs/SOCIAL-JSONL.md)' }) },
  { additionalProperties: false },
);

export const SocialIngestResult = Type.Object({
  received: Type.Integer(),
  new: Type.Integer(),
  edits: Type.Integer(),
  deletions: Type.Integer(),
  duplicates: Type.Integer(),
  early: Type.Integer({ description: 'Edits and deletions that came before their post' }),
  reconciled: Type.Integer({ description: 'Originals that came after their edit' }),
});
