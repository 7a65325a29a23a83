// Sessions, both strategies: read (GET/POST `session`, server helpers), start (after sign-in) and end (sign-out).
import type { CookieSet, ResolvedConfig } from '../config.js';
import { clearChunked, readChunked, writeChunked, type SetCookie } from '../core/cookies.js';
import { decryptTokenWithKey, encryptToken } from '../core/jwt.js';
import { randomToken } from '../core/crypto.js';
import { hashSessionToken, sessionIdForHandle } from '../core/session-token.js';
import { AccessDenied } from '../errors.js';
import type { Account, AdapterUser, JWT, Profile, Session, User } from '../types.js';
import { fire } from './events.js';
import { isRevoked, revocationsReady } from './revocations.js';
import { forgetDatabaseSessions, revokeJwtSessions, type Device } from './session-index.js';

export { fire } from './events.js';

/** What reading a session needs of a request: RouteContext fits, and so does a server helper's view of the headers. */
export interface SessionSource {
  readonly config: ResolvedConfig;
  readonly requestCookies: ReadonlyMap<string, string>;
  readonly cookieNames: CookieSet;
}

export interface SessionRead {
  /** The body of GET `session`: the shaped session, or null for none. */
  session: Session | null;
  cookies: SetCookie[];
  /** The JWT payload (jwt strategy) or stored user (database strategy), for linking and revocation. */
  token?: JWT;
  user?: AdapterUser;
  sessionToken?: string;
  /** The index id of this session: the JWT's `sid`, or derived from the database token (absent for a JWT issued without one). */
  sessionId?: string;
}

export interface ReadOptions {
  /** POST `session`: the client's `update(data)` payload. */
  update?: { data: unknown };
  /** Server helpers read without writing cookies they cannot send. */
  readOnly?: boolean;
  now?: number;
}

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
  return decryptTokenWithKey(raw, config.sessionKeys, undefined, config.openedSessions);
}

/** v4's default session user: from the token's `picture` (JWT) or the stored user's `image` (database). */
function defaultSessionUser(source: { name?: unknown; email?: unknown; image?: unknown; picture?: unknown }, imageKey: 'picture' | 'image') {
  return { name: source.name, email: source.email, image: source[imageKey] } as Session['user'];
}

/**
 * v4 §2.3. JWT: decode, `jwt` callback, `session` callback, re-issue with a rolled expiry.
 * Database: look up, drop when expired, extend at most once per `updateAge`, `session` callback.
 * An invalid cookie is no session and is cleared; adapter failures propagate (an error status,
 * not a silent sign-out of everyone while the database is down).
 */
export async function readSession(source: SessionSource, options: ReadOptions = {}): Promise<SessionRead> {
  const { config, cookieNames } = source;
  const { name, options: attributes } = cookieNames.sessionToken;
  const { value, names } = readChunked(source.requestCookies as Map<string, string>, name);
  if (!value) return { session: null, cookies: [] };
  const clear = () => (options.readOnly ? [] : clearChunked(name, attributes, names));
  const nowMs = options.now ?? Date.now();

  if (config.strategy === 'jwt') {
    let failure: unknown;
    const opened = await decodeSessionTokenWithKey(config, value, (error) => (failure = error));
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
    const token = await config.callbacks.jwt(
      options.update ? { token: decoded, trigger: 'update', session: options.update.data } : { token: decoded },
    );
    // A jwt callback returning null ends the session cleanly (v4 answered a body and cleared the cookie).
    if (!token) return { session: null, cookies: clear() };
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
  }

  const adapter = config.adapter!;
  const found = await adapter.getSessionAndUser!(value);
  if (!found) return { session: null, cookies: clear() };
  const { session: stored, user } = found;
  let expires = new Date(stored.expires);
  if (expires.valueOf() < nowMs) {
    await adapter.deleteSession!(value);
    return { session: null, cookies: clear() };
  }
  const cookies: SetCookie[] = [];
  // Write the expiry at most once per updateAge (v4 §2.3): reads stay reads.
  if (expires.valueOf() - config.maxAge * 1000 + config.updateAge * 1000 <= nowMs) {
    expires = new Date(nowMs + config.maxAge * 1000);
    await adapter.updateSession!({ sessionToken: value, expires });
    await config.sessionIndex.store?.touchSession(sessionIdForHandle(hashSessionToken(value)), new Date(nowMs), expires);
    if (!options.readOnly) cookies.push({ name, value, options: { ...attributes, expires } });
  }
  const shaped = await config.callbacks.session({
    session: { user: defaultSessionUser(user, 'image'), expires: new Date(stored.expires).toISOString() },
    user,
    ...(options.update ? { newSession: options.update.data, trigger: 'update' as const } : {}),
  } as Parameters<ResolvedConfig['callbacks']['session']>[0]);
  await fire(config, 'session', { session: shaped as Session });
  return { session: shaped as Session, cookies, user, sessionToken: value, sessionId: sessionIdForHandle(hashSessionToken(value)) };
}

