// What bench/oidc.ts and the servers it starts (oidc-bare-provider.ts, oidc-verid-server.ts) say to
// each other over the IPC channel.

export const BENCH_REDIRECT_URI = 'https://rp.example.com/callback';

export type ServerMessage =
  | { type: 'ready'; baseUrl: string; clientId: string; clientSecret: string }
  /** Database statements (SQLite) or round trips (PostgreSQL) since the last `reset`. */
  | { type: 'queries'; count: number }
  /** A new Omni verification session's capture token (the load phase drives it over HTTP). */
  | { type: 'session'; token: string };

export type BenchMessage = { type: 'reset' } | { type: 'count' } | { type: 'start-session' } | { type: 'stop' };

export type IdTokenAlg = 'RS256' | 'ES256';

export function idTokenAlg(value: string | undefined): IdTokenAlg {
  if (value === undefined || value === 'RS256') return 'RS256';
  if (value === 'ES256') return 'ES256';
  throw new Error(`BENCH_OIDC_ALG must be RS256 or ES256, not ${value}`);
}
