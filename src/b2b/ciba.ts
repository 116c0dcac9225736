import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { ApiCaller } from '../api/api-auth.ts';
import { API_SCOPES, type ApiScope } from '../oidc/client-registration.ts';
import { ACR_DOCUMENT_AND_FACE } from '../oidc/create-provider.ts';
import type { ClientRecord, ClientRepository, EmployeeKey } from '../storage/index.ts';
import { isOpen, isVerified, type VerificationService, type VerificationSession } from '../verification/index.ts';
import type { B2bService } from './b2b-service.ts';

/** What verid plugs into oidc-provider's CIBA feature (OpenID CIBA Core 1.0, poll mode). */
export interface CibaHooks {
  processLoginHint(ctx: KoaContextWithOIDC, loginHint: string): Promise<string>;
  triggerAuthenticationDevice(ctx: KoaContextWithOIDC, request: { jti: string; expiration: number; bindingMessage?: string }, account: { accountId: string }, client: { clientId: string }): Promise<void>;
}

function callerOf(client: ClientRecord): ApiCaller {
  const registered = String(client.metadata.scope ?? '').split(' ');
  return { clientId: client.clientId, environment: client.environment, scopes: new Set(API_SCOPES.filter((s): s is ApiScope => registered.includes(s))) };
}

const employeeKey = (hint: string): EmployeeKey => (hint.includes('@') ? { email: hint } : { employeeId: hint });

/**
 * CIBA for B2B clients: `login_hint` is an employee of the requesting client (e-mail or
 * employeeId) who has been verified with a document before; verid sends them the link of a
 * selfie re-verification (e-mail, else SMS) and the client polls the token endpoint. The ID token's
 * `sub` is the employee's bound identity, like a sign-in's.
 */
export function cibaHooks(deps: { b2b: B2bService; clients: ClientRepository; channels: ReadonlySet<'EMAIL' | 'SMS'> }): CibaHooks {
  async function caller(clientId: string): Promise<ApiCaller> {
    const client = await deps.clients.find(clientId);
    if (!client) throw new errors.InvalidClient('client not found');
    return callerOf(client);
  }

  return {
    async processLoginHint(ctx, loginHint) {
      const who = await caller(ctx.oidc.client!.clientId);
      const employee = await deps.b2b.employee(who, employeeKey(loginHint.trim())).catch(() => undefined);
      if (!employee) throw new errors.UnknownUserId('no employee of this client with this login_hint');
      if (!employee.identityId) throw new errors.UnknownUserId('the employee has not been verified with a document yet: use POST /v1/verifications first');
      return employee.identityId;
    },

    async triggerAuthenticationDevice(ctx, request, account, client) {
      const who = await caller(client.clientId);
      const hint = String(ctx.oidc.params?.login_hint ?? '').trim();
      const employee = await deps.b2b.employee(who, employeeKey(hint));
      if (employee.identityId !== account.accountId) throw new errors.UnknownUserId('the employee changed meanwhile');
      const notification = employee.email && deps.channels.has('EMAIL') ? 'EMAIL' : employee.phone && deps.channels.has('SMS') ? 'SMS' : null;
      if (!notification) {
        throw new errors.InvalidRequest('verid cannot reach this employee: it needs an e-mail (with SMTP configured) or a phone (with an SMS provider) in the directory');
      }
      await deps.b2b.request(who, {
        employee: { id: employee.id }, reason: 'other', reference: request.bindingMessage ?? null, mode: 'reverify', notification,
        expiresInSeconds: Math.max(60, request.expiration), cibaRequestId: request.jti,
      });
    },
  };
}

/** The session a CIBA request started (its interaction uid is `ciba:<request id>`). */
const cibaMarker = (requestId: string) => `ciba:${requestId}`;

type BackchannelRequest = InstanceType<Provider['BackchannelAuthenticationRequest']>;

/**
 * A CIBA request learns its outcome when the client polls: finding the request for the token
 * endpoint first reports a decided session to it (a grant with acr/amr, or access_denied), so the
 * same poll gets the ID token or the error. One indexed lookup per poll; no background loop.
 */
export function answerCibaOnPoll(provider: Provider, verification: Pick<VerificationService, 'findByInteraction'>): void {
  const Model = provider.BackchannelAuthenticationRequest as unknown as { find(id: string, options?: object): Promise<BackchannelRequest | undefined> };
  const find = Model.find.bind(Model);
  Model.find = async (id, options) => {
    const request = await find(id, options);
    if (!request?.jti || request.grantId || request.error || request.consumed) return request;
    const session = await verification.findByInteraction(cibaMarker(request.jti));
    if (!session || isOpen(session.state)) return request;
    await reportOutcome(provider, request, session);
    return find(id, options);
  };
}

async function reportOutcome(provider: Provider, request: BackchannelRequest, session: VerificationSession): Promise<void> {
  if (!(isVerified(session) && session.identityId === request.accountId)) {
    await provider.backchannelResult(request, new errors.AccessDenied(`identity verification ${session.state === 'expired' ? 'expired' : 'failed'}`));
    return;
  }
  const grant = new provider.Grant({ accountId: request.accountId!, clientId: request.clientId! });
  if (request.scope) grant.addOIDCScope(request.scope);
  if (request.claims) grant.addOIDCClaims([...Object.keys(request.claims.id_token ?? {}), ...Object.keys(request.claims.userinfo ?? {})]);
  await grant.save();
  const live = session.scores?.liveness.activeChallenge === 'OK';
  await provider.backchannelResult(request, grant, {
    acr: ACR_DOCUMENT_AND_FACE, amr: live ? ['face', 'user'] : ['face'], authTime: Math.floor((session.completedAt ?? Date.now()) / 1000),
  });
}
