// Cookie header parsing, Set-Cookie serialization (RFC 6265) and v4's session-cookie chunking.
import { safeDecode } from './url.js';

export interface CookieAttributes {
  httpOnly?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  path?: string;
  secure?: boolean;
  domain?: string;
  maxAge?: number;
  expires?: Date;
}

export interface SetCookie {
  name: string;
  value: string;
  options: CookieAttributes;
}

/** Longest cookie value v4 writes before splitting: 4096 bytes per cookie minus room for name and attributes. */
export const CHUNK_SIZE = 4096 - 163;

/** Browsers cap the whole Cookie header near 8 KB per cookie; we refuse to parse absurd headers. */
const MAX_COOKIE_HEADER = 64 * 1024;

/**
 * Parses a Cookie header. The first occurrence of a name wins (RFC 6265 §5.4 orders the more
 * specific path first). A value that is not valid percent-encoding is kept as sent.
 */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header || header.length > MAX_COOKIE_HEADER) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies.set(name, safeDecode(value));
  }
  return cookies;
}

/** Exactly the characters encodeURIComponent leaves alone. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** encodeURIComponent, without a copy for the values gatehouse writes most (JWEs, hex tokens): they need none. */
export function encodeCookieValue(value: string): string {
  return UNRESERVED.test(value) ? value : encodeURIComponent(value);
}

/** Serializes one Set-Cookie header value, encoding the value as the `cookie` package (and so v4) does. */
export function serializeCookie({ name, value, options }: SetCookie): string {
  let out = `${name}=${encodeCookieValue(value)}`;
  if (options.maxAge !== undefined) out += `; Max-Age=${Math.floor(options.maxAge)}`;
  if (options.domain) out += `; Domain=${options.domain}`;
  out += `; Path=${options.path ?? '/'}`;
  if (options.expires) out += `; Expires=${options.expires.toUTCString()}`;
  if (options.httpOnly) out += '; HttpOnly';
  if (options.secure) out += '; Secure';
  if (options.sameSite) out += `; SameSite=${options.sameSite[0]!.toUpperCase()}${options.sameSite.slice(1)}`;
  return out;
}

/** A deletion: the same attributes with an empty value and Max-Age=0. */
export function expireCookie(name: string, options: CookieAttributes): SetCookie {
  const { expires: _expires, ...rest } = options;
  return { name, value: '', options: { ...rest, maxAge: 0 } };
}

/**
 * Reads a possibly chunked cookie: the bare name, or `name.0`, `name.1`, … joined in order.
 * Returns the names seen too, so a later write can clear stale chunks.
 */
export function readChunked(cookies: Map<string, string>, name: string): { value: string | undefined; names: string[] } {
  const whole = cookies.get(name);
  const chunks: Array<[number, string]> = [];
  const names: string[] = [];
  if (whole !== undefined) names.push(name);
  const prefix = `${name}.`;
  for (const [key, value] of cookies) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(key.slice(prefix.length));
    if (!Number.isInteger(index) || index < 0) continue;
    chunks.push([index, value]);
    names.push(key);
  }
  if (chunks.length === 0) return { value: whole, names };
  chunks.sort((a, b) => a[0] - b[0]);
  return { value: chunks.map(([, value]) => value).join(''), names };
}

/**
 * Writes a value as one cookie or as chunks, first clearing every chunk name the request
 * carried that the new write does not reuse (v4's `SessionStore`, packages/next-auth/src/core/lib/cookie.ts on branch v4), so switching sizes leaves nothing stale.
 */
export function writeChunked(name: string, value: string, options: CookieAttributes, seen: readonly string[]): SetCookie[] {
  const out: SetCookie[] = [];
  const written = new Set<string>();
  if (encodeCookieValue(value).length <= CHUNK_SIZE) {
    out.push({ name, value, options });
    written.add(name);
  } else {
    // Chunk on the raw value; JWE compact serialization is URL-safe, so encoding does not grow it.
    for (let i = 0, n = 0; i < value.length; i += CHUNK_SIZE, n++) {
      const chunkName = `${name}.${n}`;
      out.push({ name: chunkName, value: value.slice(i, i + CHUNK_SIZE), options });
      written.add(chunkName);
    }
  }
  for (const old of seen) if (!written.has(old)) out.unshift(expireCookie(old, options));
  return out;
}

/** Clears a chunked cookie: every name the request carried, or the bare name when it carried none. */
export function clearChunked(name: string, options: CookieAttributes, seen: readonly string[]): SetCookie[] {
  const names = seen.length > 0 ? seen : [name];
  return names.map((n) => expireCookie(n, options));
}
