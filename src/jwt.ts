// gatehouse-auth/jwt: encode, decode and getToken, compatible with next-auth v4's tokens and signatures.
import { parseCookies, readChunked } from './core/cookies.js';
import { decryptToken, deriveKeys, encryptToken, secretList, DEFAULT_MAX_AGE } from './core/jwt.js';
import type { JWT, JWTDecodeParams, JWTEncodeParams } from './types.js';

export type { JWT, JWTDecodeParams, JWTEncodeParams };

/** The environment where the runtime has one (Workers without nodejs_compat have no `process`). */
const env = (): Record<string, string | undefined> => globalThis.process?.env ?? {};

function keysFor(secret: string | string[] | undefined, salt: string | undefined) {
  const secrets = secretList(secret ?? env().AUTH_SECRET ?? env().NEXTAUTH_SECRET);
  if (secrets.length === 0) throw new TypeError('gatehouse-auth/jwt: `secret` is required (or set AUTH_SECRET / NEXTAUTH_SECRET).');
  return deriveKeys(secrets, salt ?? '');
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
  raw?: boolean;
  decode?: (params: JWTDecodeParams) => Promise<JWT | null>;
}

function header(req: GetTokenParams['req'], name: string): string | undefined {
  const headers = req.headers;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

/**
 * The session token of a request: the (possibly chunked) cookie, else `Authorization: Bearer`.
 * Any malformed input is null, never a throw (advisory GHSA-xmf8).
 */
export async function getToken(params: GetTokenParams & { raw: true }): Promise<string | null>;
export async function getToken(params: GetTokenParams): Promise<JWT | null>;
export async function getToken(params: GetTokenParams): Promise<JWT | string | null> {
  const { req } = params;
  const secure = params.secureCookie ?? (env().NEXTAUTH_URL ?? env().AUTH_URL ?? '').startsWith('https://');
  const name = params.cookieName ?? `${secure ? '__Secure-' : ''}next-auth.session-token`;
  const cookies = parseCookies(header(req, 'cookie'));
  let token = readChunked(cookies, name).value;
  if (!token) {
    const authorization = header(req, 'authorization');
    const match = authorization?.length && authorization.length < 64 * 1024 ? /^Bearer (\S+)$/.exec(authorization) : null;
    if (match) {
      try {
        token = decodeURIComponent(match[1]!);
      } catch {
        return null;
      }
    }
  }
  if (!token) return null;
  if (params.raw) return token;
  try {
    if (params.decode) return await params.decode({ token, secret: params.secret ?? secretList(env().AUTH_SECRET ?? env().NEXTAUTH_SECRET) });
    return await decryptToken(token, keysFor(params.secret, ''));
  } catch {
    return null;
  }
}
