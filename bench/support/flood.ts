// Hostile load for bench/abuse.ts: bounded loops against a verid on loopback that stop by themselves.
import { request as httpRequest } from 'node:http';

export interface FloodCounts {
  sent: number;
  byStatus: Record<number, number>;
}

export interface Flood {
  counts: FloodCounts;
  /** Resolves when every loop has stopped (at `stop()`, the deadline or its request budget). */
  done: Promise<void>;
  stop(): void;
}

/** Runs `concurrency` loops of `once` until stopped, `maxRequests` are sent or `maxMs` pass. */
export function flood(once: () => Promise<number>, options: { concurrency: number; maxRequests: number; maxMs: number }): Flood {
  const counts: FloodCounts = { sent: 0, byStatus: {} };
  const deadline = Date.now() + options.maxMs;
  let stopped = false;
  const loop = async () => {
    while (!stopped && Date.now() < deadline && counts.sent < options.maxRequests) {
      counts.sent++;
      const status = await once().catch(() => 0);
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, loop)).then(() => undefined);
  return { counts, done, stop: () => { stopped = true; } };
}

/**
 * Streams a `total`-byte body from one reused 1 MB chunk (so the attacker holds no big buffer) and
 * resolves with the status as soon as it arrives, abandoning the rest of the upload.
 */
export function streamBody(url: string, headers: Record<string, string>, total: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    let answered = false;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(total) } }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => (answered ? undefined : resolve(0)));
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** POSTs `body` as is (no copy per request, unlike fetch) and resolves with the status. */
export function postBuffer(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
