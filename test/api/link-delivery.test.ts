import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { face } from '../helpers/fixtures.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { SmtpReceiver } from '../helpers/smtp-receiver.ts';
import { freePort, testServers, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the endpoint answered
type Answer = { status: number; body: Record<string, any> };

async function apiClient(server: TestServer, name: string): Promise<string> {
  const { clientId, clientSecret } = await registerClient(server.app.clients, {
    kind: 'api', name, redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
  }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
  return `${clientId}.${clientSecret}`;
}

async function api(server: TestServer, apiKey: string, path: string, body?: unknown, method?: string): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: method ?? (body !== undefined ? 'POST' : 'GET'),
    headers: { 'x-api-key': apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function events(server: TestServer, interviewId: string) {
  return server.app.core.sessions.listEvents(interviewId);
}

/** Everything stored about delivery that is not encrypted: event rows, outbox rows, job rows. */
async function plainRows(server: TestServer): Promise<string> {
  const db = server.app.database.db;
  return JSON.stringify([
    await db.selectFrom('verification_events').selectAll().execute(),
    await db.selectFrom('webhook_outbox').selectAll().execute(),
    await db.selectFrom('jobs').selectAll().execute(),
  ]);
}

/** The person completes the session with the token the message carried: consent, document, selfie. */
async function verifyWithToken(server: TestServer, token: string): Promise<string> {
  const call = (path: string, body?: unknown) => omniCall(server.baseUrl, token, path, body);
  assert.equal((await call('/omni/consent', { accepted: true, version: 'ats-2026-12' })).status, 200);
  const front = await generatePassport({
    issuingCountry: 'GBR', surname: 'PATEL', givenNames: 'ARJUN', documentNumber: 'K7301842', birthDate: '1988-02-29', expiryDate: '2030-05-31', sex: 'M',
    portrait: await face('genuine/london_001/1.jpg'),
  });
  assert.equal((await call('/omni/add/front-id', front)).status, 200);
  assert.equal((await call('/omni/process/id')).status, 200);
  assert.equal((await call('/omni/add/face', await face('genuine/london_001/2.jpg'))).status, 200);
  return (await call('/omni/process/face')).body.state;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`link delivery by e-mail (${dialect})`, { skip: dialect === 'postgres' && !process.env.DATABASE_URL }, () => {
    const servers = testServers();
    let server: TestServer;
    let smtp: SmtpReceiver;
    let apiKey: string;

    before(async () => {
      smtp = new SmtpReceiver(await freePort());
      await smtp.start();
      server = await servers.start({
        dialect, captureLogs: true,
        overrides: { smtpUrl: smtp.url, mailFrom: '"Acme Onboarding" <verify@acme.example>', organisationName: 'Acme Corp', jobsPollSeconds: 1, linkDeliveryAttempts: 3 },
      });
      apiKey = await apiClient(server, 'Globex Recruiting');
    });
    after(async () => {
      await servers.closeAll();
      await smtp.stop();
    });

    test('the e-mail carries the link; the person verifies with the token read out of it', async () => {
      const started = await api(server, apiKey, '/omni/start', {
        externalId: 'app-mail-1', notification: 'EMAIL', candidate: { name: 'Arjun Patel', email: 'arjun.patel@example.com' },
      });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const mail = await smtp.waitFor('arjun.patel@example.com');
      assert.equal(mail.from?.value[0]?.address, 'verify@acme.example');
      assert.equal(mail.subject, 'Globex Recruiting asks you to verify your identity');
      const text = mail.text ?? '';
      for (const part of ['Hello Arjun Patel,', 'Globex Recruiting asks you to verify your identity with Acme Corp.', started.body.interviewCode]) {
        assert.ok(text.includes(part), `the text names ${part}: ${text}`);
      }
      const expiry = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(started.body.expiresAt));
      assert.ok(text.includes(`The link expires on ${expiry}`), `the text says when the link expires (${expiry}): ${text}`);
      const link = /https?:\/\/\S+\/verify#token=[A-Za-z0-9_-]+/.exec(text)?.[0];
      assert.equal(link, started.body.url, 'the link is the url /omni/start answered');
      assert.ok(String(mail.html).includes(`href="${link}"`), 'the HTML part links it too');

      const delivery = await until('delivery sent', async () => {
        const view = await api(server, apiKey, `/v1/sessions/${started.body.interviewId}`);
        return view.body.delivery?.status === 'sent' ? view.body.delivery : undefined;
      });
      assert.deepEqual(delivery, { channel: 'EMAIL', status: 'sent', attempts: 1 });
      const token = new URL(link!).hash.replace('#token=', '');
      assert.equal(await verifyWithToken(server, token), 'succeeded');
      const types = (await events(server, started.body.interviewId)).map((e) => e.type);
      assert.deepEqual(types.slice(0, 3), ['session.created', 'link.queued', 'link.sent']);
    });

    test('Spanish: the request\'s language picks the template', async () => {
      const started = await api(server, apiKey, '/omni/start', {
        notification: 'EMAIL', language: 'es', candidate: { name: 'Lucía Fernández', email: 'lucia@example.com' },
      });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const mail = await smtp.waitFor('lucia@example.com');
      assert.equal(mail.subject, 'Globex Recruiting le pide que verifique su identidad');
      const text = mail.text ?? '';
      const expiry = new Intl.DateTimeFormat('es', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(started.body.expiresAt));
      for (const part of ['Hola, Lucía Fernández:', 'con Acme Corp.', `Su código de verificación: ${started.body.interviewCode}`, `El enlace caduca el ${expiry}`, started.body.url]) {
        assert.ok(text.includes(part), `${part} in ${text}`);
      }
      assert.match(String(mail.html), /<html lang="es">/);
    });

    test('a 550 at RCPT TO is a final failure: recorded, in the outbox, no retry; a re-send queues it again', async () => {
      smtp.rejectRecipients.add('nobody@example.com');
      const started = await api(server, apiKey, '/omni/start', {
        externalId: 'app-bounce', notification: 'EMAIL', candidate: { email: 'nobody@example.com' },
      });
      const { interviewId } = started.body;
      const delivery = await until('delivery failed', async () => {
        const view = await api(server, apiKey, `/v1/sessions/${interviewId}`);
        return view.body.delivery?.status === 'failed' ? view.body.delivery : undefined;
      });
      assert.deepEqual(delivery, { channel: 'EMAIL', status: 'failed', attempts: 1 }, 'a permanent refusal is not retried');
      const log = await events(server, interviewId);
      assert.deepEqual(log.filter((e) => e.type.startsWith('link.')).map((e) => [e.type, e.data]), [
        ['link.queued', { channel: 'EMAIL', by: 'start' }],
        ['link.failed', { channel: 'EMAIL', attempt: 1, reason: 'smtp_550', final: true }],
        ['link.delivery_failed', { channel: 'EMAIL', attempts: 1, reason: 'smtp_550' }],
      ]);
      const outbox = await server.app.database.db.selectFrom('webhook_outbox').selectAll().where('session_id', '=', interviewId).execute();
      assert.deepEqual(outbox.map((row) => row.event_type), ['link.delivery_failed']);
      assert.deepEqual(JSON.parse(outbox[0]!.payload), {
        interviewId, externalId: 'app-bounce', clientId: apiKey.split('.')[0], origin: 'omni', environment: 'demo', state: 'created', reasons: ['smtp_550'],
      });
      const jobs = await server.app.database.db.selectFrom('jobs').select(['kind', 'status']).where('kind', '=', 'link.deliver').execute();
      assert.ok(jobs.every((job) => job.status !== 'queued'), 'nothing left to retry');

      // The address is fixed on the mail server's side: the ATS re-sends.
      smtp.rejectRecipients.delete('nobody@example.com');
      const resent = await api(server, apiKey, `/omni/start/resend?id=${interviewId}`, {});
      assert.equal(resent.status, 200, JSON.stringify(resent.body));
      assert.equal(resent.body.delivery.status, 'queued');
      const mail = await smtp.waitFor('nobody@example.com');
      assert.ok(mail.text?.includes(started.body.url), 'the same link');
    });

    test('re-send: refused for decided sessions (409), for NONE (409), for another client (404); capped per session (429)', async () => {
      const none = await api(server, apiKey, '/omni/start', { notification: 'NONE' });
      assert.deepEqual([(await api(server, apiKey, `/omni/start/resend?id=${none.body.interviewId}`, {})).status], [409]);
      const other = await apiClient(server, 'Other ATS');
      const started = await api(server, apiKey, '/omni/start', { notification: 'EMAIL', candidate: { email: 'resend@example.com' } });
      const foreign = await api(server, other, `/omni/start/resend?id=${started.body.interviewId}`, {});
      assert.deepEqual([foreign.status, foreign.body.error.code], [404, 'not_found']);
      await smtp.waitFor('resend@example.com');
      let last: Answer | undefined;
      for (let i = 0; i < 6; i++) {
        // Each re-send waits for the previous one to go out (a waiting one absorbs the request).
        await until('delivery settled', async () => ((await api(server, apiKey, `/v1/sessions/${started.body.interviewId}`)).body.delivery.status === 'queued' ? undefined : true));
        last = await api(server, apiKey, `/omni/start/resend?id=${started.body.interviewId}`, {});
        if (last.status !== 200) break;
      }
      assert.deepEqual([last?.status, last?.body.error?.code], [429, 'rate_limited'], 'at most 5 re-sends');
      assert.equal(smtp.mails.filter((m) => m.text?.includes(started.body.url)).length, 6, 'the first mail and five re-sends');

      const decided = await api(server, apiKey, '/omni/start', { notification: 'EMAIL', candidate: { email: 'decided@example.com' } });
      const mail = await smtp.waitFor('decided@example.com');
      const token = new URL(/https?:\/\/\S+\/verify#token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0]).hash.replace('#token=', '');
      assert.equal((await omniCall(server.baseUrl, token, '/omni/consent', { accepted: false, version: 'v1' })).body.state, 'failed');
      const refused = await api(server, apiKey, `/omni/start/resend?id=${decided.body.interviewId}`, {});
      assert.deepEqual([refused.status, refused.body.error.code], [409, 'invalid_state']);
    });

    test('SMTP down, then up: the delivery is retried with backoff and the mail arrives', async () => {
      await smtp.stop();
      const started = await api(server, apiKey, '/omni/start', { notification: 'EMAIL', candidate: { email: 'patient@example.com' } });
      await until('first try failed', async () => (await events(server, started.body.interviewId)).find((e) => e.type === 'link.failed'));
      const failed = (await events(server, started.body.interviewId)).find((e) => e.type === 'link.failed');
      assert.deepEqual(failed?.data, { channel: 'EMAIL', attempt: 1, reason: 'smtp_unreachable', final: false });
      assert.equal((await api(server, apiKey, `/v1/sessions/${started.body.interviewId}`)).body.delivery.status, 'queued', 'still queued while it is retried');
      await smtp.start();
      await smtp.waitFor('patient@example.com');
      const delivery = await until('delivery sent', async () => {
        const view = await api(server, apiKey, `/v1/sessions/${started.body.interviewId}`);
        return view.body.delivery?.status === 'sent' ? view.body.delivery : undefined;
      });
      assert.deepEqual(delivery, { channel: 'EMAIL', status: 'sent', attempts: 2 });
    });

    test('SMTP down for every try: the last try is a final failure, reported to the outbox', async () => {
      await smtp.stop();
      try {
        const started = await api(server, apiKey, '/omni/start', { notification: 'EMAIL', candidate: { email: 'never@example.com' } });
        // linkDeliveryAttempts 3: tries at 0, +5 s, +10 s.
        const final = await until('final failure', async () => (await events(server, started.body.interviewId)).find((e) => e.type === 'link.delivery_failed'), 40_000);
        assert.deepEqual(final.data, { channel: 'EMAIL', attempts: 3, reason: 'smtp_unreachable' });
        const failures = (await events(server, started.body.interviewId)).filter((e) => e.type === 'link.failed').map((e) => e.data);
        assert.deepEqual(failures.map((d) => [d.attempt, d.final]), [[1, false], [2, false], [3, true]]);
        const outbox = await server.app.database.db.selectFrom('webhook_outbox').select('event_type').where('session_id', '=', started.body.interviewId).execute();
        assert.deepEqual(outbox.map((row) => row.event_type), ['link.delivery_failed']);
      } finally {
        await smtp.start();
      }
    });

    test('no e-mail address in the event log, the outbox, the jobs table or the logs', async () => {
      const rows = await plainRows(server);
      const logs = server.logs();
      assert.ok(logs.includes('link sent'), 'the logs were captured');
      for (const address of ['arjun.patel@example.com', 'lucia@example.com', 'nobody@example.com', 'patient@example.com', 'never@example.com', 'resend@example.com']) {
        assert.ok(!rows.includes(address), `${address} in stored rows`);
        assert.ok(!logs.includes(address), `${address} in the logs`);
      }
      assert.ok(!rows.includes('Arjun') && !logs.includes('Arjun'), 'no name either');
    });
  });

  describe(`link delivery by SMS through an HTTP gateway (${dialect})`, { skip: dialect === 'postgres' && !process.env.DATABASE_URL }, () => {
    const servers = testServers();
    let server: TestServer;
    let apiKey: string;
    const received: Array<{ authorization: string | undefined; contentType: string | undefined; body: { to: string; body: string } }> = [];
    let answer = 202;
    const gateway = createServer((request: IncomingMessage, response) => {
      let data = '';
      request.on('data', (chunk) => { data += chunk; });
      request.on('end', () => {
        received.push({ authorization: request.headers.authorization, contentType: request.headers['content-type'], body: JSON.parse(data) });
        response.writeHead(answer, { 'content-type': 'application/json' }).end('{"id":"msg-1"}');
      });
    });

    before(async () => {
      await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
      const port = (gateway.address() as { port: number }).port;
      server = await servers.start({
        dialect, captureLogs: true,
        overrides: {
          smsProvider: 'http', smsUrl: `http://127.0.0.1:${port}/sms`, smsAuth: 'Bearer gateway-secret', organisationName: 'Acme Corp', jobsPollSeconds: 1,
          linkDeliveryAttempts: 2,
        },
      });
      apiKey = await apiClient(server, 'Globex Recruiting');
    });
    after(async () => {
      await servers.closeAll();
      await new Promise((resolve) => gateway.close(resolve));
    });

    test('the gateway gets {to, body} with the link; EMAIL is refused without SMTP', async () => {
      const refused = await api(server, apiKey, '/omni/start', { notification: 'EMAIL', candidate: { email: 'a@example.com' } });
      assert.deepEqual([refused.status, refused.body.error.details.field], [400, 'body/notification']);
      const started = await api(server, apiKey, '/omni/start', { notification: 'SMS', language: 'es', candidate: { phone: '+447700900123' } });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const message = await until('the SMS', async () => received.find((r) => r.body.to === '+447700900123'));
      assert.equal(message.authorization, 'Bearer gateway-secret');
      assert.equal(message.contentType, 'application/json');
      assert.ok(message.body.body.startsWith('Acme Corp: Globex Recruiting le pide que verifique su identidad: '), message.body.body);
      assert.ok(message.body.body.includes(started.body.url) && message.body.body.includes(started.body.interviewCode), message.body.body);
      const delivery = await until('sent', async () => {
        const view = await api(server, apiKey, `/v1/sessions/${started.body.interviewId}`);
        return view.body.delivery?.status === 'sent' ? view.body.delivery : undefined;
      });
      assert.deepEqual(delivery, { channel: 'SMS', status: 'sent', attempts: 1 });
    });

    test('a 400 from the gateway is final; a 503 is retried', async () => {
      answer = 400;
      const refused = await api(server, apiKey, '/omni/start', { notification: 'SMS', candidate: { phone: '+447700900124' } });
      const failed = await until('final failure', async () => (await events(server, refused.body.interviewId)).find((e) => e.type === 'link.delivery_failed'));
      assert.deepEqual(failed.data, { channel: 'SMS', attempts: 1, reason: 'sms_http_400' });
      answer = 503;
      const busy = await api(server, apiKey, '/omni/start', { notification: 'SMS', candidate: { phone: '+447700900125' } });
      const first = await until('first try', async () => (await events(server, busy.body.interviewId)).find((e) => e.type === 'link.failed'));
      assert.deepEqual(first.data, { channel: 'SMS', attempt: 1, reason: 'sms_http_503', final: false });
      answer = 202;
      await until('sent on the second try', async () => (await events(server, busy.body.interviewId)).find((e) => e.type === 'link.sent' && e.data.attempt === 2));
    });

    test('no phone number in the event log, the outbox, the jobs table or the logs', async () => {
      const rows = await plainRows(server);
      const logs = server.logs();
      assert.ok(logs.includes('link sent'));
      for (const digits of ['7700900123', '7700900124', '7700900125']) {
        assert.ok(!rows.includes(digits), `${digits} in stored rows`);
        assert.ok(!logs.includes(digits), `${digits} in the logs`);
      }
    });
  });
}
