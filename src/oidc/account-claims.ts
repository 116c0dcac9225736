import type { IdentityClaims } from '../verification/index.ts';

/** OIDC4IDA document types (the predefined values of `document_details.type`). */
const IDA_DOCUMENT_TYPE: Record<IdentityClaims['document']['type'], string> = {
  passport: 'passport',
  id_card: 'idcard',
  driver_licence: 'driving_permit',
  unknown: 'document',
};

export const VERIFIABLE_CLAIMS = ['given_name', 'family_name', 'name', 'birthdate', 'gender'] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Standard claims (OIDC Core §5.1) from the verified document. */
export function standardClaims(sub: string, identity: IdentityClaims): { sub: string } & Record<string, unknown> {
  return {
    sub,
    name: `${identity.givenName} ${identity.familyName}`.trim(),
    given_name: identity.givenName,
    family_name: identity.familyName,
    birthdate: identity.birthdate ?? undefined,
    gender: identity.gender,
  };
}

/**
 * `verified_claims` per OpenID Connect for Identity Assurance 1.0: which claims were verified,
 * how (evidence of type `document` with the checks that ran) and when. When the request names
 * claims inside `verified_claims.claims`, only those are returned.
 */
export function verifiedClaims(
  identity: IdentityClaims, trustFramework: string, request: unknown,
): Record<string, unknown> {
  const all = standardClaims('', identity);
  const requested = (request && typeof request === 'object' && 'claims' in request && request.claims && typeof request.claims === 'object')
    ? Object.keys(request.claims as object) : [...VERIFIABLE_CLAIMS];
  const claims = Object.fromEntries(
    requested.filter((c) => (VERIFIABLE_CLAIMS as readonly string[]).includes(c) && all[c] !== undefined).map((c) => [c, all[c]]),
  );
  return {
    verification: {
      trust_framework: trustFramework,
      time: iso(identity.verifiedAt),
      verification_process: identity.interviewId,
      evidence: [{
        type: 'document',
        time: iso(identity.verifiedAt),
        check_details: identity.checks.map((c) => ({ check_method: c.checkMethod, time: iso(c.time) })),
        document_details: {
          type: IDA_DOCUMENT_TYPE[identity.document.type],
          document_number: identity.document.number,
          ...(identity.document.expiryDate ? { date_of_expiry: identity.document.expiryDate } : {}),
          issuer: { country_code: identity.document.issuingCountry },
        },
      }],
    },
    claims,
  };
}
