import { isIPv6 } from 'node:net';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The key per-IP limits count a client address under: an IPv4 address as it
 * is, an IPv6 address by its /64 network (one subscriber usually holds a whole
 * /64, so counting single addresses would let it spread over 2^64 of them), an
 * IPv4-mapped IPv6 address as the IPv4 address it maps.
 */
export function clientAddressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = MAPPED_IPV4.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split('%')[0];
  if (!isIPv6(address)) return ip;
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  // An embedded dotted IPv4 is the last 32 bits; the /64 never includes it, it only takes two groups' room.
  const rightGroups = right.length > 0 && right[right.length - 1].includes('.') ? right.length + 1 : right.length;
  const leftGroups = left.length > 0 && left[left.length - 1].includes('.') ? left.length + 1 : left.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - leftGroups - rightGroups).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
