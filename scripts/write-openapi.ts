// Writes openapi.json (committed) from the route schemas: `npm run openapi`. test/api/openapi.test.ts
// fails when the committed document and the running server's differ.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { createEngines } from '../src/engines.ts';

export const OPENAPI_FILE = new URL('../openapi.json', import.meta.url);

/** The document as committed: a fixed issuer, so it does not depend on where it was generated. */
export function canonicalOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (import.meta.main) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'verid-openapi-'));
  const engines = createEngines({ engineThreads: 1, faceMatchThreshold: null });
  try {
    const config = loadConfig({ VERID_DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', VERID_ISSUER: 'http://localhost:3000' });
    const app = await buildApp({ config, engines, logger: false });
    await app.server.ready();
    await writeFile(OPENAPI_FILE, canonicalOpenApi(app.server.swagger()));
    await app.server.close();
    process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`);
  } finally {
    await engines.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
