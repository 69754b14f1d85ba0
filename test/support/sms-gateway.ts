import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the fake answers: a status, optionally a Location header and a delay. */
export interface GatewayReply {
  status: number;
  location?: string;
  delayMs?: number;
}

export interface FakeSmsGateway {
  url: string;
  requests: GatewayRequest[];
  /** Replies for the next requests, in order; when empty the gateway answers 200. */
  replies: GatewayReply[];
  close(): Promise<void>;
}

/** A local HTTP SMS gateway on 127.0.0.1 and a random port: records each request, answers as told. */
export async function startFakeSmsGateway(): Promise<FakeSmsGateway> {
  const requests: GatewayRequest[] = [];
  const replies: GatewayReply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as text
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = replies.shift() ?? { status: 200 };
      const answer = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.location ? { location: reply.location } : {}) });
        res.end(JSON.stringify({ status: reply.status }));
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    requests,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
