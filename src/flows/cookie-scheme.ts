// Which cookie names a request is read under (https: only the `__Secure-`/`__Host-` ones): the one decision the REST routes and every server reader share.
import type { CookieSet, ResolvedConfig } from '../config.js';

/** What the decision needs of a request: its headers and the scheme it arrived on. */
export interface SchemeSource {
  header(name: string): string | null;
  /** `http` or `https` as the connection arrived; a bare `Headers` carries none and counts as `http`. */
  readonly protocol: 'http' | 'https';
}

/**
 * The scheme of a request as gatehouse judges it: the proxy's `X-Forwarded-Proto` only under
 * `trustHost` (otherwise any client could pick it), else the connection's own.
 */
export function requestProtocol(config: ResolvedConfig, request: SchemeSource): 'http' | 'https' {
  if (!config.trustHost) return request.protocol;
  const forwarded = request.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'http' || forwarded === 'https' ? forwarded : request.protocol;
}

/**
 * The cookie names for a base URL. On https only the prefixed names exist: an unprefixed
 * `next-auth.session-token` can be planted over plain http or from a sibling subdomain (session
 * fixation), which browsers refuse for `__Secure-`/`__Host-` names (RFC 6265bis §4.1.3).
 */
export function cookieNamesFor(config: ResolvedConfig, baseIsHttps: boolean): CookieSet {
  return (config.useSecureCookies ?? baseIsHttps) ? config.cookies.secure : config.cookies.insecure;
}

/** Server readers (getSession, the session-admin functions): the configured URL's scheme, else the request's, as the REST path decides. */
export function cookieNamesOfRequest(config: ResolvedConfig, request: SchemeSource): CookieSet {
  const https = config.url ? config.url.base.startsWith('https://') : requestProtocol(config, request) === 'https';
  return cookieNamesFor(config, https);
}

/** What a server helper is given: a Request has its URL's scheme; bare headers have none. */
export type SessionInput = Request | Headers | { headers: Headers; url?: string };

/** The scheme source of a helper's input. */
export function schemeSourceOf(input: SessionInput): SchemeSource {
  const headers = input instanceof Headers ? input : input.headers;
  const url = input instanceof Headers ? undefined : input.url;
  return { header: (name) => headers.get(name), protocol: typeof url === 'string' && url.startsWith('https:') ? 'https' : 'http' };
}
