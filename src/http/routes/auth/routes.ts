import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../../app/platform.ts';
import { requestSignInCode, signInStaff, signOut, verifySignInCode } from '../../../core/identity/identity.ts';
import { DomainError } from '../../../core/errors.ts';
import { requireSignedIn } from '../../plugins/auth.ts';
import { errorResponses, Nullable } from '../common-schema.ts';
import { languages } from '../../../core/model.ts';
import type { Principal } from '../../../core/principal.ts';

const Token = Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });
const presentToken = (t: { token: string; expiresAt: Date }) => ({ token: t.token, expiresAt: t.expiresAt.toISOString() });

/** Sign-in: citizens by phone and one-time code, staff by username and password. */
export const authRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/auth/code', {
    schema: {
      tags: ['auth'],
      summary: 'Send a one-time sign-in code to a phone (in demo mode the code comes back here)',
      body: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
      response: { 202: Type.Object({ phone: Type.String(), expiresAt: Type.String(), code: Type.Optional(Type.String()) }), ...errorResponses(400) },
    },
  }, async (request, reply) => {
    const sent = await requestSignInCode(platform.identity, request.body.phone);
    return reply.status(202).send({ ...sent, expiresAt: sent.expiresAt.toISOString() });
  });

  app.post('/auth/code/verify', {
    schema: {
      tags: ['auth'],
      summary: 'Exchange the one-time code for a bearer token',
      body: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 32 }), code: Type.String({ minLength: 1, maxLength: 12 }) }, { additionalProperties: false }),
      response: { 200: Token, ...errorResponses(400, 401, 429) },
    },
  }, async (request) => presentToken(await verifySignInCode(platform.identity, request.body.phone, request.body.code)));

  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Staff sign-in',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Token, ...errorResponses(400, 401) },
    },
  }, async (request) => presentToken(await signInStaff(platform.identity, request.body.username, request.body.password)));

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Revoke the bearer token', response: { 204: Type.Null(), ...errorResponses(400, 401) } } }, async (request, reply) => {
    requireSignedIn(request);
    const token = request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '';
    if (!token.startsWith('tyt_')) throw new DomainError('ERR_NOT_A_SESSION');
    await signOut(platform.identity, token);
    return reply.status(204).send(null);
  });

  const Language = Type.Unsafe<(typeof languages)[number]>({ type: 'string', enum: [...languages], description: 'kk, ru or en' });
  const Me = Type.Object({
    type: Type.String(),
    userId: Nullable(Type.String()),
    role: Nullable(Type.String()),
    organisationId: Nullable(Type.String()),
    email: Nullable(Type.String({ description: 'Where notices go by e-mail (citizens and staff; null: none given)' })),
    language: Nullable(Language),
  });
  const describe = async (p: Principal) => {
    if (p.type === 'tracking') return { type: p.type, userId: null, role: 'applicant', organisationId: null, email: null, language: null };
    if (p.type === 'public') return { type: p.type, userId: null, role: null, organisationId: null, email: null, language: null };
    // A machine client's id is its API key's: it has no contact of its own.
    const contact = p.type === 'machine' ? null : await platform.contacts.get(p.userId);
    const who = p.type === 'citizen' ? { role: 'applicant', organisationId: null } : { role: p.role, organisationId: p.organisationId };
    return { type: p.type, userId: p.userId, ...who, email: contact?.email ?? null, language: contact?.language ?? null };
  };

  app.get('/me', {
    schema: { tags: ['auth'], summary: 'Who the caller is', response: { 200: Me, ...errorResponses(401) } },
  }, async (request) => describe(requireSignedIn(request)));

  app.patch('/me', {
    schema: {
      tags: ['auth'],
      summary: 'Set your e-mail address for notices (null clears it) and your preferred language',
      body: Type.Object(
        {
          email: Type.Optional(Nullable(Type.String({ format: 'email', minLength: 3, maxLength: 254 }))),
          language: Type.Optional(Language),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: Me, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const p = requireSignedIn(request);
    // Only a person has contact details: not a tracking-code holder, not a machine client.
    if (p.type !== 'citizen' && p.type !== 'staff') throw new DomainError('ERR_FORBIDDEN', 'Only a signed-in citizen or staff member has contact details');
    const { email, language } = request.body;
    const updated = await platform.contacts.update(p.userId, {
      ...(email !== undefined ? { email } : {}),
      ...(language !== undefined ? { language } : {}),
    });
    if (!updated) throw new DomainError('ERR_USER_NOT_FOUND');
    return describe(p);
  });
};
