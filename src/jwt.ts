// gatehouse-auth/jwt: encode, decode and getToken, compatible with next-auth v4's tokens and signatures.
import { deriveAuthjsKeys } from './core/authjs-jwe.js';
import { parseCookies, readChunked } from './core/cookies.js';
import { decryptAuthjsToken, decryptToken, deriveKeys, encryptToken, secretList, DEFAULT_MAX_AGE } from './core/jwt.js';
import type { JWT, JWTDecodeParams, JWTEncodeParams } from './types.js';

export type { JWT, JWTDecodeParams, JWTEncodeParams };

/** The environment where the runtime has one (Workers without nodejs_compat have no `process`). */
const env = (): Record<string, string | undefined> => globalThis.process?.env ?? {};

function secretsOf(secret: string | string[] | undefined): string[] {
  const secrets = secretList(secret ?? env().AUTH_SECRET ?? env().NEXTAUTH_SECRET);
  if (secrets.length === 0) throw new TypeError('gatehouse-auth/jwt: `secret` is required (or set AUTH_SECRET / NEXTAUTH_SECRET).');
  return secrets;
}

function keysFor(secret: string | string[] | undefined, salt: string | undefined) {
  return deriveKeys(secretsOf(secret), salt ?? '');
}

/** Encrypts a token as v4 does: JWE `dir` + `A256GCM`; with several secrets, the first. */
export async function encode({ token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt = '' }: JWTEncodeParams): Promise<string> {
  return encryptToken(token, keysFor(secret, salt), maxAge);
}

/** Decrypts a token with any of the secrets; null when none opens it or it expired. */
export async function decode({ token, secret, salt = '' }: JWTDecodeParams): Promise<JWT | null> {
  return decryptToken(token, keysFor(secret, salt));
}

export interface GetTokenParams {
  req: Request | { headers: Headers | Record<string, string | string[] | undefined>; cookies?: Record<string, string> };
  secret?: string | string[];
  secureCookie?: boolean;
  cookieName?: string;
  /** next-auth v5's key salt, for its tokens (v5's `getToken` defaults it to the cookie name); v4 had none. */
  salt?: string;
  raw?: boolean;
  decode?: (params: JWTDecodeParams) => Promise<JWT | null>;
}

function header(req: GetTokenParams['req'], name: string): string | undefined {
  const headers = req.headers;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

/** The token, and the salt next-auth v5 would have sealed it with (its cookie's name, or the `salt` given). */
interface FoundToken {
  token: string;
  v5Salt: string;
  /** Found under v5's own cookie name, or a salt was given: a custom `decode` is handed the salt. */
  v5: boolean;
}

/** The cookie (chunked or not) or the Bearer token; null for malformed percent-encoding, undefined for none. */
function findToken(req: GetTokenParams['req'], params: GetTokenParams, prefix: string): FoundToken | null | undefined {
  const cookies = parseCookies(header(req, 'cookie'));
  const v5Name = `${prefix}authjs.session-token`;
  const name = params.cookieName ?? `${prefix}next-auth.session-token`;
  const given = params.salt !== undefined;
  const own = readChunked(cookies, name).value;
  if (own) return { token: own, v5Salt: params.salt ?? name, v5: given };
  // No name given: a v5 app's signed-in users still carry `authjs.session-token` until a request re-issues it.
  if (params.cookieName === undefined) {
    const v5 = readChunked(cookies, v5Name).value;
    if (v5) return { token: v5, v5Salt: params.salt ?? v5Name, v5: true };
  }
  const authorization = header(req, 'authorization');
  const match = authorization?.length && authorization.length < 64 * 1024 ? /^Bearer (\S+)$/.exec(authorization) : null;
  if (!match) return undefined;
  try {
    return { token: decodeURIComponent(match[1]!), v5Salt: params.salt ?? params.cookieName ?? v5Name, v5: given };
  } catch {
    return null;
  }
}

/**
 * The session token of a request: the (possibly chunked) cookie, else `Authorization: Bearer`.
 * next-auth v4's cookie and format, and next-auth v5's too: without `cookieName`, the cookie
 * `authjs.session-token` when v4's is absent; a token that is not v4's opens with v5's key salted
 * with its cookie's name (or the `salt` given), as v5's `getToken` does, so a v5 app's middleware
 * moves by its import alone. Any malformed input is null, never a throw (advisory GHSA-xmf8).
 */
export async function getToken(params: GetTokenParams & { raw: true }): Promise<string | null>;
export async function getToken(params: GetTokenParams): Promise<JWT | null>;
export async function getToken(params: GetTokenParams): Promise<JWT | string | null> {
  const secure = params.secureCookie ?? (env().NEXTAUTH_URL ?? env().AUTH_URL ?? '').startsWith('https://');
  const found = findToken(params.req, params, secure ? '__Secure-' : '');
  if (!found) return null;
  const { token, v5Salt } = found;
  if (params.raw) return token;
  try {
    if (params.decode) {
      const secret = params.secret ?? secretList(env().AUTH_SECRET ?? env().NEXTAUTH_SECRET);
      return await params.decode(found.v5 ? { token, secret, salt: v5Salt } : { token, secret });
    }
    // v4's format first (what gatehouse writes), then v5's under the salt v5's getToken would use:
    // its HKDF info differs from v4's, so neither key ever opens the other's token.
    return (await decryptToken(token, keysFor(params.secret, ''))) ?? (await decryptAuthjsToken(token, deriveAuthjsKeys(secretsOf(params.secret), v5Salt)));
  } catch {
    return null;
  }
}
