// A help-desk agent's tool, end to end: make sure the caller is in the directory, ask verid to
// verify them, print the code to read out on the phone, and wait for the outcome — by signed
// webhook when VERID_WEBHOOK_SECRET is set (run `verid webhooks add --client … --url http://<this host>:8787/`),
// else by polling. Then check the receipt against verid's JWKS.
//
//   VERID_URL=https://verid.example.com VERID_API_KEY=<client_id>.<secret> \
//     node examples/helpdesk.ts E1001 "Amelia Hughes" amelia.hughes@example.com INC-4711
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';

const base = process.env.VERID_URL ?? 'http://127.0.0.1:3000';
const apiKey = process.env.VERID_API_KEY ?? '';
const [employeeId, displayName, email, ticket = 'INC-1'] = process.argv.slice(2);
if (!apiKey || !employeeId || !displayName) {
  process.stderr.write('usage: VERID_URL=… VERID_API_KEY=<client_id>.<secret> node examples/helpdesk.ts EMPLOYEE_ID "DISPLAY NAME" [EMAIL] [TICKET]\n');
  process.exit(2);
}

async function call(path: string, body?: unknown): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!response.ok) throw new Error(`${path}: ${response.status} ${json.error?.code}: ${json.error?.message}`);
  return json;
}

/** Resolves when a signed webhook says the session is decided (or after `ms`). */
function webhookFor(interviewId: string, secret: string, ms: number): Promise<void> {
  const verifier = new Webhook(secret);
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => { raw += chunk; });
      req.on('end', () => {
        try {
          const event = verifier.verify(raw, req.headers as Record<string, string>) as { data: { interviewId: string; state: string } };
          res.writeHead(204).end();
          if (event.data.interviewId === interviewId && !['created', 'started', 'id_captured', 'face_captured', 'processing'].includes(event.data.state)) {
            server.close();
            resolve();
          }
        } catch {
          res.writeHead(400).end();
        }
      });
    }).listen(8787);
    setTimeout(() => { server.close(); resolve(); }, ms).unref();
  });
}

await call('/v1/employees', { employeeId, displayName, ...(email ? { email } : {}) });
const request = await call('/v1/verifications', { employee: { employeeId }, reason: 'helpdesk', reference: ticket });
process.stdout.write(`Ask the caller to open ${base}/start and type: ${request.interviewCode}  (${request.mode === 'enroll' ? 'document + selfie' : 'selfie'})\n`);

let result = request;
if (process.env.VERID_WEBHOOK_SECRET) {
  await webhookFor(request.interviewId, process.env.VERID_WEBHOOK_SECRET, 15 * 60_000);
  result = await call(`/v1/verifications/${request.interviewId}`);
} else {
  while (result.outcome === 'pending') {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    result = await call(`/v1/verifications/${request.interviewId}`);
  }
}
if (result.outcome === 'verified') {
  const { payload } = await jwtVerify(result.receipt, createRemoteJWKSet(new URL(`${base}/oauth2/jwks`)), { issuer: base });
  process.stdout.write(`Verified as ${result.employee.displayName} (${(result.amr as string[]).join('+')}); receipt ${String(payload.jti)} checked against verid's keys\n`);
} else {
  process.stdout.write(`Not verified: ${result.outcome} ${(result.reasons as string[]).join(', ')}\n`);
  process.exitCode = 1;
}
