// The `jwt` session strategy: the session is the encrypted cookie (v4's JWE), re-issued with a rolled expiry at most once per `updateAge`.
import type { ResolvedConfig } from '../../config.js';
import type { SessionStrategy } from '../../context.js';
import { clearChunked, readChunked, writeChunked, type SetCookie } from '../../core/cookies.js';
import { randomToken } from '../../core/crypto.js';
import { deriveAuthjsKeys } from '../../core/authjs-jwe.js';
import { decryptAuthjsToken, decryptTokenWithKey, encryptToken } from '../../core/jwt.js';
import { AccessDeniedError } from '../../errors.js';
import type { JWT, Session } from '../../types.js';
import { fire } from '../events.js';
import { isRevoked, revocationsReady } from '../revocations.js';
import { recordJwtRevocation, revokedUntil, revokeJwtSessions, type Revoke } from '../session-index.js';
import { defaultSessionUser, findSessionCookie, readSessionCookie, saveRecord } from './shape.js';
import { authenticationOfToken, withAuthentication } from '../step-up.js';

export async function encodeSessionToken(config: ResolvedConfig, token: JWT, maxAge: number): Promise<string> {
  if (config.jwtEncode) return config.jwtEncode({ token, secret: [...config.secrets], maxAge, salt: '' });
  return encryptToken(token, config.sessionKeys, maxAge);
}

export async function decodeSessionToken(config: ResolvedConfig, raw: string): Promise<JWT | null> {
  return (await decodeSessionTokenWithKey(config, raw))?.payload ?? null;
}

/**
 * `rotated`: opened by a secret other than the first, so the caller should re-issue under the current one.
 * `onError` receives what a custom `jwt.decode` threw (the token is then no session).
 */
async function decodeSessionTokenWithKey(config: ResolvedConfig, raw: string, onError?: (error: unknown) => void): Promise<{ payload: JWT; rotated: boolean } | null> {
  if (config.jwtDecode) {
    try {
      const payload = await config.jwtDecode({ token: raw, secret: [...config.secrets], salt: '' });
      return payload ? { payload, rotated: false } : null;
    } catch (error) {
      onError?.(error);
      return null;
    }
  }
  return decryptTokenWithKey(raw, config.sessionKeys, undefined, config.caches.openedSessions);
}

/**
 * A token next-auth v5 wrote under the cookie `name` (its HKDF salt), with every secret; the keys
 * are derived once per name and kept on the instance. `rotated`, so the read re-issues it at once.
 */
async function decodeV5SessionToken(config: ResolvedConfig, raw: string, name: string): Promise<{ payload: JWT; rotated: boolean } | null> {
  let keys = config.caches.authjsKeys.get(name);
  if (!keys) config.caches.authjsKeys.set(name, (keys = deriveAuthjsKeys(config.secrets, name)));
  const payload = await decryptAuthjsToken(raw, keys);
  return payload ? { payload, rotated: true } : null;
}

/**
 * Gatehouse's own format first; then v5's, for the v5 cookie name or for a configured name a v5
 * app wrote under (v5 salts its key with the name). A custom `jwt.decode` is the app's whole say.
 */
async function openSessionToken(config: ResolvedConfig, raw: string, name: string, v5Name: string | undefined, onError: (error: unknown) => void) {
  if (v5Name !== undefined && !config.jwtDecode) return decodeV5SessionToken(config, raw, v5Name);
  const own = await decodeSessionTokenWithKey(config, raw, onError);
  if (own || config.jwtDecode) return own;
  return decodeV5SessionToken(config, raw, name);
}

