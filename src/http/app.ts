import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Platform } from '../app/platform.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandling, sendFrameworkError } from './plugins/errors.ts';
import { registerValidation } from './plugins/validation.ts';
import { adminRoutes } from './routes/admin/routes.ts';
import { authRoutes } from './routes/auth/routes.ts';
import { boardRoutes } from './routes/board/routes.ts';
import { calendarRoutes } from './routes/calendar/routes.ts';
import { afterAnswerRoutes } from './routes/cases/after-answer.ts';
import { caseRoutes } from './routes/cases/routes.ts';
import { trackRoutes } from './routes/cases/track.ts';
import { thumbnailRoutes } from './routes/cases/thumbnail.ts';
import { ErrorResponse } from './routes/common-schema.ts';
import { healthRoutes } from './routes/health/routes.ts';
import { statisticsRoutes } from './routes/statistics/routes.ts';
import { telegramRoutes } from './routes/telegram/routes.ts';
import { understandingRoutes } from './routes/understanding/routes.ts';
import { referenceRoutes } from './routes/reference/routes.ts';
import { geoRoutes } from './routes/geo/routes.ts';
import { childRoutes } from './routes/child/routes.ts';
import { knowledgeRoutes } from './routes/knowledge/routes.ts';
import { policeRoutes } from './routes/police/routes.ts';
import { open311Routes } from './routes/open311/routes.ts';
import { socialIngestRoutes } from './routes/social/ingest.ts';
import { socialIssueRoutes } from './routes/social/issues.ts';

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** Builds the HTTP app; never listens (the CLI does, tests use inject()). */
export async function buildApp(platform: Platform): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    loggerInstance: platform.logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A client's own request id is kept when it is sane, so one id follows a request across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    routerOptions: { maxParamLength: 200 },
    trustProxy: false,
    frameworkErrors: sendFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // The API speaks JSON (and multipart for files): text/plain is refused with 415, not parsed into a string.
  app.removeContentTypeParser('text/plain');

  registerValidation(app);
  registerErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tyndau API', version: '1.0.0', description: 'One pipeline for every citizen message: appeals, 102, 109, Bala Qorgau, social posts.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, trackingCode: { type: 'apiKey', in: 'header', name: 'X-Tracking-Code' } } },
      security: [{ bearer: [] }, { trackingCode: [] }, {}],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs' });
  await app.register(multipart, { limits: { fileSize: config.ATTACHMENT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 100 }, throwFileSizeLimit: true });

  await app.register(async (api) => {
    registerAuth(api, platform.identity, platform.read.store);
    await api.register(healthRoutes(platform));
    await api.register(authRoutes(platform));
    await api.register(referenceRoutes(platform));
    await api.register(geoRoutes(platform));
    await api.register(calendarRoutes(platform));
    await api.register(caseRoutes(platform));
    await api.register(thumbnailRoutes(platform));
    await api.register(afterAnswerRoutes(platform));
    await api.register(statisticsRoutes(platform));
    await api.register(boardRoutes(platform));
    await api.register(understandingRoutes(platform));
    await api.register(trackRoutes(platform));
    await api.register(knowledgeRoutes(platform));
    await api.register(policeRoutes(platform));
    await api.register(telegramRoutes(platform));
    await api.register(childRoutes(platform));
    await api.register(socialIngestRoutes(platform));
    await api.register(socialIssueRoutes(platform));
    await api.register(adminRoutes(platform), { prefix: '/admin' });
  }, { prefix: '/api/v1' });
  // Open311 GeoReport v2 for third-party clients: its own errors, form parser and api_key (docs/OPEN311.md).
  await app.register(open311Routes(platform), { prefix: '/open311/v2' });

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/api/v1/docs'));
  return app;
}
