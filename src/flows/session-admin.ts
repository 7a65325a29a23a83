// A signed-in user's own sessions, both strategies: list them with their devices, revoke one, revoke the others; and "sign out everywhere" for a user.
import type { ResolvedConfig } from '../config.js';
import type { AuthInstance, SessionSource } from '../context.js';
import { parseCookies } from '../core/cookies.js';
import { sessionIdForHandle, storedHandle } from '../core/session-token.js';
import { describeUserAgent } from '../core/user-agent.js';
import { cookieNamesOfRequest, schemeSourceOf } from './cookie-scheme.js';
import type { SessionRecord } from '../types.js';
import type { SessionInput } from './cookie-scheme.js';
import { forgetDatabaseSessions, revokeJwtSessions } from './session-index.js';
import { findSessionCookie } from './session/shape.js';
import { authenticatedCaller } from './step-up.js';
import { forgetTrustedDevices } from './two-factor-trust.js';
import type { AuthMethod } from '../core/amr.js';

export interface SessionInfo {
  /** Opaque: for `revokeSession`, never a usable token nor the stored value. */
  id: string;
  /** The session this request carries. */
  current: boolean;
  /** Null for a session the index never recorded (signed in before the index, or without a store). */
  createdAt: Date | null;
  lastActiveAt: Date | null;
  expires: Date;
  userAgent: string | null;
  ipAddress: string | null;
  /** The user agent as a person reads it: "Firefox 125", "iOS 17.4". */
  browser: string | null;
  os: string | null;
}

interface Caller {
  userId: string;
  /** The index id of the session the request carries. */
  currentId: string | undefined;
  /** Database strategy: the raw token of the current session. */
  token: string | undefined;
  /** When the current session ends, for an entry the index does not have. */
  expires: Date;
  email: string | null;
}

/** A listed session plus what revoking it needs (the stored handle of a database row). */
type Listed = SessionInfo & { handle?: string };

const emailOf = (session: { user?: { email?: unknown } }): string | null => (typeof session.user?.email === 'string' && session.user.email !== '' ? session.user.email : null);

/** The signed-in user of a request, read without writing anything; null when signed out (or revoked). */
async function callerOf(source: SessionSource): Promise<Caller | null> {
  const read = await source.sessions.read(source, { readOnly: true });
  if (!read.session) return null;
  if (source.sessions.kind === 'jwt') {
    const sub = read.token?.sub;
    if (typeof sub !== 'string') return null;
    return { userId: sub, currentId: read.sessionId, token: undefined, expires: new Date(read.session.expires), email: emailOf(read.session) };
  }
  if (!read.user || !read.sessionToken) return null;
  return { userId: read.user.id, currentId: read.sessionId, token: read.sessionToken, expires: new Date(read.session.expires), email: read.user.email || null };
}

/**
 * The signed-in user of a request and when they last authenticated (the sign-in, or a later
 * re-authentication: flows/step-up.ts; null when nothing recorded it), for actions that need a
 * recent sign-in. Null when signed out.
 */
export async function signedInCaller(source: SessionSource): Promise<{ userId: string; email: string | null; signedInAt: Date | null; amr: AuthMethod[]; sessionId: string | undefined } | null> {
  const me = await authenticatedCaller(source);
  if (!me) return null;
  const { authentication } = me;
  return { userId: me.userId, email: me.email, signedInAt: authentication ? new Date(authentication.authTime * 1000) : null, amr: authentication?.amr ?? [], sessionId: me.sessionId };
}

function entry(id: string, current: boolean, expires: Date, record: SessionRecord | undefined): SessionInfo {
  const userAgent = record?.userAgent ?? null;
  return {
    id,
    current,
    createdAt: record?.createdAt ?? null,
    lastActiveAt: record?.lastActiveAt ?? null,
    expires,
    userAgent,
    ipAddress: record?.ipAddress ?? null,
    ...describeUserAgent(userAgent),
  };
}

async function listFor(instance: AuthInstance, me: Caller): Promise<Listed[]> {
  const { config } = instance;
  const store = config.sessionIndex.store;
  const records = store ? await store.listUserSessions(me.userId) : [];
  const byId = new Map(records.map((record) => [record.id, record]));
  let listed: Listed[];
  if (config.strategy.kind === 'jwt') {
    listed = records.map((record) => entry(record.id, record.id === me.currentId, record.expires, record));
  } else {
    // The sessions table is the truth for database sessions; the index adds the device.
    const rows = (await config.stores.sessionLists?.listSessions(me.userId)) ?? [];
    listed = rows.map((row) => {
      const handle = storedHandle(row.sessionToken);
      const id = sessionIdForHandle(handle);
      return { ...entry(id, id === me.currentId, new Date(row.expires), byId.get(id)), handle };
    });
  }
  // The current session is always there, even when the index never saw it (a third-party adapter, no store).
  if (me.currentId !== undefined && !listed.some((session) => session.current)) {
    listed.unshift(entry(me.currentId, true, me.expires, byId.get(me.currentId)));
  }
  return listed;
}

