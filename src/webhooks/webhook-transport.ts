import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { Socket } from 'node:net';
import { addressLiteral, isAddressAllowed, type OutboundPolicy } from './outbound-policy.ts';

/** What an attempt returned: a status, or an error code (never a message with data). */
export interface PostResult {
  statusCode: number | null;
  errorCode: string | null;
  latencyMs: number;
  /** The first bytes of the response body, as text. */
  excerpt: string | null;
  retryAfterSeconds: number | null;
}

export type WebhookPost = (url: string, headers: Record<string, string>, body: string) => Promise<PostResult>;

const EXCERPT_BYTES = 200;

class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
}

/**
 * A DNS lookup for the socket that refuses a host if any address it resolves to is refused: the
 * address connected to is the one checked here, so a name cannot resolve to a public address when
 * checked and a private one when used.
 */
export function guardedLookup(policy: OutboundPolicy, resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, []);
      if (addresses.length === 0 || addresses.some((a) => !isAddressAllowed(policy, a.address))) {
        return callback(new BlockedAddressError(`${hostname} resolves to a refused address`), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function errorCode(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'blocked_address' || code === 'timeout') return code;
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (['ECONNRESET', 'EPIPE', 'ECONNABORTED'].includes(code) || /socket hang up/.test(String((error as Error).message))) return 'connection_reset';
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'].includes(code)) return 'dns_failed';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code)) return 'tls_error';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  return 'network_error';
}

function retryAfter(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * POSTs a webhook: no redirects followed (a 3xx is a failure), one deadline for the whole exchange,
 * every address checked against `policy` — an address literal before connecting, a name in the
 * socket's DNS lookup, and the peer of the connected socket once more.
 */
export function createWebhookPost(policy: OutboundPolicy, timeoutMs: number): WebhookPost {
  const lookup = guardedLookup(policy);
  return (target, headers, body) => new Promise<PostResult>((resolve) => {
    const started = performance.now();
    const done = (result: Omit<PostResult, 'latencyMs'>) => resolve({ ...result, latencyMs: Math.round(performance.now() - started) });
    const fail = (error: unknown) => done({ statusCode: null, errorCode: errorCode(error), excerpt: null, retryAfterSeconds: null });
    const url = new URL(target);
    const literal = addressLiteral(url);
    if (literal && !isAddressAllowed(policy, literal)) return fail(new BlockedAddressError('refused address'));
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST', agent: false, lookup,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'verid-webhooks' },
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })), timeoutMs);
    request.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        if (!socket.remoteAddress || !isAddressAllowed(policy, socket.remoteAddress)) request.destroy(new BlockedAddressError('refused peer'));
      });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
        done({
          statusCode: status, errorCode: status >= 300 && status < 400 ? 'redirect_not_followed' : null,
          excerpt: excerpt || null, retryAfterSeconds: retryAfter(response.headers['retry-after']),
        });
        response.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        if (size < EXCERPT_BYTES) chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) finish();
      });
      response.on('end', finish);
      response.on('error', () => finish());
    });
    request.end(body);
  });
}
