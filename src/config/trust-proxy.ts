import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../errors/app-error.ts';

/** Which peers may set `X-Forwarded-*` (VERID_TRUST_PROXY), as one predicate over the peer address. */
export interface TrustedProxies {
  /** false: forwarded headers are never believed (the default). */
  enabled: boolean;
  isTrusted(address: string | undefined): boolean;
}

const NONE: TrustedProxies = { enabled: false, isTrusted: () => false };
const ANY: TrustedProxies = { enabled: true, isTrusted: () => true };

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is the IPv4 address it carries. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Parses VERID_TRUST_PROXY: unset or `false`, `true`, or a comma-separated list of addresses and CIDRs. */
export function parseTrustProxy(value: string | null): TrustedProxies {
  const raw = value?.trim() ?? '';
  if (raw === '' || raw === 'false') return NONE;
  if (raw === 'true') return ANY;
  const list = new BlockList();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new ConfigError(`VERID_TRUST_PROXY: ${entry} is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new ConfigError(`VERID_TRUST_PROXY: ${entry} has an invalid prefix length`);
    list.addSubnet(address, bits, type);
  }
  return {
    enabled: true,
    isTrusted(address) {
      if (!address) return false;
      const ip = plain(address);
      const family = isIP(ip);
      return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
