import { AppError } from '../../errors/index.ts';

/** SCIM 2.0 schema URNs (RFC 7643 §8.7, RFC 7644 §3). */
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** SCIM routes speak SCIM's own schemas: they stay out of the OpenAPI document. */
export const HIDDEN = { hide: true };

export type Json = Record<string, unknown>;

/** A 400 in SCIM's shape: `scimType` from RFC 7644 §3.12. */
export function bad(detail: string, scimType = 'invalidValue'): AppError {
  return new AppError('validation_failed', detail, { details: { scimType } });
}

/** A string attribute: trimmed, bounded, without control characters; null when absent or empty. */
export function text(value: unknown, max = 254): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > max || /[\u0000-\u001f\u007f]/.test(value)) throw bad('attribute values are strings without control characters');
  return value.trim();
}

/** `startIndex` and `count` of a list request (RFC 7644 §3.4.2.4), bounded. */
export function pageOf(query: { startIndex?: string; count?: string }): { startIndex: number; count: number } {
  return {
    startIndex: Math.max(1, Number.parseInt(query.startIndex ?? '1', 10) || 1),
    count: Math.min(200, Math.max(0, Number.parseInt(query.count ?? '100', 10) || 0)),
  };
}

/** The resources on the page (`startIndex` is 1-based). */
export function pageSlice<T>(resources: T[], page: { startIndex: number; count: number }): T[] {
  return resources.slice(page.startIndex - 1, page.startIndex - 1 + page.count);
}

/** A ListResponse of one page of `resources`. */
export function listResponse<T>(resources: T[], page: { startIndex: number; count: number }, render: (resource: T) => Json): Json {
  const slice = pageSlice(resources, page);
  return { schemas: [LIST], totalResults: resources.length, startIndex: page.startIndex, itemsPerPage: slice.length, Resources: slice.map(render) };
}

/** The one `attribute eq "value"` filter SCIM clients send to find a resource, or undefined without a filter. */
export function eqFilter<A extends string>(filter: string | undefined, attributes: readonly A[]): { attribute: A; value: string } | undefined {
  const trimmed = filter?.trim();
  if (!trimmed) return undefined;
  const match = /^([A-Za-z.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"$/i.exec(trimmed);
  const attribute = attributes.find((a) => a.toLowerCase() === match?.[1]?.toLowerCase());
  if (!match || !attribute) throw bad(`only ${attributes.map((a) => `\`${a} eq "…"\``).join(', ')} filters are supported`, 'invalidFilter');
  return { attribute, value: match[2]!.replace(/\\(.)/g, '$1') };
}
