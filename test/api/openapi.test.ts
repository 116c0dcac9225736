import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { canonicalOpenApi, OPENAPI_FILE } from '../../scripts/write-openapi.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => {
  await server.close();
  await closeEngines();
});

test('the committed openapi.json is what the server serves (run `npm run openapi` after changing a route)', async () => {
  const served = await (await fetch(`${server.baseUrl}/openapi.json`)).json() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  assert.equal(canonicalOpenApi(served), await readFile(OPENAPI_FILE, 'utf8'), 'openapi.json is stale: run npm run openapi');
  assert.equal(served.openapi, '3.1.0');
  // Every operation documents its errors with the one error shape.
  for (const [route, operations] of Object.entries(served.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const errors = Object.keys(operation.responses).filter((status) => status.startsWith('4'));
      assert.ok(errors.length > 0, `${method.toUpperCase()} ${route} documents no 4xx response`);
    }
  }
});
