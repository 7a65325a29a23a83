// The default redirect rule: relative paths and same-origin absolute URLs pass, anything else becomes the base URL.

/** Control characters and backslashes: browsers strip or reinterpret them, so a path holding one is never trusted. */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;
const MAX_URL_LENGTH = 4096;
/** What a Location header may carry as is: visible ASCII, no space. */
const PRINTABLE = /^[\x21-\x7e]+$/;

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
 * http(s) URL or a path on our origin, re-serialized by the URL parser, so what goes out is
 * percent-encoded ASCII (`/профиль`, U+2028, `/café?x=ü` as returned would be a raw header value
 * Node refuses with a 500, or raw bytes a browser decodes as Latin-1); anything else is the base
 * URL. Never throws.
 */
export function safeRedirectTarget(value: unknown, baseUrl: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH || UNSAFE.test(value)) return baseUrl;
  if (value.startsWith('/') && !value.startsWith('//')) {
    let resolved: URL;
    try {
      resolved = new URL(value, baseUrl);
    } catch {
      return baseUrl;
    }
    if (resolved.origin !== new URL(baseUrl).origin) return baseUrl;
    // A path stays a path on our origin; the parser only encodes it.
    return PRINTABLE.test(value) ? value : `${resolved.pathname}${resolved.search}${resolved.hash}`;
  }
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return baseUrl;
    // Printable ASCII is kept byte for byte (v4 answers `http://localhost:3000`, not the parser's `…3000/`).
    return PRINTABLE.test(value) ? value : parsed.href;
  } catch {
    return baseUrl;
  }
}
