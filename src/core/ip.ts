// The client address as the session index keeps it: whole, truncated to its network, as a keyed hash, or not at all.
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export type StoreIp = boolean | 'truncate' | 'hash';

/**
 * `truncate` keeps the /24 of IPv4 and the /48 of IPv6: the network a person is on, not the host
 * (the granularity analytics tools use to anonymise). `hash` is an HMAC under the app's secret, so
 * equal addresses compare equal without the table revealing them; a short tag is enough for that.
 */
export function storedAddress(address: string | undefined, mode: StoreIp, key: string): string | null {
  if (!address || mode === false) return null;
  const ip = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (mode === 'hash') return createHmac('sha256', key).update(ip).digest('hex').slice(0, 32);
  if (mode === 'truncate') {
    if (isIPv4(ip)) return ip.split('.').slice(0, 3).concat('0').join('.');
    if (isIPv6(ip)) return `${expandIPv6(ip).slice(0, 3).join(':')}::`;
    return null;
  }
  return isIPv4(ip) || isIPv6(ip) ? ip : null;
}

/** The eight groups of an IPv6 address, `::` filled in. */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, '').toLowerCase());
}
