// The client address as the session index keeps it: whole, truncated to its network, as a keyed hash, or not at all.
import { hmacSha256Hex } from './crypto.js';

export type StoreIp = boolean | 'truncate' | 'hash';

/**
 * `truncate` keeps the /24 of IPv4 and the /48 of IPv6: the network a person is on, not the host
 * (the granularity analytics tools use to anonymise). `hash` is an HMAC under the app's secret, so
 * equal addresses compare equal without the table revealing them; a short tag is enough for that.
 */
export function storedAddress(address: string | undefined, mode: StoreIp, key: string): string | null {
  if (!address || mode === false) return null;
  const ip = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (mode === 'hash') return hmacSha256Hex(key, ip).slice(0, 32);
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

// node:net's isIP checks, without node:net (the core runs on Workers too); test/core/ip-syntax.test.ts
// holds them to node:net's answers. Dotted-quad octets without leading zeros (RFC 6943 §3.1.1: they
// read as octal elsewhere).
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const GROUP = /^[0-9a-fA-F]{1,4}$/;

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** RFC 4291 §2.2 text forms: eight groups, one `::` for a run of zeros, a dotted quad last; a zone after `%`. */
export function isIPv6(text: string): boolean {
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : text.slice(0, zone);
  if (zone !== -1 && zone === text.length - 1) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((group) => GROUP.test(group))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}
