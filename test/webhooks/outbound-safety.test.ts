import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, test } from 'node:test';
import { checkEndpointUrl, createWebhookPost, guardedLookup, isAddressAllowed, parseOutboundPolicy } from '../../src/webhooks/index.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';
import { LOOPBACK } from './webhook-fixture.ts';

const STRICT = parseOutboundPolicy(false, null);
const REFUSED = ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
  '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', 'fe80::1', 'fc00::1', 'ff02::1'];

describe('outbound safety (SSRF)', () => {
  test('private, loopback, link-local, CGNAT, multicast, unspecified and mapped addresses are refused; public unicast is not', () => {
    for (const address of REFUSED) assert.equal(isAddressAllowed(STRICT, address), false, address);
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34']) assert.equal(isAddressAllowed(STRICT, address), true, address);
    assert.equal(isAddressAllowed(LOOPBACK, '127.0.0.1'), true, 'an allowed CIDR lets its addresses through');
    assert.equal(isAddressAllowed(LOOPBACK, '::ffff:127.0.0.1'), true, 'mapped IPv4 is judged as IPv4');
    assert.equal(isAddressAllowed(LOOPBACK, '10.0.0.1'), false, 'and no others');
    assert.equal(isAddressAllowed(parseOutboundPolicy(true, null), '10.0.0.1'), true, 'VERID_WEBHOOK_ALLOW_PRIVATE');
    assert.throws(() => parseOutboundPolicy(false, '10.0.0.0/99'), /VERID_WEBHOOK_ALLOW_CIDRS/);
  });

  test('registration refuses those targets, names resolving to them, http for production clients and credentials', async () => {
    const urls = ['http://127.0.0.1/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x',
      'http://0x7f.1/x', 'http://localhost:8080/x'];
    for (const url of urls) {
      const check = await checkEndpointUrl(url, 'demo', STRICT);
      assert.deepEqual(check.ok ? 'accepted' : check.code, 'blocked_address', url);
    }
    const rebinding = await checkEndpointUrl('https://hooks.example.test/x', 'production', STRICT, async () => ['93.184.216.34', '10.0.0.7']);
    assert.equal(rebinding.ok ? 'accepted' : rebinding.code, 'blocked_address', 'one private answer among public ones is enough to refuse');
    const production = await checkEndpointUrl('http://hooks.example.test/x', 'production', STRICT, async () => ['93.184.216.34']);
    assert.equal(production.ok ? 'accepted' : production.code, 'https_required');
    const demo = await checkEndpointUrl('http://hooks.example.test/x', 'demo', STRICT, async () => ['93.184.216.34']);
    assert.deepEqual(demo, { ok: true, url: 'http://hooks.example.test/x' });
    const credentials = await checkEndpointUrl('https://user:pw@hooks.example.test/x', 'demo', STRICT, async () => ['93.184.216.34']);
    assert.equal(credentials.ok ? 'accepted' : credentials.code, 'credentials_in_url');
    const ftp = await checkEndpointUrl('ftp://hooks.example.test/x', 'demo', STRICT, async () => ['93.184.216.34']);
    assert.equal(ftp.ok ? 'accepted' : ftp.code, 'invalid_url');
  });

  test('delivery connects to no refused address: literals, names (checked in the socket\'s lookup) and IPv6', async () => {
    const receiver = await startReceiver();
    try {
      const post = createWebhookPost(STRICT, 2_000);
      for (const url of [receiver.url, `http://localhost:${receiver.port}/hooks`, `http://[::ffff:127.0.0.1]:${receiver.port}/hooks`, `http://[::1]:${receiver.port}/hooks`]) {
        const result = await post(url, {}, '{}');
        assert.deepEqual([result.statusCode, result.errorCode], [null, 'blocked_address'], url);
      }
      assert.equal(receiver.received.length, 0, 'nothing reached the receiver');
      const allowed = await createWebhookPost(LOOPBACK, 2_000)(receiver.url, {}, '{}');
      assert.equal(allowed.statusCode, 204, 'the same receiver, allowed by config');
    } finally {
      await receiver.close();
    }
  });

  test('the socket lookup refuses a name whose answers include a refused address (no second resolution to race)', async () => {
    const fake = (answers: string[]) => ((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) =>
      callback(null, answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as never;
    const lookup = (answers: string[], all: boolean) => new Promise<unknown>((resolve) => {
      guardedLookup(STRICT, fake(answers))('hooks.example.test', { all }, (error, address) => resolve(error ? (error as { code?: string }).code : address));
    });
    assert.equal(await lookup(['10.0.0.1'], false), 'blocked_address');
    assert.equal(await lookup(['93.184.216.34', '169.254.169.254'], true), 'blocked_address');
    assert.equal(await lookup(['93.184.216.34'], false), '93.184.216.34');
  });

  test('redirects are not followed: a 302 to a private address is a recorded failure', async () => {
    const receiver = await startReceiver(() => ({ status: 302, headers: { location: 'http://10.0.0.1/steal' } }));
    try {
      const result = await createWebhookPost(LOOPBACK, 2_000)(receiver.url, {}, '{}');
      assert.deepEqual([result.statusCode, result.errorCode], [302, 'redirect_not_followed']);
      assert.equal(receiver.received.length, 1);
    } finally {
      await receiver.close();
    }
  });

  test('a receiver that does not answer in time is a timeout', async () => {
    const receiver = await startReceiver(() => 'hang');
    try {
      const result = await createWebhookPost(LOOPBACK, 300)(receiver.url, {}, '{}');
      assert.deepEqual([result.statusCode, result.errorCode], [null, 'timeout']);
      assert.ok(result.latencyMs >= 280 && result.latencyMs < 2_000, String(result.latencyMs));
    } finally {
      await receiver.close();
    }
  });
});
