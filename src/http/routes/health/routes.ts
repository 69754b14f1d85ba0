import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';

/** Liveness and readiness: up, and able to reach its database. */
export const healthRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/health', {
    schema: {
      tags: ['health'],
      summary: 'Health and readiness',
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), embedded: Type.Boolean() }),
        503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String(), embedded: Type.Boolean() }),
      },
    },
  }, async (_request, reply) => {
    const embedded = platform.db.engine === 'pglite';
    try {
      await platform.db.query('SELECT 1');
      return { status: 'ok' as const, database: platform.db.engine, embedded };
    } catch {
      return reply.status(503).header('Retry-After', '5').send({ status: 'unavailable' as const, database: platform.db.engine, embedded });
    }
  });
};
