import ipaddr from 'ipaddr.js';

/**
 * The key an address's budget is counted under: an IPv4 address itself (an IPv4-mapped IPv6 address
 * as the IPv4 it carries), an IPv6 address as its /64. One subscriber, host or VM usually holds a
 * whole /64, so counting single IPv6 addresses would give an attacker 2^64 budgets.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
