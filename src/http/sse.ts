import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where a stream's events go: the HTTP response in production, a fake in tests. */
export interface EventSink {
  write(chunk: string): void;
  /** Bytes written but not yet taken by the client (the response's writableLength). */
  queuedBytes(): number;
  close(): void;
}

export interface EventStreamOptions {
  /** How the server ends the stream: `end` lets the last events out, `destroy` drops the socket at once. */
  close: 'end' | 'destroy';
  /** Facts for the log line when the stream fails to start (no personal data). */
  logContext?: Record<string, string>;
}

/** The Last-Event-ID header, when it is one plausible id; otherwise the fallback (e.g. a query parameter). */
export function lastEventIdOf(request: FastifyRequest, fallback?: string): string | undefined {
  const header = request.headers['last-event-id'];
  return typeof header === 'string' && header.length <= 64 ? header : fallback;
}

/**
 * Takes the response over as a Server-Sent Events stream (text/event-stream) and hands `connect` its sink.
 * The disconnect `connect` returns runs when the client goes, also when it went while `connect` was running.
 * Call it after every check that may refuse: once the headers are out, an error can only end the stream.
 */
export async function serveEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  connect: (sink: EventSink) => Promise<() => void>,
  options: EventStreamOptions,
): Promise<void> {
  reply.hijack();
  const res: ServerResponse = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx: pass events on at once
    'x-request-id': request.id,
  });
  // The stream is idle between events: the heartbeat, not the socket timeout, keeps it honest.
  request.raw.socket.setTimeout(0);
  request.raw.socket.setNoDelay(true);
  let disconnect: (() => void) | null = null;
  let gone = false;
  res.on('close', () => {
    gone = true;
    disconnect?.();
  });
  const sink: EventSink = {
    write: (chunk) => void res.write(chunk),
    queuedBytes: () => res.writableLength,
    close: () => {
      if (options.close === 'end') res.end();
      else res.destroy();
    },
  };
  try {
    disconnect = await connect(sink);
  } catch (err) {
    // The headers are sent: the client sees the stream end and reconnects.
    request.log.error({ err, ...options.logContext }, 'event stream failed to start');
    res.end();
    return;
  }
  if (gone) disconnect();
}
