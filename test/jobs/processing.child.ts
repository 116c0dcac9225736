// Child process for crash-recovery.test.ts: a verid core whose face engine never answers (a stuck
// worker), so processing hangs once the session is `processing`; it tells the parent then, and the
// parent kills it with SIGKILL — the session is left `processing` as after any crash.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../src/config/index.ts';
import { createCore } from '../../src/core.ts';
import { createEngines } from '../../src/engines.ts';

const config = loadConfig();
const real = createEngines(config);
const engines = { ...real, faces: { ...real.faces, analyze: () => new Promise<never>(() => {}) } };
const core = await createCore(config, { engines });
const { session, token } = await core.verification.start({
  origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
});
const image = async (name: string) => new Uint8Array(await readFile(process.env[name]!));
let current = await core.verification.authenticate(token);
current = await core.verification.addImage(current, 'front', await image('FRONT_FILE'));
current = await core.verification.addImage(current, 'face', await image('SELFIE_FILE'));
await core.verification.processId(current);
const processing = core.verification.processFace(await core.verification.authenticate(token));
processing.catch(() => undefined);
for (;;) {
  if ((await core.verification.find(session.interviewId))?.state === 'processing') break;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
process.stdout.write(`processing ${session.interviewId}\n`);
