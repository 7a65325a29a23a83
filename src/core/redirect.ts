// The default redirect rule: relative paths and same-origin absolute URLs pass, anything else becomes the base URL.

/** Control characters and backslashes: browsers strip or reinterpret them, so a path holding one is never trusted. */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;
const MAX_URL_LENGTH = 4096;

/**
 * v4's rule, tightened (advisories GHSA-f9wg, GHSA-q2mx, GHSA-g5fm): `//host` and `/\host` are not
 * relative, malformed values fall back instead of throwing, and only http(s) is ever returned.
 */
export function defaultRedirect(url: string, baseUrl: string): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH || UNSAFE.test(url)) return baseUrl;
  if (url.startsWith('/')) {
    if (url.startsWith('//')) return baseUrl;
    let resolved: URL;
    try {
      resolved = new URL(url, baseUrl);
    } catch {
      return baseUrl;
    }
    return resolved.origin === baseUrl ? `${baseUrl}${resolved.pathname}${resolved.search}${resolved.hash}` : baseUrl;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return baseUrl;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return baseUrl;
  if (parsed.username || parsed.password) return baseUrl;
  return parsed.origin === baseUrl ? parsed.href : baseUrl;
}

/**
 * The last gate on whatever a (possibly user-written) redirect callback returned: an absolute
 * http(s) URL or a path on our origin; anything else is the base URL. Never throws.
 */
export function safeRedirectTarget(value: unknown, baseUrl: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH || UNSAFE.test(value)) return baseUrl;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? value : baseUrl;
  } catch {
    return baseUrl;
  }
}
