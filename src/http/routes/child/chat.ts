import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../../app/platform.ts';
import { issueChatTicket, openChat, postChatMessage, redeemChatTicket } from '../../../core/child-chat.ts';
import type { Principal } from '../../../core/principal.ts';
import { CaseParams } from '../cases/schema.ts';
import { lastEventIdOf, serveEventStream } from '../../sse.ts';
import { errorResponses } from '../common-schema.ts';
import { createChatStreams, presentChatMessage } from './chat-stream.ts';
import * as S from './schema.ts';

const RETRY_MS = 3_000;
const MAX_QUEUED_BYTES = 1_048_576;

/**
 * The live chat of a child case. The child authenticates with the X-Tracking-Code header, staff with their
 * bearer token. A browser's EventSource cannot send headers, and a tracking code in a URL would end up in
 * logs: it first trades the header for a ticket (POST …/chat/tickets, 60 s, single use) and opens
 * GET …/chat/stream?ticket=…. A fetch-based client may open the stream with the header itself.
 */
export const childChatRoutes = (platform: Platform): FastifyPluginAsyncTypebox => async (app) => {
  const deps = platform.child.chat;
  const streams = createChatStreams(deps, platform.feed, {
    heartbeatMs: platform.child.heartbeatMs,
    retryMs: RETRY_MS,
    maxQueuedBytes: MAX_QUEUED_BYTES,
    logger: platform.logger,
  });
  // Open streams would keep the server from closing: end them first (clients reconnect).
  app.addHook('preClose', async () => streams.closeAll());

  app.post('/cases/:id/chat/tickets', {
    schema: {
      tags: ['child'],
      summary: 'A single-use, short-lived ticket that opens the chat stream (EventSource cannot send headers)',
      params: CaseParams,
      response: { 201: S.ChatTicketResponse, ...errorResponses(401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    const issued = await issueChatTicket(deps, request.principal, id);
    return reply.status(201).send({
      ticket: issued.ticket,
      expiresAt: issued.expiresAt.toISOString(),
      streamUrl: `/api/v1/cases/${id}/chat/stream?ticket=${encodeURIComponent(issued.ticket)}`,
    });
  });

  app.post('/cases/:id/chat/messages', {
    schema: {
      tags: ['child'],
      summary: 'Write in the chat (a dialog message; the psychologist\'s first one is the first contact)',
      params: CaseParams,
      body: S.ChatMessageBody,
      response: { 201: S.ChatMessageResponse, ...errorResponses(400, 401, 403, 404, 409, 413) },
    },
  }, async (request, reply) => {
    const message = await postChatMessage(deps, request.principal, request.params.id, request.body.body);
    return reply.status(201).send(presentChatMessage(message, request.principal));
  });

  app.get('/cases/:id/chat/stream', {
    schema: {
      tags: ['child'],
      summary: 'The chat as Server-Sent Events: the dialog so far, then each new message',
      description:
        'Auth: ?ticket= from POST /cases/:id/chat/tickets, or the X-Tracking-Code / Authorization header. Events: `message` ' +
        '({id, authorRole, mine, body, createdAt}, with `id:` = the message id), `state` ({state, stateKind}), `end` (the case is no ' +
        'longer visible); `: ping` every CHILD_CHAT_HEARTBEAT_MS. Last-Event-ID skips the messages the client already has. ' +
        'Internal notes never appear. Staff opening it is recorded once per connection (case.confidential_read, what: chat).',
      params: CaseParams,
      querystring: S.StreamQuery,
      produces: ['text/event-stream'],
      response: errorResponses(400, 401, 403, 404, 409),
    },
  }, async (request, reply) => {
    const { id } = request.params;
    const { ticket } = request.query;
    const principal: Principal =
      request.principal.type === 'public' && ticket !== undefined ? await redeemChatTicket(deps, ticket, id) : request.principal;
    await openChat(deps, principal, id);
    // `end` lets the last event (e.g. `end`: the case is no longer visible) reach the client.
    await serveEventStream(request, reply, (sink) => streams.connect(principal, id, sink, lastEventIdOf(request)), {
      close: 'end',
      logContext: { caseId: id },
    });
  });
};