/** The caller's sessions, the current one first; null when signed out. */
export async function listSessions(source: SessionSource): Promise<SessionInfo[] | null> {
  const me = await callerOf(source);
  if (!me) return null;
  const listed = await listFor(source, me);
  listed.sort((a, b) => Number(b.current) - Number(a.current) || (b.lastActiveAt?.valueOf() ?? 0) - (a.lastActiveAt?.valueOf() ?? 0));
  return listed.map(({ handle: _handle, ...info }) => info);
}

async function revoke(config: ResolvedConfig, me: Caller, targets: Listed[], reason: 'revoked' | 'revokedOthers'): Promise<void> {
  if (config.strategy.kind === 'jwt') {
    await revokeJwtSessions(config, { userId: me.userId, ids: targets.map((t) => t.id), reason });
    return;
  }
  const { store } = config.strategy;
  for (const target of targets) {
    // Only the current session can lack a handle (an adapter that cannot list): its own token deletes it.
    const handle = target.handle ?? me.token;
    if (handle !== undefined) await store.deleteSession(handle);
  }
  await forgetDatabaseSessions(config, { userId: me.userId, ids: targets.map((t) => t.id), reason });
}

export interface RevokeResult {
  /** How many sessions ended. */
  revoked: number;
  /** The request's own session was among them: its cookie should be cleared. */
  current: boolean;
}

/** Ends one of the caller's own sessions by id; null when signed out; `revoked: 0` when the id is not theirs. */
export async function revokeSession(source: SessionSource, id: string): Promise<RevokeResult | null> {
  const me = await callerOf(source);
  if (!me) return null;
  const target = (await listFor(source, me)).find((session) => session.id === id);
  if (!target) return { revoked: 0, current: false };
  await revoke(source.config, me, [target], 'revoked');
  return { revoked: 1, current: target.current };
}

/** Ends every session of the caller but the current one; null when signed out. */
export async function revokeOtherSessions(source: SessionSource): Promise<RevokeResult | null> {
  const me = await callerOf(source);
  if (!me) return null;
  const others = (await listFor(source, me)).filter((session) => !session.current);
  await revoke(source.config, me, others, 'revokedOthers');
  // Signing the other devices out also ends their "trust this device" (this browser signs in with a code again too).
  await forgetTrustedDevices(source.config, me.userId);
  return { revoked: others.length, current: false };
}

/**
 * "Sign out everywhere" for a user, by id, with no request needed: after a password reset or
 * change, an account takeover, an admin action. `exceptSessionId` keeps one (the caller's, after
 * a password change). JWT sessions need a store (only indexed sessions can be named); database
 * sessions need an adapter that lists them. Returns how many sessions ended.
 */
export async function revokeUserSessions(instance: AuthInstance, userId: string, options: { exceptSessionId?: string } = {}): Promise<number> {
  const { config } = instance;
  // "Sign out everywhere" also voids every trusted device: a taken-over account's devices ask for the code again.
  await forgetTrustedDevices(config, userId);
  const store = config.sessionIndex.store;
  const keep = (id: string) => id === options.exceptSessionId;
  if (config.strategy.kind === 'jwt') {
    const ids = store ? (await store.listUserSessions(userId)).map((record) => record.id).filter((id) => !keep(id)) : [];
    await revokeJwtSessions(config, { userId, ids, reason: 'revokedAll' });
    return ids.length;
  }
  const sessions = config.strategy.store;
  const rows = (await config.stores.sessionLists?.listSessions(userId)) ?? [];
  const ended: string[] = [];
  for (const row of rows) {
    const handle = storedHandle(row.sessionToken);
    const id = sessionIdForHandle(handle);
    if (keep(id)) continue;
    await sessions.deleteSession(handle);
    ended.push(id);
  }
  await forgetDatabaseSessions(config, { userId, ids: ended, reason: 'revokedAll' });
  return ended.length;
}

/**
 * Server functions get headers (or a Request), not a route context: the cookie names are those the
 * REST path would use for the same request (https: the prefixed ones only), never a fallback.
 */
export function sourceFromHeaders(instance: AuthInstance, input: SessionInput): SessionSource | null {
  const { config } = instance;
  const scheme = schemeSourceOf(input);
  const requestCookies = parseCookies(scheme.header('cookie'));
  const cookieNames = cookieNamesOfRequest(config, scheme);
  const source = { ...instance, requestCookies, cookieNames };
  return findSessionCookie(source) ? source : null;
}