export const jwtSessions: SessionStrategy = {
  kind: 'jwt',

  /** Decode, `jwt` callback, `session` callback, re-issue when the token changed or is older than `updateAge`. */
  async read(source, options = {}) {
    const { config } = source;
    const cookie = readSessionCookie(source, options);
    if (!cookie) return { session: null, cookies: [] };
    const { name, attributes, names, value, v5Name, clear, nowMs } = cookie;

    let failure: unknown;
    const opened = await openSessionToken(config, value, name, v5Name, (error) => (failure = error));
    if (!opened) {
      // v4's code and level, which error trackers key on: a cookie that stopped opening means a
      // changed secret, tampering or an expired token. The cookie is cleared, so once per browser.
      config.logger.error('JWT_SESSION_ERROR', failure ?? new Error('the session cookie did not decrypt with the secret, or its token has expired'));
      return { session: null, cookies: clear() };
    }
    const decoded = opened.payload;
    const sessionId = typeof decoded.sid === 'string' ? decoded.sid : undefined;
    if (sessionId !== undefined) {
      // Usually no await at all: the poll of the shared log runs at most once per lag interval.
      const polling = revocationsReady(config, nowMs);
      if (polling) await polling;
      if (isRevoked(config, sessionId, nowMs)) {
        config.logger.debug('JWT_SESSION_REVOKED');
        return { session: null, cookies: clear() };
      }
    }
    const token = await config.callbacks.jwt(options.update ? { token: decoded, trigger: 'update', session: options.update.data } : { token: decoded });
    // A jwt callback returning null ends the session cleanly (v4 answered a body and cleared the cookie).
    if (!token) return { session: null, cookies: clear() };
    // When and how the user authenticated is gatehouse's record, not the app's: it survives a jwt
    // callback that rebuilds the token, and the session callback sees it (`token.auth_time`, `token.amr`).
    withAuthentication(token, authenticationOfToken(decoded));
    // Re-issue (a JWE encrypt and a Set-Cookie) only when the token changed or is older than
    // updateAge; v4 re-issued on every read. `session.updateAge: 0` restores that.
    const nowSec = Math.floor(nowMs / 1000);
    const changed = opened.rotated || options.update !== undefined || (token !== decoded && JSON.stringify(token) !== JSON.stringify(decoded));
    const reissue = changed || typeof decoded.exp !== 'number' || !(nowSec - (decoded.iat ?? 0) < config.updateAge);
    const expires = reissue ? new Date(nowMs + config.maxAge * 1000) : new Date((decoded.exp as number) * 1000);
    const shaped = await config.callbacks.session({
      session: { user: defaultSessionUser(token, 'picture'), expires: expires.toISOString() },
      token,
    } as Parameters<ResolvedConfig['callbacks']['session']>[0]);
    let cookies: SetCookie[] = [];
    if (reissue && !options.readOnly) {
      const { iat: _iat, exp: _exp, jti: _jti, ...claims } = token;
      // The session id is gatehouse's, not the app's: it survives a jwt callback that rebuilds the token.
      if (sessionId !== undefined) claims.sid = sessionId;
      const jwe = await encodeSessionToken(config, claims, config.maxAge);
      cookies = writeChunked(name, jwe, { ...attributes, expires }, names);
      // lastActiveAt moves with the re-issue, at most once per updateAge: reads stay reads.
      if (sessionId !== undefined) await config.sessionIndex.store?.touchSession(sessionId, new Date(nowMs), expires);
    }
    await fire(config, 'session', { session: shaped as Session, token });
    return { session: shaped as Session, cookies, token, ...(sessionId !== undefined ? { sessionId } : {}) };
  },

  async start(source, input) {
    const { config, cookieNames } = source;
    const { name, options: attributes } = cookieNames.sessionToken;
    const { names } = readChunked(source.requestCookies as Map<string, string>, name);
    const expires = new Date(Date.now() + config.maxAge * 1000);
    const { user } = input;
    const defaultToken: JWT = { name: user.name, email: user.email, picture: user.image, sub: String(user.id) };
    const token = await config.callbacks.jwt({
      token: defaultToken,
      user,
      account: input.account,
      ...(input.profile ? { profile: input.profile } : {}),
      isNewUser: input.isNewUser,
      trigger: input.isNewUser ? 'signUp' : 'signIn',
    });
    // v4 crashed here on null; a callback that returns no token refuses the sign-in.
    if (!token) throw new AccessDeniedError();
    // 128 random bits: the id sign-out and revocation name this session by, in every copy of the cookie.
    const sessionId = randomToken(16);
    const jwe = await encodeSessionToken(config, withAuthentication({ ...token, sid: sessionId }, input.authentication), config.jwtMaxAge);
    if (token.sub !== undefined) await saveRecord(config, sessionId, String(token.sub), expires, input.device);
    return writeChunked(name, jwe, { ...attributes, expires }, names);
  },

  async end(source) {
    const { config, cookieNames } = source;
    const { name, options: attributes } = cookieNames.sessionToken;
    const found = findSessionCookie(source);
    if (!found) return { cookies: [] };
    const cookies = clearChunked(found.v5Name ?? name, attributes, found.names);
    const token = (await openSessionToken(config, found.value, name, found.v5Name, () => {}))?.payload ?? null;
    await fire(config, 'signOut', { token });
    // A copy of this cookie taken before now gives no session afterwards (here at once, elsewhere within the lag).
    if (token && typeof token.sid === 'string') {
      const revoke: Revoke = { userId: String(token.sub ?? ''), ids: [token.sid], reason: 'signOut' };
      try {
        await revokeJwtSessions(config, revoke);
      } catch (error) {
        // This instance refuses the id already; the shared log gets it once the store is back.
        config.logger.error('SIGNOUT_ERROR', error);
        const until = revokedUntil(config);
        config.pendingSignOuts.add(token.sid, () => recordJwtRevocation(config, revoke, until), until.valueOf());
        return { cookies, pending: error };
      }
    }
    return { cookies };
  },

  async restamp(source, authentication) {
    const { config, cookieNames } = source;
    const { name, options: attributes } = cookieNames.sessionToken;
    const found = findSessionCookie(source);
    if (!found) return [];
    const opened = await openSessionToken(config, found.value, name, found.v5Name, () => {});
    if (!opened) return [];
    const { iat: _iat, exp: _exp, jti: _jti, ...claims } = opened.payload;
    const jwe = await encodeSessionToken(config, withAuthentication(claims, authentication), config.jwtMaxAge);
    const expires = new Date(Date.now() + config.maxAge * 1000);
    // A v5 cookie's chunks are cleared as the token moves to gatehouse's name (as a read does).
    const moved = found.v5Name !== undefined ? clearChunked(found.v5Name, attributes, found.names) : [];
    return [...moved, ...writeChunked(name, jwe, { ...attributes, expires }, found.v5Name !== undefined ? [] : found.names)];
  },

  /** With an adapter, the token's `sub` names the stored user. */
  async currentUser(source) {
    const { config } = source;
    const users = config.stores.users;
    if (!users) return null;
    const found = findSessionCookie(source);
    if (!found) return null;
    const token = (await openSessionToken(config, found.value, source.cookieNames.sessionToken.name, found.v5Name, () => {}))?.payload;
    return token?.sub ? users.getUser(token.sub) : null;
  },
};
