import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { DomainError } from '../../../core/errors.ts';
import { createApiKey, revokeApiKey } from '../../../core/identity/identity.ts';
import { canAdminister } from '../../../core/policy.ts';
import { isStaff, type StaffPrincipal } from '../../../core/principal.ts';
import { errorResponses, Uuid } from '../common-schema.ts';

/** API keys for machine clients (integrations, importers): admins only; the key is shown once. */
export const adminRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const admin = (principal: FastifyRequest['principal']): StaffPrincipal => {
    if (principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
    if (!canAdminister(principal) || !isStaff(principal)) throw new DomainError('ERR_FORBIDDEN');
    return principal;
  };
  app.addHook('preHandler', async (request) => {
    admin(request.principal);
  });

  app.post('/api-keys', {
    schema: {
      tags: ['admin'],
      summary: 'Create an API key for a machine client',
      body: Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.String({ maxLength: 30 }), organisationId: Type.String({ maxLength: 100 }) },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ id: Uuid, key: Type.String(), name: Type.String(), role: Type.String(), organisationId: Type.String() }), ...errorResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    return reply.status(201).send(await createApiKey(platform.identity, admin(request.principal), request.body));
  });

  app.delete('/api-keys/:id', {
    schema: { tags: ['admin'], summary: 'Revoke an API key', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
  }, async (request, reply) => {
    await revokeApiKey(platform.identity, admin(request.principal), request.params.id);
    return reply.status(204).send(null);
  });
};
