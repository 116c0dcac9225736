import { ConfigError } from '../errors/app-error.ts';
import type { DocumentData, Environment } from './session.ts';
import type { ScoreItem } from './scores.ts';

export type AcceptedDocument = Exclude<DocumentData['documentType'], 'unknown'>;
const DOCUMENT_TYPES: readonly AcceptedDocument[] = ['passport', 'id_card', 'driver_licence'];

/** A named flow an API client picks with `configurationId` (VERID_FLOWS). */
export interface Flow {
  /**
   * enroll (default): document + selfie. reverify: a selfie against an identity the client names
   * (`identityId`, verified in one of its own earlier sessions). auto: reverify when it names one.
   */
  mode: 'enroll' | 'reverify' | 'auto';
  /** Documents the person may use; another kind fails the session (`document_type_not_accepted`). */
  documentTypes: readonly AcceptedDocument[];
  /** /omni/start must name the person (`candidate.name`), whose name the document must then match. */
  requireExpectedName: boolean;
  /** Where the hosted page sends the person afterwards when /omni/start names none. */
  redirectionUrl: string | null;
  /** How long the link stays open; default VERID_OMNI_SESSION_TTL_SECONDS. */
  linkTtlSeconds: number | null;
  /** Images and document data are erased this many days after the decision; at most VERID_RETENTION_MEDIA_DAYS. */
  mediaDays: number | null;
}

export const DEFAULT_FLOW: Flow = { mode: 'enroll', documentTypes: DOCUMENT_TYPES, requireExpectedName: false, redirectionUrl: null, linkTtlSeconds: null, mediaDays: null };

/**
 * Parses VERID_FLOWS: a JSON object of flow name → settings, e.g.
 * `{"onboarding":{"documentTypes":["passport","id_card"],"requireExpectedName":true,"linkTtlSeconds":259200}}`.
 * `default` (every document, no name required) exists unless the object redefines it. Anything
 * unknown or malformed stops the start with one line naming it.
 */
export function parseFlows(raw: string | null, maxMediaDays = Number.POSITIVE_INFINITY): ReadonlyMap<string, Flow> {
  const flows = new Map<string, Flow>([['default', DEFAULT_FLOW]]);
  if (!raw) return flows;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('VERID_FLOWS must be a JSON object of flow name to settings');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError('VERID_FLOWS must be a JSON object of flow name to settings');
  for (const [name, value] of Object.entries(parsed)) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new ConfigError(`VERID_FLOWS: flow name ${JSON.stringify(name)} must be 1–64 letters, digits, . _ -`);
    const flow = parseFlow(name, value);
    // The consent text promises VERID_RETENTION_MEDIA_DAYS at most: a flow may keep less, never more.
    if (flow.mediaDays !== null && flow.mediaDays > maxMediaDays) {
      throw new ConfigError(`VERID_FLOWS.${name}.mediaDays (${flow.mediaDays}) is longer than VERID_RETENTION_MEDIA_DAYS (${maxMediaDays})`);
    }
    flows.set(name, flow);
  }
  return flows;
}

function parseFlow(name: string, value: unknown): Flow {
  const where = `VERID_FLOWS.${name}`;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${where} must be an object`);
  const settings = value as Record<string, unknown>;
  const known = ['mode', 'documentTypes', 'requireExpectedName', 'redirectionUrl', 'linkTtlSeconds', 'mediaDays'];
  const unknown = Object.keys(settings).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new ConfigError(`${where}: unknown setting(s) ${unknown.join(', ')}; settings are ${known.join(', ')}`);
  const types = settings.documentTypes ?? DOCUMENT_TYPES;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => (DOCUMENT_TYPES as readonly unknown[]).includes(t))) {
    throw new ConfigError(`${where}.documentTypes must be a non-empty list of ${DOCUMENT_TYPES.join(', ')}`);
  }
  const requireName = settings.requireExpectedName ?? false;
  if (typeof requireName !== 'boolean') throw new ConfigError(`${where}.requireExpectedName must be true or false`);
  const redirect = settings.redirectionUrl ?? null;
  if (redirect !== null && (typeof redirect !== 'string' || !URL.canParse(redirect) || !/^https?:$/.test(new URL(redirect).protocol))) {
    throw new ConfigError(`${where}.redirectionUrl must be an absolute http(s) URL`);
  }
  const ttl = settings.linkTtlSeconds ?? null;
  if (ttl !== null && (!Number.isInteger(ttl) || (ttl as number) < 60 || (ttl as number) > 30 * 86_400)) {
    throw new ConfigError(`${where}.linkTtlSeconds must be an integer from 60 to 2592000 (30 days)`);
  }
  const mediaDays = settings.mediaDays ?? null;
  if (mediaDays !== null && (!Number.isInteger(mediaDays) || (mediaDays as number) < 1)) throw new ConfigError(`${where}.mediaDays must be a whole number of days, at least 1`);
  const mode = settings.mode ?? 'enroll';
  if (mode !== 'enroll' && mode !== 'reverify' && mode !== 'auto') throw new ConfigError(`${where}.mode must be enroll, reverify or auto`);
  return {
    mode,
    documentTypes: types as AcceptedDocument[], requireExpectedName: requireName, redirectionUrl: redirect as string | null,
    linkTtlSeconds: ttl as number | null, mediaDays: mediaDays as number | null,
  };
}

/**
 * ICAO's fictional issuing state "Utopia" (UTO), used on specimen documents: verid's test
 * documents (docs/testing.md) carry it. A `demo` session accepts them; `production` refuses them.
 */
export const TEST_DOCUMENT_COUNTRY = 'UTO';

/**
 * What the session's environment and flow allow of a document that was read: a test document in
 * production, or a kind of document the flow does not take, fails the document check.
 */
export function documentPolicy(fields: Pick<DocumentData, 'documentType' | 'issuingCountry'>, environment: Environment, flow: Flow): { items: ScoreItem[]; reasons: string[] } {
  const items: ScoreItem[] = [];
  const reasons: string[] = [];
  if (fields.issuingCountry === TEST_DOCUMENT_COUNTRY) {
    const allowed = environment === 'demo';
    items.push({ key: 'testDocument', value: true, status: allowed ? 'OK' : 'FAIL' });
    if (!allowed) reasons.push('test_document');
  }
  if (fields.documentType !== 'unknown' && !flow.documentTypes.includes(fields.documentType)) {
    items.push({ key: 'documentTypeAccepted', value: false, status: 'FAIL' });
    reasons.push('document_type_not_accepted');
  }
  return { items, reasons };
}
