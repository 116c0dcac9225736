// The verid under attack in bench/abuse.ts, in a process of its own so that the RSS it reports is
// the server's (engines included), not the attackers'. Talks to the bench over the IPC channel.
import { mkdtemp, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { registerClient } from '../../src/oidc/client-registration.ts';

export type ServerMessage = { type: 'ready'; address: string; clientId: string } | { type: 'token'; id: number; token: string } | { type: 'peak'; rssMb: number; cpuMs: number; mainThreadBusy: number };
export type BenchMessage = { type: 'start'; id: number } | { type: 'mark' } | { type: 'stop' };

const send = (message: ServerMessage) => process.send!(message);
const dataDir = await mkdtemp(path.join(tmpdir(), 'verid-bench-abuse-'));
// Default limits; clients arrive through a trusted proxy (their own X-Forwarded-For), as in production.
const config = loadConfig({ VERID_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', VERID_REQUIRE_LIVENESS: 'false', VERID_TRUST_PROXY: '127.0.0.1',
  // To compare with the refusal delay off: VERID_RATE_LIMIT_DELAY_MS=0 npm run bench:abuse
  ...(process.env.VERID_RATE_LIMIT_DELAY_MS ? { VERID_RATE_LIMIT_DELAY_MS: process.env.VERID_RATE_LIMIT_DELAY_MS } : {}) });
const app = await buildApp({ config, logger: false });
const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
const client = await registerClient(app.clients, {
  name: 'Attacked RP', redirectUris: ['https://rp.example.com/cb'], postLogoutRedirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
}, async () => {});

let rssPeak = 0;
// CPU of the whole process (main thread and engine workers) and the main thread's busy share, per phase.
let cpuMark = process.cpuUsage();
let eluMark = performance.eventLoopUtilization();
const phase = () => {
  const cpu = process.cpuUsage(cpuMark);
  const elu = performance.eventLoopUtilization(eluMark);
  cpuMark = process.cpuUsage();
  eluMark = performance.eventLoopUtilization();
  return { cpuMs: Math.round((cpu.user + cpu.system) / 1000), mainThreadBusy: Number(elu.utilization.toFixed(3)) };
};
const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 50);

process.on('message', async (message: BenchMessage) => {
  if (message.type === 'start') {
    const { token } = await app.verification.start({
      origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
    });
    send({ type: 'token', id: message.id, token });
  } else if (message.type === 'mark') {
    // The peak so far; the next one starts from now.
    send({ type: 'peak', rssMb: Math.round(rssPeak / 1e6), ...phase() });
    rssPeak = process.memoryUsage().rss;
  } else {
    clearInterval(sampler);
    send({ type: 'peak', rssMb: Math.round(rssPeak / 1e6), ...phase() });
    await app.server.close();
    await rm(dataDir, { recursive: true, force: true });
    process.disconnect();
  }
});
send({ type: 'ready', address, clientId: client.clientId });
