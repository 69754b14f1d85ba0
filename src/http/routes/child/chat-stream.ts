/**
 * One open chat stream (Server-Sent Events): the dialog so far, then each new dialog message as the live
 * feed tells of a change to the case, a `state` event when the case moves, `: ping` heartbeats, and the end
 * when the reader may no longer see the case. Internal notes never reach it (the dialog is read without
 * them, whoever reads).
 */
import type { Logger } from 'pino';
import { chatMessages, stillReadable, type ChatDeps } from '../../../core/child-chat.ts';
import type { CaseMessage } from '../../../core/model.ts';
import type { LiveFeed } from '../../../core/ports.ts';
import type { Principal } from '../../../core/principal.ts';
import type { EventSink } from '../../sse.ts';

export interface ChatStreamOptions {
  heartbeatMs: number;
  /** Before the first heartbeat: how long a client waits before reconnecting. */
  retryMs: number;
  /** A client this far behind is cut off rather than buffered without end. */
  maxQueuedBytes: number;
  logger: Logger;
}

/** Event types that cannot bring a message or move the case: a staff read writes one and must not cause a re-read. */
const QUIET = new Set(['case.confidential_read']);

export function presentChatMessage(m: CaseMessage, principal: Principal) {
  const mine =
    principal.type === 'tracking' || principal.type === 'citizen'
      ? m.authorRole === 'applicant'
      : principal.type !== 'public' && m.authorId === principal.userId;
  return { id: m.id, authorRole: m.authorRole, mine, body: m.body, createdAt: m.createdAt.toISOString() };
}

const frame = (event: string, data: unknown, id?: string): string => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export interface ChatStreams {
  /** Streams the chat of one case to the sink; returns the disconnect (idempotent). */
  connect(principal: Principal, caseId: string, sink: EventSink, lastEventId?: string): Promise<() => void>;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
  open(): number;
}

export function createChatStreams(deps: ChatDeps, feed: LiveFeed & { poll?: () => Promise<number> }, options: ChatStreamOptions): ChatStreams {
  const streams = new Set<() => void>();

  async function connect(principal: Principal, caseId: string, sink: EventSink, lastEventId?: string): Promise<() => void> {
    const sent = new Set<string>();
    let state: string | null = null;
    let closed = false;
    let skipThrough = lastEventId;
    let chain: Promise<void> = Promise.resolve();

    const send = (chunk: string): void => {
      if (closed) return;
      sink.write(chunk);
      if (sink.queuedBytes() > options.maxQueuedBytes) disconnect();
    };

    /** Re-reads the dialog and sends what this client has not had yet, in order. */
    const flush = async (): Promise<void> => {
      if (closed) return;
      const record = await stillReadable(deps, principal, caseId);
      if (!record) {
        send(frame('end', { reason: 'not_visible' }));
        disconnect();
        return;
      }
      const messages = await chatMessages(deps, caseId);
      if (skipThrough !== undefined) {
        // A reconnecting client already has everything up to its Last-Event-ID.
        const at = messages.findIndex((m) => m.id === skipThrough);
        for (const m of messages.slice(0, at + 1)) sent.add(m.id);
        skipThrough = undefined;
      }
      for (const m of messages) {
        if (sent.has(m.id)) continue;
        sent.add(m.id);
        send(frame('message', presentChatMessage(m, principal), m.id));
      }
      if (record.state !== state) {
        state = record.state;
        send(frame('state', { state: record.state, stateKind: record.stateKind }));
      }
    };
    const schedule = (): void => {
      chain = chain.then(flush).catch((err: unknown) => options.logger.warn({ err, caseId }, 'chat stream re-read failed'));
    };

    const unsubscribe = feed.subscribe({ caseId }, (change) => {
      if (!QUIET.has(change.type)) schedule();
    });
    const heartbeat = setInterval(() => send(': ping\n\n'), options.heartbeatMs);
    heartbeat.unref();
    function disconnect(): void {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(disconnect);
      sink.close();
    }
    streams.add(disconnect);

    send(`retry: ${options.retryMs}\n\n`);
    // The feed's cursor is set before the first read: whatever commits later reaches us as a change,
    // whatever committed earlier is in the first read; a message in both is sent once (by id).
    await feed.poll?.().catch((err: unknown) => options.logger.warn({ err }, 'live feed poll failed'));
    schedule();
    await chain;
    return disconnect;
  }

  return {
    connect,
    closeAll() {
      for (const end of [...streams]) end();
    },
    open: () => streams.size,
  };
}
