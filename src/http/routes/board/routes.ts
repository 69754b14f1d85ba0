import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { boardOrganisation, issueBoardTicket, readBoard, redeemBoardTicket } from '../../../core/board.ts';
import { DomainError } from '../../../core/errors.ts';
import { lastEventIdOf, serveEventStream } from '../../sse.ts';
import { errorResponses } from '../common-schema.ts';
import { createBoardHubs } from './hub.ts';
import { presentBoard } from './present.ts';
import * as S from './schema.ts';

/**
 * The live dispatch board of 102 and 109: a snapshot (GET /board) and a Server-Sent Events stream
 * (GET /board/stream: `snapshot`, then `case` upserts and removals, `: ping` heartbeats, `retry:`, `id:` and
 * Last-Event-ID). A browser's EventSource cannot send the Authorization header: it first trades the token
 * for a single-use ticket (POST /board/tickets) and opens /board/stream?ticket=….
 */
export const boardRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const deps = platform.board;
  const { config } = platform;
  const hubs = createBoardHubs(deps, {
    heartbeatMs: config.BOARD_HEARTBEAT_MS,
    retryMs: config.BOARD_RETRY_MS,
    clientBufferBytes: config.BOARD_CLIENT_BUFFER_BYTES,
    replayEvents: config.BOARD_REPLAY_EVENTS,
    logger: platform.logger,
  });
  // Open streams would keep the server from closing: end them first (clients reconnect elsewhere).
  app.addHook('preClose', async () => hubs.closeAll());

  app.get('/board', {
    schema: { tags: ['board'], summary: "An organisation's dispatch board (open 102/109 cases, emergencies first, then by age)", querystring: S.BoardQuery, response: { 200: S.BoardResponse, ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const { principal, organisationId } = boardOrganisation(request.principal, request.query.organisationId, deps.hasOrganisation);
    return presentBoard(await readBoard(deps, principal, organisationId));
  });

  app.post('/board/tickets', {
    schema: { tags: ['board'], summary: 'A single-use, short-lived ticket for the board stream (EventSource cannot send headers)', body: S.TicketBody, response: { 201: S.TicketResponse, ...errorResponses(400, 401, 403) } },
  }, async (request, reply) => {
    const issued = await issueBoardTicket(deps, request.principal, request.body?.organisationId);
    return reply.status(201).send({ ticket: issued.ticket, organisationId: issued.organisationId, expiresAt: issued.expiresAt.toISOString() });
  });

  app.get('/board/stream', {
    schema: {
      tags: ['board'],
      summary: 'The board as Server-Sent Events (text/event-stream): snapshot, then case upserts/removals',
      description:
        'Auth: the Authorization header, or ?ticket= from POST /board/tickets. Events: `snapshot` (the board), `case` ({op: upsert, row} or {op: remove, id}); ' +
        '`: ping` every BOARD_HEARTBEAT_MS. On reconnect the Last-Event-ID header (or ?lastEventId=) replays what was missed when this node still has it, else a new snapshot.',
      querystring: S.StreamQuery,
      produces: ['text/event-stream'],
      response: errorResponses(400, 401, 403),
    },
  }, async (request, reply) => {
    const { ticket, lastEventId } = request.query;
    let watcher;
    if (request.principal.type === 'public' && ticket !== undefined) {
      watcher = await redeemBoardTicket(deps, ticket);
      if (request.query.organisationId !== undefined && request.query.organisationId !== watcher.organisationId) {
        throw new DomainError('ERR_FORBIDDEN', 'The ticket is for another board', { organisationId: request.query.organisationId });
      }
    } else {
      watcher = boardOrganisation(request.principal, request.query.organisationId, deps.hasOrganisation);
    }
    const last = lastEventIdOf(request, lastEventId);
    const { principal, organisationId } = watcher;
    // A client too slow to read is dropped at once (destroy): its queue is not worth flushing.
    await serveEventStream(request, reply, (sink) => hubs.connect(principal, organisationId, sink, last), {
      close: 'destroy',
      logContext: { organisationId },
    });
  });
};
