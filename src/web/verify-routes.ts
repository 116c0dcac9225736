import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiters } from '../abuse/rate-limiters.ts';
import { logSecurityEvent } from '../abuse/security-log.ts';
import type { ClientRepository } from '../storage/index.ts';
import { isCapturing, isOpen, type VerificationService, type VerificationSession } from '../verification/index.ts';
import { capturePage, messagePage, type PageForm } from './capture/capture-page.ts';
import type { ConsentTextInput } from './capture/consent-text.ts';
import { html, page } from './html.ts';
import { qrDataUrl } from './qr.ts';

export interface VerifyRoutesOptions {
  verification: VerificationService;
  clients: ClientRepository;
  limits: RateLimiters;
  requireLiveness: boolean;
  /** The issuer: forms are accepted only from pages of this origin. */
  publicUrl: string;
  consent: Omit<ConsentTextInput, 'clientName'>;
}

const HIDDEN = { hide: true };
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;
const CODE = /^[A-Z0-9]{8}$/;

/**
 * The hosted page of an Omni Start session: the person opens the link (`/verify#token=…`) or types
 * the interview code (`/start`), agrees, photographs their document and takes a selfie, then goes
 * to the API client's `redirectionUrl` or sees that they are done.
 */
export async function verifyRoutes(app: FastifyInstance, options: VerifyRoutesOptions): Promise<void> {
  const { verification, limits } = options;
  const origin = new URL(options.publicUrl).origin;
  await app.register(formbody);

  /**
   * A form posted from another site could open someone else's session in this browser. Browsers say
   * where a request comes from in Sec-Fetch-Site; without it, Origin must be ours (the pages send no
   * Referer: Referrer-Policy no-referrer, which also makes a browser's Origin `null`).
   */
  function sameOrigin(request: FastifyRequest): boolean {
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string') return site === 'same-origin';
    return request.headers.origin === origin;
  }

  async function refused(request: FastifyRequest, reply: FastifyReply, outcome: string, title: string, message: string, back?: string) {
    await limits.captureAuthFailures.hit(request.ip);
    logSecurityEvent(request.log, { event: 'auth_failed', route: request.routeOptions.url ?? '', ip: request.ip, outcome });
    return reply.code(outcome === 'cross_site_form' ? 403 : 404).type('text/html').send(messagePage(title, message, back));
  }

  async function limited(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const perIp = await limits.capturePerIp.hit(request.ip);
    const failures = await limits.captureAuthFailures.peek(request.ip);
    const verdict = perIp.limited ? perIp : failures.limited ? failures : null;
    if (!verdict) return false;
    logSecurityEvent(request.log, { event: 'rate_limited', route: request.routeOptions.url ?? '', ip: request.ip, outcome: perIp.limited ? limits.capturePerIp.name : limits.captureAuthFailures.name });
    reply.code(429).header('retry-after', String(verdict.retryAfterSeconds)).type('text/html')
      .send(messagePage('Too many attempts', `Please wait ${verdict.retryAfterSeconds} seconds and try again.`));
    return true;
  }

  /**
   * The capture page for a session opened by its link, its code or a QR code from another screen
   * (`onPhone`: no offer to continue on a phone). A sign-in's session shows the sign-in's text.
   */
  async function render(reply: FastifyReply, session: VerificationSession, token: string, onPhone: boolean) {
    reply.header('cache-control', 'no-store');
    const finish: PageForm = { action: '/verify/finish', fields: { token } };
    const purpose = session.origin === 'oidc' ? 'sign-in' as const : 'onboarding' as const;
    const link = `${options.publicUrl}/verify#token=${token}&via=handoff`;
    const handoff = onPhone ? null : {
      url: link, qrDataUrl: await qrDataUrl(link), code: session.interviewCode, progressUrl: '/omni/get/score', progressAuth: 'token' as const,
    };
    const forms = { purpose, complete: finish, abort: null, documentInsteadHref: null, handoff };
    if (!isOpen(session.state)) {
      return reply.type('text/html').send(capturePage({ ...forms, token: '', finished: true, mode: session.mode, livenessRequired: options.requireLiveness, consent: null }));
    }
    const client = session.clientId ? await options.clients.find(session.clientId) : undefined;
    // A flow that keeps images for less time says so (VERID_FLOWS mediaDays).
    const flow = session.configurationId ? verification.flows.get(session.configurationId) : undefined;
    const consent = session.consentAt === null ? {
      ...options.consent, mediaDays: flow?.mediaDays ?? options.consent.mediaDays, clientName: client?.name ?? 'the organisation that sent you this link',
    } : null;
    return reply.type('text/html').send(capturePage({ ...forms, token, finished: false, mode: session.mode, livenessRequired: options.requireLiveness, consent }));
  }

  const closedMessage = (session: VerificationSession) => session.state === 'expired'
    ? messagePage('This link has expired', 'Ask the organisation that sent it for a new one.')
    : messagePage('Verification finished', 'This verification is already finished. You can close this page.');

  app.get('/verify', { schema: HIDDEN }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.type('text/html').send(page('Verify your identity', html`<div class="card"><h1>Verify your identity</h1>
      <form id="open" method="post" action="/verify"><input type="hidden" name="token" value=""><input type="hidden" name="via" value=""></form>
      <p id="no-token" hidden>This address has no verification link in it. Open the link from your message again, or <a href="/start">type the code</a> from it.</p>
      <noscript><p>This page needs JavaScript. You can also <a href="/start">type the code</a> from your message.</p></noscript></div>`,
    { script: '/static/verify.js' }));
  });

  app.post<{ Body: { token?: string; via?: string } | undefined }>('/verify', { schema: HIDDEN }, async (request, reply) => {
    if (await limited(request, reply)) return reply;
    if (!sameOrigin(request)) return refused(request, reply, 'cross_site_form', 'Open your link again', 'This form came from another site. Open the link from your message.');
    const token = request.body?.token;
    const session = typeof token === 'string' && TOKEN.test(token) ? await verification.findByToken(token) : undefined;
    if (!token || !session) {
      return refused(request, reply, 'unknown_token', 'Link not valid', 'This verification link is not valid. Open the link from your message again, or type its code.', '/start');
    }
    if (session.state === 'expired') return reply.type('text/html').send(closedMessage(session));
    return render(reply, session, token, request.body?.via === 'handoff');
  });

  app.get('/start', { schema: HIDDEN }, async (_request, reply) => reply.type('text/html').send(page('Enter your code', html`<div class="card">
    <h1>Enter your code</h1><p>Type the 8-character code from the message you received.</p>
    <form method="post" action="/start"><label for="code">Code</label>
      <input id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" minlength="8" maxlength="12" required>
      <button type="submit">Continue</button></form></div>`)));

  app.post<{ Body: { code?: string } | undefined }>('/start', { schema: HIDDEN }, async (request, reply) => {
    if (await limited(request, reply)) return reply;
    if (!sameOrigin(request)) return refused(request, reply, 'cross_site_form', 'Open the code page again', 'This form came from another site.', '/start');
    const code = String(request.body?.code ?? '').toUpperCase().replace(/[\s-]/g, '');
    const session = CODE.test(code) ? await verification.findByInterviewCode(code) : undefined;
    if (!session) {
      return refused(request, reply, 'unknown_code', 'Code not found', 'We found no verification with this code. Check the code in your message and try again.', '/start');
    }
    if (!isCapturing(session.state)) return reply.type('text/html').send(closedMessage(session));
    // The code opens the session on this device: a new capture token, the link's stops working.
    return render(reply, session, await verification.reissueToken(session), true);
  });

  app.post<{ Body: { token?: string } | undefined }>('/verify/finish', { schema: HIDDEN }, async (request, reply) => {
    if (await limited(request, reply)) return reply;
    if (!sameOrigin(request)) return refused(request, reply, 'cross_site_form', 'Open your link again', 'This form came from another site.');
    const token = request.body?.token;
    const session = typeof token === 'string' && TOKEN.test(token) ? await verification.findByToken(token) : undefined;
    if (!session) return refused(request, reply, 'unknown_token', 'Link not valid', 'Open the link from your message again.');
    if (session.state === 'expired') return reply.type('text/html').send(closedMessage(session));
    if (isOpen(session.state)) return reply.type('text/html').send(messagePage('Not finished yet', 'Your verification is not finished. Open your link again to continue.'));
    // A sign-in continued on a phone ends on the computer, which watches the session.
    if (session.origin === 'oidc') return reply.type('text/html').send(messagePage('Done on this phone', 'Go back to your computer: the sign-in continues there.'));
    if (session.redirectionUrl) return reply.redirect(session.redirectionUrl, 303);
    return reply.type('text/html').send(messagePage('Thank you', 'Your verification is complete. You can close this page.'));
  });
}
