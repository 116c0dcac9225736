import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { createEngines } from '../../src/engines.ts';
import { testServers, type TestServer } from '../helpers/test-server.ts';

const jpeg = (seed: number, size = 640) => sharp({ create: { width: size, height: size, channels: 3, background: { r: seed * 37 % 256, g: seed * 91 % 256, b: seed * 53 % 256 } } })
  .jpeg().toBuffer();

async function newSession(server: TestServer): Promise<string> {
  const started = await server.app.verification.start({
    origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
  });
  return started.token;
}

async function post(server: TestServer, path: string, token: string | null, body?: Buffer) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body) headers['content-type'] = 'image/jpeg';
  const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers, ...(body ? { body: new Uint8Array(body) } : {}) });
  const json = await response.json() as { error?: { code: string; message: string } } & Record<string, unknown>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: json };
}

/** Streams `total` bytes; resolves with the status and how much was written when it arrived. */
function streamUpload(server: TestServer, path: string, total: number, token = 'guessed-token'): Promise<{ status: number; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest(`${server.baseUrl}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg', 'content-length': String(total) },
    }, (res) => {
      answered = true;
      resolve({ status: res.statusCode ?? 0, written });
      res.resume();
      req.destroy();
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe('abuse limits of the capture API', () => {
  const { start, closeAll } = testServers();
  after(closeAll);

  test('a 50 MB body with a bad session token is answered 401 before it is uploaded', async () => {
    const server = await start();
    const total = 50 * 1024 * 1024;
    for (const path of ['/omni/add/liveness-frames', '/omni/add/front-id']) {
      const { status, written } = await streamUpload(server, path, total);
      assert.equal(status, 401, path);
      assert.ok(written < 8 * 1024 * 1024, `${path}: the answer came after ${written} bytes of ${total}`);
    }
  });

  test('a session takes a bounded number of uploads: 409 too_many_uploads past it', async () => {
    const server = await start({ overrides: { maxUploadsPerKind: 3, maxUploadsPerSession: 5 } });
    const token = await newSession(server);
    const image = await jpeg(1, 32);
    for (let i = 0; i < 3; i++) assert.equal((await post(server, '/omni/add/face', token, image)).status, 200);
    const fourthFace = await post(server, '/omni/add/face', token, image);
    assert.equal(fourthFace.status, 409);
    assert.equal(fourthFace.body.error?.code, 'too_many_uploads');
    for (let i = 0; i < 2; i++) assert.equal((await post(server, '/omni/add/front-id', token, image)).status, 200);
    const sixth = await post(server, '/omni/add/front-id', token, image);
    assert.equal(sixth.body.error?.code, 'too_many_uploads', 'five uploads in all');
    const flood = await Promise.all(Array.from({ length: 10 }, () => post(server, '/omni/add/back-id', token, image)));
    assert.ok(flood.every((r) => r.status === 409), 'concurrent uploads cannot slip under the cap');
    const unread = await streamUpload(server, '/omni/add/face', 50 * 1024 * 1024, token);
    assert.equal(unread.status, 409);
    assert.ok(unread.written < 8 * 1024 * 1024, `an upload past the cap is refused before its body is read (${unread.written} bytes sent)`);
  });

  test('guessing capture tokens meets 429 with Retry-After; so does one session flooding the API', async () => {
    const server = await start({ overrides: { rateLimitCaptureAuthFailures: 5, rateLimitCapturePerSession: 4 } });
    const token = await newSession(server);
    for (let i = 0; i < 5; i++) assert.equal((await post(server, '/omni/process/id', `guess-${i}`)).status, 401);
    const limited = await post(server, '/omni/process/id', 'guess-5');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error?.code, 'rate_limited');
    assert.ok(Number(limited.retryAfter) > 0);
    const other = await start({ overrides: { rateLimitCapturePerSession: 4 } });
    const own = await newSession(other);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(other, '/omni/process/id', own)).status);
    assert.deepEqual(statuses, [409, 409, 409, 409, 429]);
  });

  test('a 429 is held back for the refusal delay (a tarpit), at most VERID_RATE_LIMIT_MAX_DELAYED at once', async () => {
    const server = await start({ overrides: { rateLimitCaptureAuthFailures: 1, rateLimitRefusalDelayMs: 600, rateLimitMaxDelayed: 2 } });
    const timed = async (token: string) => {
      const t0 = performance.now();
      const answer = await post(server, '/omni/process/id', token);
      return { status: answer.status, ms: performance.now() - t0 };
    };
    const first = await timed('guess-0');
    assert.equal(first.status, 401);
    assert.ok(first.ms < 500, `a refusal within the limit is not delayed (${first.ms} ms)`);
    // Four at once past the limit: two are held (the cap), two go out at once.
    const answers = await Promise.all(['guess-1', 'guess-2', 'guess-3', 'guess-4'].map(timed));
    assert.deepEqual(answers.map((a) => a.status), [429, 429, 429, 429]);
    const held = answers.filter((a) => a.ms >= 590).length;
    assert.equal(held, 2, `held: ${answers.map((a) => Math.round(a.ms))} ms`);
  });

  test('a flood on a few connections that ignores Retry-After gets about one answer per connection per delay', async () => {
    const server = await start({ overrides: { rateLimitCaptureAuthFailures: 1, rateLimitRefusalDelayMs: 250 } });
    let answered = 0;
    const until = performance.now() + 1_500;
    await Promise.all(Array.from({ length: 3 }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) {
        await post(server, '/omni/process/id', `flood-${c}-${i}`);
        answered++;
      }
    }));
    // Without the delay this loop gets hundreds of answers in 1.5 s; with it, ≈ 3 connections × 1.5 s / 0.25 s.
    assert.ok(answered <= 3 * 7 + 1, `answers: ${answered}`);
    assert.ok(answered >= 6, `answers: ${answered}`);
  });

  test('when the engine queue is full, processing answers 503 engine_busy with Retry-After, and works again later', async () => {
    const tiny = createEngines({ engineThreads: 1, faceMatchThreshold: null, documentMaxQueue: 1, faceMaxQueue: 2 });
    try {
      const server = await start({ engines: tiny, overrides: { documentMaxQueue: 1, faceMaxQueue: 2 } });
      const tokens = await Promise.all(Array.from({ length: 6 }, () => newSession(server)));
      for (const [i, token] of tokens.entries()) assert.equal((await post(server, '/omni/add/front-id', token, await jpeg(i + 2))).status, 200);
      const results = await Promise.all(tokens.map((token) => post(server, '/omni/process/id', token)));
      const busy = results.filter((r) => r.status === 503);
      assert.ok(busy.length > 0, `statuses: ${results.map((r) => r.status)}`);
      assert.ok(results.some((r) => r.status === 200), 'the queued work is still done');
      for (const r of busy) {
        assert.equal(r.body.error?.code, 'engine_busy');
        assert.match(r.body.error?.message ?? '', /busy, try again in a few seconds/);
        assert.ok(Number(r.retryAfter) > 0);
      }
      const retry = await post(server, '/omni/process/id', tokens[results.findIndex((r) => r.status === 503)]!);
      assert.equal(retry.status, 200, 'the refused session is unchanged and can retry');
    } finally {
      await tiny.close();
    }
  });
});
