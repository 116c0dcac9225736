import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  body: string;
  headers: Record<string, string>;
  /** The status the receiver answered. */
  status: number;
  at: number;
}

/** How the receiver answers a request: a status (and headers), or 'hang' (never answers). */
export type Answer = number | { status: number; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Requests answered 2xx, in arrival order. */
  accepted(): Received[];
  /** Stops listening (connections refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const header = (request: IncomingMessage, name: string) => String(request.headers[name] ?? '');

/** A webhook receiver on loopback; `answer` decides each response from the request and how often its webhook-id was seen. */
export async function startReceiver(answer: (request: Received, seen: number) => Answer = () => 204, port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const hanging = new Set<IncomingMessage>();
  let server: Server;
  const listen = async (on: number) => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const id = header(request, 'webhook-id');
      const count = (seen.get(id) ?? 0) + 1;
      seen.set(id, count);
      const entry: Received = {
        id, body: Buffer.concat(chunks).toString('utf8'), status: 0, at: Date.now(),
        headers: { 'webhook-id': id, 'webhook-timestamp': header(request, 'webhook-timestamp'), 'webhook-signature': header(request, 'webhook-signature') },
      };
      const decided = answer(entry, count);
      if (decided === 'hang') {
        hanging.add(request);
        entry.status = -1;
        received.push(entry);
        return;
      }
      const { status, headers } = typeof decided === 'number' ? { status: decided, headers: {} } : decided;
      entry.status = status;
      received.push(entry);
      response.writeHead(status, headers).end(status >= 300 ? 'no thanks' : '');
    });
    server.listen(on, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  const actual = await listen(port);
  const stop = async () => {
    for (const request of hanging) request.socket.destroy();
    hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${actual}/hooks`,
    port: actual,
    received,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    stop,
    start: async () => { await listen(actual); },
    close: stop,
  };
}

/** Verifies a received webhook with the standardwebhooks package, as a receiver would. */
export function verifyWith(secret: string, request: Received): unknown {
  return new Webhook(secret).verify(request.body, request.headers);
}
