import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../../app/platform.ts';
import { DomainError } from '../../../core/errors.ts';
import { isStaff } from '../../../core/principal.ts';
import { BadField } from '../../../social/connectors/common.ts';
import { readFeedPost } from '../../../social/connectors/jsonl.ts';
import type { RawPost } from '../../../social/post.ts';
import { errorResponses } from '../common-schema.ts';
import { SocialIngestResult, SocialPostsBody } from './ingest-schema.ts';

const FEED_ROLES = new Set(['analyst', 'registrar']);
const digest = (v: string): Buffer => createHash('sha256').update(v, 'utf8').digest();

/** An API key or staff token of an analyst or registrar, or the configured X-Social-Token (constant time). */
function authorise(request: FastifyRequest, token: string | undefined): void {
  const given = request.headers['x-social-token'];
  if (given !== undefined) {
    if (!token || typeof given !== 'string' || !timingSafeEqual(digest(token), digest(given))) throw new DomainError('ERR_SOCIAL_TOKEN_INVALID');
    return;
  }
  const p = request.principal;
  if (p.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  if (!isStaff(p) || !FEED_ROLES.has(p.role)) throw new DomainError('ERR_FORBIDDEN', 'Only an analyst or registrar (or the feed token) may deliver social posts');
}

/** POST /api/v1/social/posts: a feed delivers a batch; all posts are checked first, so a bad one stores nothing. */
export const socialIngestRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/social/posts', {
    schema: {
      tags: ['social'],
      summary: 'Deliver social posts (the JSONL feed\'s objects, up to 1,000 per request)',
      description: 'API key or staff token of role analyst or registrar, or X-Social-Token. Idempotent by (source, id): a repeated delivery changes nothing.',
      body: SocialPostsBody,
      response: { 200: SocialIngestResult, ...errorResponses(400, 401, 403, 413, 415) },
    },
    onRequest: async (request) => authorise(request, platform.config.SOCIAL_WEBHOOK_TOKEN),
  }, async (request) => {
    const posts: RawPost[] = [];
    const bad: { index: number; field: string; reason: string }[] = [];
    request.body.posts.forEach((value, index) => {
      try {
        posts.push(readFeedPost(value));
      } catch (err) {
        if (!(err instanceof BadField)) throw err;
        bad.push({ index, field: err.field, reason: err.why });
      }
    });
    if (bad.length) throw new DomainError('ERR_SOCIAL_POSTS_INVALID', undefined, { posts: bad.slice(0, 100) });
    const c = await platform.socialIngest.ingest('webhook', posts);
    return { received: c.received, new: c.new, edits: c.edits, deletions: c.deletions, duplicates: c.duplicates, early: c.early, reconciled: c.reconciled };
  });
};