export interface StartSession {
  user: User | AdapterUser;
  account: Account | null;
  profile?: Profile;
  isNewUser: boolean;
  /** The signing-in request's device, for the session index. */
  device?: Device;
}

/** After a successful sign-in: a JWT cookie, or a database session row and its token cookie. */
export async function startSession(source: SessionSource, input: StartSession): Promise<SetCookie[]> {
  const { config, cookieNames } = source;
  const { name, options: attributes } = cookieNames.sessionToken;
  const { names } = readChunked(source.requestCookies as Map<string, string>, name);
  const expires = new Date(Date.now() + config.maxAge * 1000);

  if (config.strategy === 'jwt') {
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
    if (!token) throw new AccessDenied();
    // 128 random bits: the id sign-out and revocation name this session by, in every copy of the cookie.
    const sessionId = randomToken(16);
    const jwe = await encodeSessionToken(config, { ...token, sid: sessionId }, config.jwtMaxAge);
    if (token.sub !== undefined) await saveRecord(config, sessionId, String(token.sub), expires, input.device);
    return writeChunked(name, jwe, { ...attributes, expires }, names);
  }

  const sessionToken = config.generateSessionToken();
  const created = await config.adapter!.createSession!({ sessionToken, userId: String(input.user.id), expires });
  const sessionExpires = created?.expires ? new Date(created.expires) : expires;
  await saveRecord(config, sessionIdForHandle(hashSessionToken(sessionToken)), String(input.user.id), sessionExpires, input.device);
  return writeChunked(name, sessionToken, { ...attributes, expires: sessionExpires }, names);
}

async function saveRecord(config: ResolvedConfig, id: string, userId: string, expires: Date, device: Device | undefined): Promise<void> {
  const store = config.sessionIndex.store;
  if (!store) return;
  const now = new Date();
  await store.saveSession({ id, userId, createdAt: now, lastActiveAt: now, expires, userAgent: device?.userAgent ?? null, ipAddress: device?.ipAddress ?? null });
}

/** Sign-out: delete the row (database), fire the event, clear every chunk. Storage errors are logged; the cookie goes regardless. */
export async function endSession(source: SessionSource): Promise<SetCookie[]> {
  const { config, cookieNames } = source;
  const { name, options: attributes } = cookieNames.sessionToken;
  const { value, names } = readChunked(source.requestCookies as Map<string, string>, name);
  if (!value) return [];
  if (config.strategy === 'jwt') {
    const token = await decodeSessionToken(config, value);
    await fire(config, 'signOut', { token });
    // A copy of this cookie taken before now gives no session afterwards (here at once, elsewhere within the lag).
    if (token && typeof token.sid === 'string') {
      try {
        await revokeJwtSessions(config, { userId: String(token.sub ?? ''), ids: [token.sid], reason: 'signOut' });
      } catch (error) {
        config.logger.error('SIGNOUT_ERROR', error);
      }
    }
  } else {
    try {
      const session = await config.adapter!.deleteSession!(value);
      await fire(config, 'signOut', { session });
      if (session) await forgetDatabaseSessions(config, { userId: String(session.userId), ids: [sessionIdForHandle(hashSessionToken(value))], reason: 'signOut' });
    } catch (error) {
      config.logger.error('SIGNOUT_ERROR', error);
    }
  }
  return clearChunked(name, attributes, names);
}

/** The signed-in user as the adapter knows them (for account linking), or null. */
export async function currentUser(source: SessionSource): Promise<AdapterUser | null> {
  const { config } = source;
  const adapter = config.adapter;
  if (!adapter) return null;
  const { value } = readChunked(source.requestCookies as Map<string, string>, source.cookieNames.sessionToken.name);
  if (!value) return null;
  if (config.strategy === 'jwt') {
    const token = await decodeSessionToken(config, value);
    return token?.sub && adapter.getUser ? adapter.getUser(token.sub) : null;
  }
  const found = await adapter.getSessionAndUser!(value);
  return found && new Date(found.session.expires).valueOf() > Date.now() ? found.user : null;
}
