// What both session strategies share: the session cookie a read starts from, v4's default session user, and the session index record a sign-in writes.
import type { ResolvedConfig } from '../../config.js';
import type { Device, ReadOptions, SessionSource } from '../../context.js';
import { clearChunked, readChunked, type SetCookie } from '../../core/cookies.js';
import type { Session } from '../../types.js';

/** v4's default session user: from the token's `picture` (JWT) or the stored user's `image` (database). */
export function defaultSessionUser(source: { name?: unknown; email?: unknown; image?: unknown; picture?: unknown }, imageKey: 'picture' | 'image') {
  return { name: source.name, email: source.email, image: source[imageKey] } as Session['user'];
}

/** Records a new session in the index (when there is one), with the signing-in device. */
export async function saveRecord(config: ResolvedConfig, id: string, userId: string, expires: Date, device: Device | undefined): Promise<void> {
  const store = config.sessionIndex.store;
  if (!store) return;
  const now = new Date();
  await store.saveSession({ id, userId, createdAt: now, lastActiveAt: now, expires, userAgent: device?.userAgent ?? null, ipAddress: device?.ipAddress ?? null });
}

/**
 * The session cookie of a request: gatehouse's (v4's) name first, else next-auth v5's
 * (`authjs.session-token`, chunks joined), so a v5 app's users stay signed in after the switch.
 * `v5Name` says the value came from v5's cookie: a read then re-issues it under gatehouse's name,
 * and `names` (the chunks to clear) are v5's.
 */
export function findSessionCookie(source: SessionSource): { value: string; names: string[]; v5Name?: string } | undefined {
  const cookies = source.requestCookies as Map<string, string>;
  const own = readChunked(cookies, source.cookieNames.sessionToken.name);
  if (own.value) return { value: own.value, names: own.names };
  const v5Name = source.cookieNames.v5SessionToken;
  const v5 = readChunked(cookies, v5Name);
  return v5.value ? { value: v5.value, names: v5.names, v5Name } : undefined;
}

/**
 * The session cookie a read starts from (chunks joined), or undefined when the request has none, so an
 * anonymous read allocates nothing more. `clear` answers the cookies that end it, none for a read-only read.
 */
export function readSessionCookie(source: SessionSource, options: ReadOptions) {
  const { name, options: attributes } = source.cookieNames.sessionToken;
  const found = findSessionCookie(source);
  if (!found) return undefined;
  const { value, names, v5Name } = found;
  const clear = (): SetCookie[] => (options.readOnly ? [] : clearChunked(v5Name ?? name, attributes, names));
  return { name, attributes, names, value, v5Name, clear, nowMs: options.now ?? Date.now() };
}
