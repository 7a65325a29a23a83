// "Trust this device": a sealed cookie, bound to the user, their enrolment and a per-user epoch, that skips the second step on this browser until it expires or the epoch is voided (sessions revoked, factor disabled or enrolled again).
import type { ResolvedConfig } from '../config.js';
import type { ResolvedTwoFactor } from '../config/two-factor.js';
import type { TwoFactorRecord } from '../adapters/types.js';
import { readChunked, writeChunked, type CookieAttributes, type SetCookie } from '../core/cookies.js';
import { randomToken } from '../core/crypto.js';
import { decryptToken, encryptToken } from '../core/jwt.js';
import type { RouteContext } from '../context.js';

/** The user's epoch lives in the lease store; deleting it voids every trusted device of the user at once. */
const epochKey = (userId: string) => `two-factor-trust:${userId}`;

/** `next-auth.two-factor-trust` (`__Secure-` on https), with the session cookie's attributes and the trust's lifetime. */
function trustCookie(ctx: RouteContext, seconds: number): { name: string; options: CookieAttributes } {
  const session = ctx.cookieNames.sessionToken;
  return { name: session.options.secure ? '__Secure-next-auth.two-factor-trust' : 'next-auth.two-factor-trust', options: { ...session.options, maxAge: seconds } };
}

/** The enrolment a cookie is bound to: a new one (enrolled again) has another creation time. */
const enrolmentMark = (enrolment: TwoFactorRecord) => new Date(enrolment.createdAt).valueOf();

/**
 * Whether this browser carries a valid trust cookie for `userId` and this very enrolment, sealed
 * under the current epoch. No epoch stored (voided, or never trusted) means no cookie is valid.
 */
export async function isTrustedDevice(ctx: RouteContext, twoFactor: ResolvedTwoFactor, userId: string, enrolment: TwoFactorRecord): Promise<boolean> {
  const trust = twoFactor.trust;
  if (!trust) return false;
  const { name } = trustCookie(ctx, trust.seconds);
  const { value } = readChunked(ctx.requestCookies as Map<string, string>, name);
  if (!value) return false;
  const payload = await decryptToken(value, trust.keys);
  const claims = payload?.trust as { userId?: unknown; epoch?: unknown; enrolment?: unknown } | undefined;
  if (!claims || claims.userId !== userId || claims.enrolment !== enrolmentMark(enrolment) || typeof claims.epoch !== 'string') return false;
  return (await twoFactor.spent.get(epochKey(userId))) === claims.epoch;
}

/**
 * After a second step with the box ticked: the cookie, sealed with the user's epoch (made on first
 * use). The epoch's lifetime is moved to outlast the new cookie, so it never lapses under a live one.
 */
export async function trustDeviceCookies(ctx: RouteContext, twoFactor: ResolvedTwoFactor, userId: string, enrolment: TwoFactorRecord): Promise<SetCookie[]> {
  const trust = twoFactor.trust;
  if (!trust) return [];
  const key = epochKey(userId);
  const ttlMs = (trust.seconds + 60) * 1000;
  await twoFactor.spent.add(key, randomToken(16), ttlMs);
  const epoch = await twoFactor.spent.get(key);
  if (epoch === null) return [];
  await twoFactor.spent.set(key, epoch, ttlMs);
  const sealed = await encryptToken({ trust: { userId, epoch, enrolment: enrolmentMark(enrolment) } }, trust.keys, trust.seconds);
  const { name, options } = trustCookie(ctx, trust.seconds);
  return writeChunked(name, sealed, options, readChunked(ctx.requestCookies as Map<string, string>, name).names);
}

/** Voids every trusted device of the user: called when their sessions are revoked and when the factor is disabled or enrolled again. */
export async function forgetTrustedDevices(config: ResolvedConfig, userId: string): Promise<void> {
  await config.twoFactor?.spent.delete(epochKey(userId));
}
