import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/errors.ts';
import { authenticate, type IdentityDeps } from '../../core/identity/identity.ts';
import { hashTrackingCode } from '../../core/intake.ts';
import type { CaseStore } from '../../core/ports.ts';
import type { Principal } from '../../core/principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

const PUBLIC: Principal = Object.freeze({ type: 'public' });

async function principalOf(request: FastifyRequest, identity: IdentityDeps, store: CaseStore): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S{1,512})$/i.exec(authorization);
    if (!match) throw new DomainError('ERR_INVALID_TOKEN', 'Authorization must be "Bearer <token>"');
    return authenticate(identity, match[1]!);
  }
  const tracking = request.headers['x-tracking-code'];
  if (typeof tracking === 'string' && tracking.length > 0) {
    const found = tracking.length <= 64 ? await store.getByTrackingCodeHash(hashTrackingCode(tracking)) : null;
    if (!found) throw new DomainError('ERR_INVALID_TRACKING_CODE');
    return { type: 'tracking', caseId: found.id };
  }
  return PUBLIC;
}

/** Decides who is asking, once per request: a bearer token or API key, a tracking code, or the public. */
export function registerAuth(app: FastifyInstance, identity: IdentityDeps, store: CaseStore): void {
  // Fastify forbids shared objects as decorator defaults; every request gets its own in onRequest.
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request) => {
    request.principal = await principalOf(request, identity, store);
  });
}

export function requireSignedIn(request: FastifyRequest): Principal {
  if (request.principal.type === 'public') throw new DomainError('ERR_UNAUTHENTICATED');
  return request.principal;
}
