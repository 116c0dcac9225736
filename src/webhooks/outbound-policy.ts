import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConfigError } from '../errors/app-error.ts';
import type { Environment } from '../verification/index.ts';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Where webhooks may go. By default only public unicast addresses: private, loopback, link-local
 * (cloud metadata), CGNAT, multicast, unspecified, reserved and documentation ranges are refused,
 * and so is an IPv4-mapped IPv6 address of any of them. `allowPrivate` lifts that; `allowCidrs`
 * lets chosen networks through.
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
  allowCidrs: ReadonlyArray<[Address, number]>;
}

/** VERID_WEBHOOK_ALLOW_PRIVATE and VERID_WEBHOOK_ALLOW_CIDRS (comma-separated CIDRs or addresses). */
export function parseOutboundPolicy(allowPrivate: boolean, cidrs: string | null): OutboundPolicy {
  const allowCidrs = (cidrs ?? '').split(',').map((e) => e.trim()).filter(Boolean).map((entry): [Address, number] => {
    if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
    if (isIP(entry)) {
      const address = ipaddr.parse(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128];
    }
    throw new ConfigError(`VERID_WEBHOOK_ALLOW_CIDRS: ${entry} is not an IP address or CIDR`);
  });
  return { allowPrivate, allowCidrs };
}

/** Whether a webhook may connect to `address` (an IP literal; IPv4-mapped IPv6 is judged as the IPv4 it carries). */
export function isAddressAllowed(policy: OutboundPolicy, address: string): boolean {
  if (!ipaddr.isValid(address) || isIP(address) === 0) return false;
  const ip = ipaddr.process(address);
  if (ip.range() === 'unicast') return true;
  if (policy.allowPrivate) return true;
  return policy.allowCidrs.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits));
}

export type UrlRefusal = 'invalid_url' | 'https_required' | 'credentials_in_url' | 'unresolvable_host' | 'blocked_address';

export type UrlCheck = { ok: true; url: string } | { ok: false; code: UrlRefusal; message: string };

export type ResolveAll = (hostname: string) => Promise<string[]>;

export const resolveAll: ResolveAll = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** The host of a URL as an address literal (brackets removed), or undefined for a name. */
export function addressLiteral(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : undefined;
}

/**
 * Checks an endpoint URL when it is registered: https (http only for demo clients), no credentials,
 * and every address its host resolves to allowed. Delivery checks the addresses again at connect time.
 */
export async function checkEndpointUrl(raw: string, environment: Environment, policy: OutboundPolicy, resolve: ResolveAll = resolveAll): Promise<UrlCheck> {
  if (!URL.canParse(raw)) return { ok: false, code: 'invalid_url', message: 'The URL is not an absolute URL' };
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, code: 'invalid_url', message: 'The URL must be http(s)' };
  if (url.protocol === 'http:' && environment !== 'demo') {
    return { ok: false, code: 'https_required', message: 'Endpoints of production clients must use https' };
  }
  if (url.username || url.password) return { ok: false, code: 'credentials_in_url', message: 'The URL must not carry credentials' };
  const literal = addressLiteral(url);
  let addresses: string[];
  if (literal) {
    addresses = [literal];
  } else {
    try {
      addresses = await resolve(url.hostname);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return { ok: false, code: 'unresolvable_host', message: `${url.hostname} does not resolve` };
  }
  const refused = addresses.find((a) => !isAddressAllowed(policy, a));
  if (refused) {
    return { ok: false, code: 'blocked_address', message: `${url.hostname} is a private or reserved address (${refused}); see VERID_WEBHOOK_ALLOW_CIDRS` };
  }
  return { ok: true, url: url.href };
}
