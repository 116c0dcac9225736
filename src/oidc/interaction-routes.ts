import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { ClientRepository } from '../storage/index.ts';
import { isCapturing, isOpen, type VerificationService, type VerificationSession } from '../verification/index.ts';
import { capturePage, messagePage } from '../web/capture/capture-page.ts';
import { qrDataUrl } from '../web/qr.ts';
import { CONSENT_VERSION } from '../web/capture/consent-text.ts';
import { ACR_DOCUMENT_AND_FACE } from './create-provider.ts';
import { loginMethods, type EntraEamDependencies } from './entra-eam.ts';
import { entraProfile, type EntraProfile, type EntraSubject } from './entra-hint.ts';
import type { InteractionCsrf } from './interaction-csrf.ts';
import type { ProviderHost } from './provider-host.ts';
import { maySignInAgain } from './single-sign-on.ts';

export interface InteractionRoutesOptions {
  oidc: ProviderHost;
  verification: VerificationService;
  clients: ClientRepository;
  /** VERID_REQUIRE_LIVENESS: the page tells people up front that a camera is needed. */
  requireLiveness: boolean;
  csrf: InteractionCsrf;
  /** The consent text's settings (README: VERID_PRIVACY_URL, VERID_RETENTION_*). */
  consent: { privacyUrl: string; mediaDays: number; identityDays: number };
  /** VERID_ID_TOKEN_HINT_MAX_AGE_SECONDS: an older id_token_hint does not bind a selfie-only re-verification. */
  idTokenHintMaxAgeSeconds: number;
  /** Microsoft Entra external authentication method clients: their hints and bound users. */
  entra?: EntraEamDependencies;
}

type UidParams = { Params: { uid: string } };

type LoginMethods = { acr: string; amr: string[] };
const STANDARD_METHODS: LoginMethods = { acr: ACR_DOCUMENT_AND_FACE, amr: ['face'] };

/**
 * What the request insists on (an essential `acr` or `amr`, OIDC Core §5.5.1) that a verification
 * here can never give: verifying would not change that, so it is refused at once. Undefined: none.
 */
function unmetRequirement(prompt: { name: string; reasons: string[]; details: Record<string, unknown> }, params: Record<string, unknown>, methods: LoginMethods): string | undefined {
  if (prompt.name === 'login' && prompt.reasons.some((r) => r === 'essential_acr' || r === 'essential_acrs')) {
    const requested = (prompt.details.acr ?? {}) as { value?: unknown; values?: unknown };
    const offered = [requested.value, ...(Array.isArray(requested.values) ? requested.values : [])];
    if (!offered.includes(methods.acr)) return `only the acr ${methods.acr} can be satisfied`;
  }
  let amr: { essential?: unknown; values?: unknown } | undefined;
  try {
    amr = typeof params.claims === 'string' ? (JSON.parse(params.claims) as { id_token?: { amr?: typeof amr } }).id_token?.amr ?? undefined : undefined;
  } catch {
    amr = undefined;
  }
  if (amr?.essential === true && Array.isArray(amr.values) && !methods.amr.some((method) => (amr.values as unknown[]).includes(method))) {
    return `only the amr ${methods.amr.join(' ')} can be satisfied`;
  }
  return undefined;
}
/** Browser pages of the login, not part of the API document. */
const BROWSER_PAGE = { hide: true };

/**
 * The login interaction: oidc-provider hands the browser here; verid runs a verification session
 * (ID + selfie on the hosted capture page) and finishes the interaction with its outcome.
 */
