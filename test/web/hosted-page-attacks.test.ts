import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testServers, type TestServer } from '../helpers/test-server.ts';

// Attacks on the hosted page of Omni Start (docs/security.md "API clients", "The hosted page");
// each test was a working attack before its fix.
describe('the hosted page: attacks', () => {
  const servers = testServers();
  let server: TestServer;
  const FAILURES = 5;

  before(async () => {
    // Behind a proxy on loopback, so the test can speak from many client addresses.
    server = await servers.start({ overrides: { trustProxy: '127.0.0.1', rateLimitCaptureAuthFailures: FAILURES } });
  });
  after(() => servers.closeAll());

  const form = (path: string, body: Record<string, string>, from: string) => fetch(`${server.baseUrl}${path}`, {
    method: 'POST', body: new URLSearchParams(body),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', 'x-forwarded-for': from },
  });

  test('guessing interview codes from a new IPv6 address each time still meets the failure budget (an IPv6 /64 is one budget)', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= FAILURES + 3; i++) {
      statuses.push((await form('/start', { code: `ZZZZZZ${String(i).padStart(2, '0')}` }, `2001:db8:7:1::${i.toString(16)}`)).status);
    }
    assert.deepEqual(statuses, [...Array<number>(FAILURES).fill(404), 429, 429, 429], 'every address of the /64 shares one budget');
    // Another network has its own budget.
    assert.equal((await form('/start', { code: 'ZZZZZZZZ' }, '2001:db8:8:1::1')).status, 404);
  });

  test('/verify/finish keeps to the failure budget like /verify and /start (it was a token oracle without a limit)', async () => {
    const from = '198.51.100.20';
    const token = (i: number) => `${'A'.repeat(40)}${i}`;
    for (let i = 0; i < FAILURES; i++) assert.equal((await form('/verify/finish', { token: token(i) }, from)).status, 404);
    for (const path of ['/verify/finish', '/verify']) {
      const answer = await form(path, { token: token(99) }, from);
      assert.equal(answer.status, 429, path);
      assert.ok(Number(answer.headers.get('retry-after')) > 0);
    }
  });
});
