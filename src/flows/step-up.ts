// When and how the user of a session last authenticated (`auth_time`, `amr`): written at sign-in and by re-authentication, read by step-up checks; for database sessions never read on the session route, only extended with the session.
import type { ResolvedConfig } from '../config.js';
import type { SessionSource } from '../context.js';
import { amrOf, type AuthMethod } from '../core/amr.js';
import type { JWT } from '../types.js';

/** The authentication behind a session: `authTime` in epoch seconds (OIDC Core §2 `auth_time`), the RFC 8176 methods. */
export interface Authentication {
  authTime: number;
  amr: AuthMethod[];
}

/** The JWT claims gatehouse keeps them in: OIDC Core §2's names, beside v4's claims (a v4 reader ignores them). */
export const AUTH_TIME_CLAIM = 'auth_time';
export const AMR_CLAIM = 'amr';

const leaseKey = (sessionId: string) => `step-up:${sessionId}`;

/** The claims of a token, or undefined when it has none (a token issued before gatehouse wrote them, or by next-auth). */
export function authenticationOfToken(token: JWT | null | undefined): Authentication | undefined {
  const time = token?.[AUTH_TIME_CLAIM];
  if (typeof time !== 'number' || !Number.isFinite(time)) return undefined;
  return { authTime: time, amr: amrOf(token?.[AMR_CLAIM]) };
}

/** Copies the authentication claims onto `claims` (after a jwt callback that may have rebuilt the token: they are gatehouse's, not the app's). */
export function withAuthentication(claims: JWT, authentication: Authentication | undefined): JWT {
  if (!authentication) return claims;
  claims[AUTH_TIME_CLAIM] = authentication.authTime;
  claims[AMR_CLAIM] = [...authentication.amr];
  return claims;
}

/**
 * Database sessions: the authentication is kept beside the session index, in the lease store (the
 * adapter's `leaseStore()`), keyed by the session's index id and living as long as the session, which
 * `extendAuthentication` keeps true when the session is extended. Not the sessions table: its
 * columns are the `@auth` schema's.
 */
export async function saveAuthentication(config: ResolvedConfig, sessionId: string, authentication: Authentication, ttlMs: number): Promise<void> {
  await config.stepUp.store.set(leaseKey(sessionId), JSON.stringify({ t: authentication.authTime, amr: authentication.amr }), ttlMs);
}

/**
 * A database session was extended (at most once per `updateAge`, a write already): its recorded
 * authentication now lives as long. Without this a session used daily outlived its record after
 * `maxAge`, and step-up checks saw the sign-in's time with no methods (`factors` refused).
 */
export async function extendAuthentication(config: ResolvedConfig, sessionId: string, ttlMs: number): Promise<void> {
  const { store } = config.stepUp;
  const key = leaseKey(sessionId);
  if (store.extend) return store.extend(key, ttlMs);
  const raw = await store.get(key);
  if (raw !== null) await store.set(key, raw, ttlMs);
}

async function storedAuthentication(config: ResolvedConfig, sessionId: string): Promise<Authentication | undefined> {
  const raw = await config.stepUp.store.get(leaseKey(sessionId));
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as { t?: unknown; amr?: unknown };
    return typeof parsed.t === 'number' ? { authTime: parsed.t, amr: amrOf(parsed.amr) } : undefined;
  } catch {
    return undefined;
  }
}

export interface Authenticated {
  userId: string;
  email: string | null;
  /** The session index id of the request's session (undefined for a JWT without `sid`). */
  sessionId: string | undefined;
  /** Null when nothing recorded it: a session from before gatehouse kept it, without a session index. */
  authentication: Authentication | null;
  /** When the session ends, as the read found it. */
  expires: Date;
}

/**
 * The signed-in user of a request and their last authentication, read without writing anything;
 * null when signed out (or revoked). JWT: the token's claims. Database: the lease store. Either,
 * when missing: the session index's record of the sign-in, with no methods known.
 */
export async function authenticatedCaller(source: SessionSource): Promise<Authenticated | null> {
  const read = await source.sessions.read(source, { readOnly: true });
  if (!read.session) return null;
  const { config } = source;
  let userId: string;
  let email: string | null;
  let authentication: Authentication | undefined;
  if (source.sessions.kind === 'jwt') {
    const sub = read.token?.sub;
    if (typeof sub !== 'string') return null;
    userId = sub;
    const sessionEmail = read.session.user?.email;
    email = typeof sessionEmail === 'string' && sessionEmail !== '' ? sessionEmail : null;
    authentication = authenticationOfToken(read.token);
  } else {
    if (!read.user) return null;
    userId = read.user.id;
    email = read.user.email || null;
    if (read.sessionId !== undefined) authentication = await storedAuthentication(config, read.sessionId);
  }
  if (!authentication && read.sessionId !== undefined && config.sessionIndex.store) {
    const record = (await config.sessionIndex.store.listUserSessions(userId)).find((r) => r.id === read.sessionId);
    if (record) authentication = { authTime: Math.floor(record.createdAt.valueOf() / 1000), amr: [] };
  }
  return { userId, email, sessionId: read.sessionId, authentication: authentication ?? null, expires: new Date(read.session.expires) };
}