export async function interactionRoutes(app: FastifyInstance, options: InteractionRoutesOptions): Promise<void> {
  const { oidc, verification, clients, requireLiveness, csrf, consent, idTokenHintMaxAgeSeconds, entra } = options;

  /** The login page's forms: complete and abort post the interaction's CSRF token. */
  function loginForms(uid: string) {
    const fields = { csrf: csrf.token(uid) };
    const base = `/interaction/${encodeURIComponent(uid)}`;
    return {
      purpose: 'sign-in' as const, complete: { action: `${base}/complete`, fields }, abort: { action: `${base}/abort`, fields },
      documentInsteadHref: `${base}?method=document`,
    };
  }
  // The page's forms post application/x-www-form-urlencoded: the CSRF token only.
  await app.register(formbody);

  async function details(request: FastifyRequest, reply: FastifyReply) {
    try {
      return await oidc.provider.interactionDetails(request.raw, reply.raw);
    } catch {
      return undefined;
    }
  }

  /**
   * The identity named by `id_token_hint` (OIDC Core §3.1.2.1): an ID token verid itself signed for
   * this client (signature, issuer and audience checked as at the authorization endpoint), whose
   * subject still has an enrolled face. Anything else: none, and the person verifies with a document.
   */
  async function hintedIdentity(params: Record<string, unknown>): Promise<string | undefined> {
    if (typeof params.id_token_hint !== 'string') return undefined;
    const client = await oidc.provider.Client.find(String(params.client_id));
    if (!client) return undefined;
    try {
      const { payload } = await oidc.provider.IdToken.validate(params.id_token_hint, client);
      // ID tokens pass through browsers and logs: an old one (oidc-provider ignores `exp` for hints) binds nothing.
      const fresh = typeof payload.iat === 'number' && Date.now() / 1000 - payload.iat <= idTokenHintMaxAgeSeconds;
      return fresh && typeof payload.sub === 'string' ? await verification.reverifiableIdentity(payload.sub) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The Entra user an external authentication method's request names: its id_token_hint, checked
   * (signature, tenant, audience, issue time) when the request arrived and again here, except for
   * its age — the interaction keeps the request's parameters server-side.
   */
  async function entraUser(params: Record<string, unknown>, clientId: string, profile: EntraProfile): Promise<EntraSubject | undefined> {
    if (!entra || typeof params.id_token_hint !== 'string') return undefined;
    const result = await entra.hints.verify(params.id_token_hint, clientId, profile, { fresh: false });
    return result.ok ? result.subject : undefined;
  }

  async function finishWithError(request: FastifyRequest, reply: FastifyReply, error: string, description: string) {
    await oidc.provider.interactionFinished(request.raw, reply.raw, { error, error_description: description }, { mergeWithLastSubmission: false });
    return reply.hijack();
  }

  function forgedForm(reply: FastifyReply, uid: string) {
    return reply.code(403).type('text/html').send(messagePage('Form not accepted',
      'This form did not come from your sign-in page. Go back to the page and use its buttons.', `/interaction/${encodeURIComponent(uid)}`));
  }

  function expiredInteraction(reply: FastifyReply) {
    return reply.code(400).type('text/html').send(messagePage('Sign-in expired',
      'This sign-in link is no longer valid. Go back to the application and start again.'));
  }

  /** `amr` (RFC 8176): `face`, plus `user` (a user-presence test) when a liveness challenge passed; an Entra EAM client gets what it asked for. */
  async function grantAndFinish(request: FastifyRequest, reply: FastifyReply, accountId: string, params: Record<string, unknown>, methods: LoginMethods = STANDARD_METHODS) {
    const grant = new oidc.provider.Grant({ accountId, clientId: String(params.client_id) });
    if (typeof params.scope === 'string') grant.addOIDCScope(params.scope);
    if (typeof params.claims === 'string') {
      const requested = JSON.parse(params.claims) as Record<string, Record<string, unknown> | undefined>;
      grant.addOIDCClaims([...Object.keys(requested.id_token ?? {}), ...Object.keys(requested.userinfo ?? {})]);
    }
    const grantId = await grant.save();
    const login = { accountId, acr: methods.acr, amr: methods.amr, remember: false };
    // select_account (a broker's prompt) is answered by the verification that just happened.
    await oidc.provider.interactionFinished(request.raw, reply.raw, { login, consent: { grantId }, select_account: {} }, { mergeWithLastSubmission: false });
    return reply.hijack();
  }

  app.get<UidParams & { Querystring: { method?: string } }>('/interaction/:uid', { schema: BROWSER_PAGE }, async (request, reply) => {
    const interaction = await details(request, reply);
    if (!interaction || interaction.uid !== request.params.uid) return expiredInteraction(reply);
    const { params, prompt, session } = interaction;
    reply.header('cache-control', 'no-store');
    const client = await clients.find(String(params.client_id));
    // The client insists on an authentication context or method verid never produces: verifying would
    // not change that, so say so at once instead of asking the person again and again.
    const unmet = unmetRequirement(prompt, params, loginMethods(client?.metadata, STANDARD_METHODS));
    if (unmet) return finishWithError(request, reply, 'unmet_authentication_requirements', unmet);
    const eam = client ? entraProfile(client.metadata) : undefined;
    const eamUser = eam ? await entraUser(params, client!.clientId, eam) : undefined;
    if (eam && !eamUser) return finishWithError(request, reply, 'invalid_request', 'id_token_hint could not be checked against Microsoft Entra');
    // Single sign-on within one environment only: a demo sign-in (test documents) never signs in to production.
    if (prompt.name === 'consent' && session?.accountId && await maySignInAgain(oidc.provider, clients, session.cookie, client?.environment ?? 'production')) {
      return grantAndFinish(request, reply, session.accountId, params);
    }
    // Selfie-only re-verification only for an identity a trusted party names (an ID token verid
    // issued to this client, or the Entra user a bound Entra hint names); a browser's login_hint
    // never chooses whose face is compared.
    const wantsDocument = request.query.method === 'document';
    const boundIdentity = async (user: EntraSubject) => {
      const bound = await entra!.subjects.findIdentity(client!.clientId, user.key);
      return bound ? verification.reverifiableIdentity(bound) : undefined;
    };
    const identityId = wantsDocument ? undefined : eamUser ? await boundIdentity(eamUser) : await hintedIdentity(params);
    const mode = identityId ? 'reverify' as const : 'enroll' as const;
    let current: VerificationSession | undefined = await verification.findByInteraction(interaction.uid);
    if (current && !isOpen(current.state)) {
      return reply.type('text/html').send(capturePage({
        ...loginForms(interaction.uid), token: '', finished: true, mode: current.mode, livenessRequired: requireLiveness, consent: null,
      }));
    }
    let token: string;
    if (current && current.mode === mode && isCapturing(current.state)) {
      token = await verification.reissueToken(current);
    } else {
      // One open session per interaction: switching mode ends the earlier one.
      if (current) await verification.replace(current);
      const started = await verification.start({
        origin: 'oidc', mode, identityId: identityId ?? null, environment: client?.environment ?? 'production', clientId: String(params.client_id),
        interactionUid: interaction.uid, externalId: null, loginHint: null,
        // An Entra user's first verification: the document must be theirs (the name Entra knows them by).
        expectedName: mode === 'enroll' && eamUser ? eamUser.name : null,
      });
      current = started.session;
      token = started.token;
    }
    const askConsent = current.consentAt === null ? { ...consent, clientName: client?.name ?? String(params.client_id) } : null;
    // The person may go on on a phone (no camera here, or by choice): the QR code opens this session
    // there; this page watches it through the interaction (its cookie), whatever token the phone holds.
    const link = `${oidc.provider.issuer}/verify#token=${token}&via=handoff`;
    const handoff = {
      url: link, qrDataUrl: await qrDataUrl(link), code: current.interviewCode,
      progressUrl: `/interaction/${encodeURIComponent(interaction.uid)}/progress`, progressAuth: 'cookie' as const,
    };
    return reply.type('text/html').send(capturePage({
      ...loginForms(interaction.uid), token, finished: false, mode, livenessRequired: requireLiveness, consent: askConsent, handoff,
    }));
  });

  app.get<UidParams>('/interaction/:uid/progress', { schema: BROWSER_PAGE }, async (request, reply) => {
    const interaction = await details(request, reply);
    if (!interaction || interaction.uid !== request.params.uid) return reply.code(404).send({ error: { code: 'not_found', message: 'This sign-in is no longer open' } });
    reply.header('cache-control', 'no-store');
    const current = await verification.findByInteraction(interaction.uid);
    return { state: current?.state ?? null };
  });

  app.post<UidParams & { Body: { csrf?: string } | undefined }>('/interaction/:uid/complete', { schema: BROWSER_PAGE }, async (request, reply) => {
    const interaction = await details(request, reply);
    if (!interaction || interaction.uid !== request.params.uid) return expiredInteraction(reply);
    if (!csrf.verify(interaction.uid, request.body?.csrf)) return forgedForm(reply, interaction.uid);
    const current = await verification.findByInteraction(interaction.uid);
    if (current?.state === 'succeeded' && current.identityId) {
      const client = await clients.find(String(interaction.params.client_id));
      const eam = client ? entraProfile(client.metadata) : undefined;
      if (eam) {
        // The Entra user is now bound to the identity just verified, and signs in under Entra's sub.
        const user = await entraUser(interaction.params, client!.clientId, eam);
        if (!user) return finishWithError(request, reply, 'invalid_request', 'id_token_hint could not be checked against Microsoft Entra');
        // A bound user stays bound to the identity they were bound with: "use my ID document instead"
        // with another document (one in the victim's name, the attacker's face) must not re-bind them.
        const bound = await entra!.subjects.findIdentity(client!.clientId, user.key);
        if (bound && bound !== current.identityId) {
          return finishWithError(request, reply, 'access_denied', 'this Microsoft Entra user is bound to another verified identity; an administrator must erase that identity (verid identities delete) before another can be bound');
        }
        if (!bound) await entra!.subjects.bind(client!.clientId, user.key, current.identityId);
        return grantAndFinish(request, reply, user.sub, interaction.params, loginMethods(client!.metadata, STANDARD_METHODS));
      }
      const live = current.scores?.liveness.activeChallenge === 'OK';
      return grantAndFinish(request, reply, current.identityId, interaction.params, { acr: ACR_DOCUMENT_AND_FACE, amr: live ? ['face', 'user'] : ['face'] });
    }
    if (current?.state === 'failed' || current?.state === 'expired' || current?.state === 'pending_review') {
      const description = {
        expired: 'the identity verification session expired',
        // Not why: the browser carries this, and a review reason may speak of someone else (duplicate_identity).
        pending_review: 'identity verification needs a manual review',
        failed: `identity verification failed: ${current.reasons.join(' ') || 'unknown'}`,
      }[current.state];
      return finishWithError(request, reply, 'access_denied', description);
    }
    return reply.code(409).type('text/html').send(messagePage('Verification not finished',
      'Upload the photo of your ID and your selfie first.', `/interaction/${encodeURIComponent(interaction.uid)}`));
  });

  app.post<UidParams & { Body: { csrf?: string } | undefined }>('/interaction/:uid/abort', { schema: BROWSER_PAGE }, async (request, reply) => {
    const interaction = await details(request, reply);
    if (!interaction || interaction.uid !== request.params.uid) return expiredInteraction(reply);
    if (!csrf.verify(interaction.uid, request.body?.csrf)) return forgedForm(reply, interaction.uid);
    // Cancelling before agreeing is declining: the session ends as consent_declined, nothing was collected.
    const current = await verification.findByInteraction(interaction.uid);
    const declined = current !== undefined && current.consentAt === null && isCapturing(current.state);
    if (declined) await verification.answerConsent(current, false, CONSENT_VERSION);
    return finishWithError(request, reply, 'access_denied', declined ? 'the user declined the processing of their data' : 'the user cancelled the identity verification');
  });

}
