// Server functions for a signed-in user's own database sessions: list them, revoke one, revoke all the others.
import type { ResolvedConfig } from '../config.js';
import { storedFormMatches, storedHandle } from '../core/session-token.js';
import { parseCookies, readChunked } from '../core/cookies.js';
import { readSession, type SessionSource } from './session.js';

export interface SessionInfo {
  /** An opaque handle for `revokeSession`: the stored (hashed) form, never a usable token. */
  id: string;
  expires: Date;
  /** The session this request carries. */
  current: boolean;
}

function requireDatabase(config: ResolvedConfig, method: string): void {
  if (config.strategy !== 'database' || !config.adapter?.listSessions || !config.adapter.deleteSessionsExcept) {
    throw new TypeError(`gatehouse: ${method}() needs database sessions and an adapter with listSessions/deleteSessionsExcept (the built-in adapters have them).`);
  }
}

/** The signed-in user and their raw session token, read without writing anything; null when signed out. */
async function current(config: ResolvedConfig, headers: Headers): Promise<{ userId: string; token: string } | null> {
  const requestCookies = parseCookies(headers.get('cookie'));
  for (const cookieNames of [config.cookies.secure, config.cookies.insecure]) {
    const { value } = readChunked(requestCookies, cookieNames.sessionToken.name);
    if (!value) continue;
    const source: SessionSource = { config, requestCookies, cookieNames };
    const read = await readSession(source, { readOnly: true });
    if (read.user && read.sessionToken) return { userId: read.user.id, token: read.sessionToken };
  }
  return null;
}

/** Each row with a public id (always a hash: a row next-auth stored raw must not leak its token) and the stored value. */
async function rowsOf(config: ResolvedConfig, headers: Headers): Promise<Array<SessionInfo & { stored: string }>> {
  requireDatabase(config, 'listSessions');
  const me = await current(config, headers);
  if (!me) return [];
  const rows = await config.adapter!.listSessions!(me.userId);
  return rows.map((row) => ({
    id: storedHandle(row.sessionToken),
    expires: new Date(row.expires),
    current: storedFormMatches(row.sessionToken, me.token),
    stored: row.sessionToken,
  }));
}

export async function listSessions(config: ResolvedConfig, headers: Headers): Promise<SessionInfo[]> {
  return (await rowsOf(config, headers)).map(({ id, expires, current }) => ({ id, expires, current }));
}

/** Revokes one of the caller's own sessions by id; false when it is not theirs (or already gone). */
export async function revokeSession(config: ResolvedConfig, headers: Headers, id: string): Promise<boolean> {
  const target = (await rowsOf(config, headers)).find((session) => session.id === id);
  if (!target) return false;
  await config.adapter!.deleteSession!(target.stored);
  return true;
}

/** Signs the caller out everywhere else; returns how many sessions ended. */
export async function revokeOtherSessions(config: ResolvedConfig, headers: Headers): Promise<number> {
  requireDatabase(config, 'revokeOtherSessions');
  const me = await current(config, headers);
  if (!me) return 0;
  const before = (await config.adapter!.listSessions!(me.userId)).length;
  await config.adapter!.deleteSessionsExcept!(me.userId, me.token);
  return before - (await config.adapter!.listSessions!(me.userId)).length;
}
