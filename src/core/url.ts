// The base URL of the API: parsed from configuration as v4 parses NEXTAUTH_URL, or from a trusted request host.
import type { BaseUrl } from '../types.js';

export const DEFAULT_BASE_PATH = '/api/auth';

/** v4's parseUrl: https:// when no scheme, `/` means the default path, one trailing slash dropped. */
export function parseBaseUrl(value: string): BaseUrl {
  const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
  const url = new URL(withScheme);
  let path = url.pathname === '/' ? DEFAULT_BASE_PATH : url.pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { origin: url.origin, path, base: url.origin + path };
}

export function normalizeBasePath(path: string): string {
  let out = path.startsWith('/') ? path : `/${path}`;
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/** Host header syntax: a DNS name or IPv4 or bracketed IPv6, optional port. Anything else is refused. */
const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function isValidHost(host: string): boolean {
  return host.length <= 255 && HOST_PATTERN.test(host);
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Whether an absolute URL points at this machine (`localhost`, 127.0.0.0/8, `[::1]`); false for anything unparsable. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return isLoopbackHost(new URL(url).host);
  } catch {
    return false;
  }
}

/** Percent-decoded, or as it came when it is not valid percent-encoding (a stray `%` is not an error). */
export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
