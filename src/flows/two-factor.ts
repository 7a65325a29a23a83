// The second step of a sign-in: after any first factor, a user with a confirmed enrolment (TOTP, or email codes) gets a sealed pending sign-in instead of a session, completed by POST `callback/two-factor`.
import type { ResolvedTwoFactor } from '../config/two-factor.js';
import { clearChunked, readChunked, writeChunked, type CookieAttributes, type SetCookie } from '../core/cookies.js';
import { randomToken } from '../core/crypto.js';
import { hashBackupCode, normalizeBackupCode } from '../core/backup-codes.js';
import { decryptToken, encryptToken } from '../core/jwt.js';
import { matchTotp } from '../core/totp.js';
import { amrOf, combineAmr, type AuthMethod } from '../core/amr.js';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { RouteContext, RouteResult, StartSession } from '../context.js';
import { MissingCSRFError, RateLimitedError } from '../errors.js';
import type { Account, AdapterUser, Profile, User } from '../types.js';
import { fire } from './events.js';
import { csrf } from './request-state.js';
import { deviceOf } from './session-index.js';
import { isTrustedDevice, trustDeviceCookies } from './two-factor-trust.js';
import { checkEmailCode, mailPendingCode } from './email-code.js';
import { isEmailFactor } from './email-factor.js';

/** A pending sign-in lasts this long: time to open the app and type a code, not to wait for a stolen cookie. */
export const PENDING_SECONDS = 5 * 60;
/** The longest a pending sign-in can live: an email code's 10 minutes (EMAIL_CODE_SECONDS in flows/mailed-code.ts) re-seal it for that long. */
export const PENDING_MAX_SECONDS = 10 * 60;
/** Code attempts per user and window, whichever pending sign-in they come from: 5 guesses in a million-code space. */
const ATTEMPTS = { limit: 5, window: 5 * 60 };

export interface Pending {
  /** Single use: marked spent when it completes. */
  jti: string;
  userId: string;
  provider: string;
  user: User | AdapterUser;
  account: Account | null;
  profile?: Profile;
  isNewUser: boolean;
  target: string;
  /** The first factor's methods (RFC 8176), combined with the second step's when it completes. */
  amr?: AuthMethod[];
}

/** `next-auth.two-factor` (`__Secure-` on https), with the session cookie's attributes and the pending lifetime. */
function pendingCookie(ctx: RouteContext): { name: string; options: CookieAttributes } {
  const session = ctx.cookieNames.sessionToken;
  return { name: session.options.secure ? '__Secure-next-auth.two-factor' : 'next-auth.two-factor', options: { ...session.options, maxAge: PENDING_SECONDS } };
}

/** The key of a stored enrolment, opened with the instance secret; null when it no longer opens (a secret removed from rotation). */
export async function totpKeyOf(twoFactor: ResolvedTwoFactor, sealed: string): Promise<Uint8Array | null> {
  const opened = await twoFactor.box.open(sealed);
  if (!opened) return null;
  try {
    return decodeBase32IgnorePadding(opened.plaintext);
  } catch {
    return null;
  }
}

/**
 * Called by the sign-in tail once the user is known: undefined when no second factor is due (the
 * session starts as before), else the redirect to the code page with the pending cookie. The page
 * URL carries `error=TwoFactorRequired`, which a `redirect: false` client reports as its error.
 */
export async function requireSecondFactor(ctx: RouteContext, start: StartSession, provider: string, target: string): Promise<RouteResult | undefined> {
  const twoFactor = ctx.config.twoFactor;
  const userId = start.user.id;
  if (!twoFactor || typeof userId !== 'string' || userId === '') return undefined;
  const enrolment = await twoFactor.store.getTwoFactor(userId);
  if (!enrolment?.enabled) return undefined;
  // Email codes as the second factor after an email sign-in (link or code): that proved the inbox already.
  const byEmail = isEmailFactor(enrolment);
  if (byEmail && ctx.config.providerById.get(provider)?.type === 'email') return undefined;
  // A browser the user chose to trust (and whose trust was not voided since) skips the code.
  if (await isTrustedDevice(ctx, twoFactor, userId, enrolment)) return undefined;
  const pending: Pending = {
    jti: randomToken(16),
    userId,
    provider,
    user: start.user,
    account: start.account,
    ...(start.profile ? { profile: start.profile } : {}),
    isNewUser: start.isNewUser,
    target,
    amr: start.authentication?.amr ?? [],
  };
  const params = new URLSearchParams({ error: 'TwoFactorRequired', callbackUrl: target });
  if (byEmail) {
    // Email codes are this user's second factor: the first code goes at once (`sent=email`). When it
    // cannot (the send limit, a mail outage), the page offers the button and the backup codes.
    const sent = await mailPendingCode(ctx, twoFactor, pending).catch((error: unknown) => {
      ctx.config.logger.error('EMAIL_CODE_SEND_ERROR', error);
      return undefined;
    });
    if (sent && sent.status === undefined) {
      params.set('sent', 'email');
      return { redirect: `${ctx.url.base}/two-factor?${params}`, cookies: sent.cookies ?? [] };
    }
  }
  return { redirect: `${ctx.url.base}/two-factor?${params}`, cookies: await pendingCookies(ctx, twoFactor, pending, PENDING_SECONDS) };
}

/** Seals the pending sign-in into its cookie for `seconds` (re-sealed for longer when an email code is sent). */
export async function pendingCookies(ctx: RouteContext, twoFactor: ResolvedTwoFactor, pending: Pending, seconds: number): Promise<SetCookie[]> {
  const { name, options } = pendingCookie(ctx);
  const sealed = await encryptToken({ pending } as Record<string, unknown>, twoFactor.pendingKeys, seconds);
  const seen = readChunked(ctx.requestCookies as Map<string, string>, name).names;
  return writeChunked(name, sealed, { ...options, maxAge: seconds }, seen);
}

/** The open pending sign-in of this request, or null (none, expired, tampered, sealed with a removed secret). */
export async function readPending(ctx: RouteContext, twoFactor: ResolvedTwoFactor): Promise<{ pending: Pending; names: string[] } | null> {
  const { name } = pendingCookie(ctx);
  const { value, names } = readChunked(ctx.requestCookies as Map<string, string>, name);
  const payload = await decryptToken(value, twoFactor.pendingKeys);
  const pending = payload?.pending as Pending | undefined;
  if (!pending || typeof pending.userId !== 'string' || typeof pending.jti !== 'string') return null;
  return { pending, names };
}

/**
 * Ends a pending sign-in another way (a passkey of its user, itself two factors): marks it spent, so
 * a copy of the cookie completes nothing, and answers the cookies that clear it.
 */
export async function spendPending(ctx: RouteContext, twoFactor: ResolvedTwoFactor, open: { pending: Pending; names: string[] }): Promise<SetCookie[]> {
  await twoFactor.spent.add(`two-factor-pending:${open.pending.jti}`, '1', PENDING_MAX_SECONDS * 1000);
  const { name, options } = pendingCookie(ctx);
  return clearChunked(name, options, open.names);
}

/** Checks a TOTP code (spending its step) or a backup code (spending it) of `userId`: which one passed, or null. */
export async function checkSecondFactor(twoFactor: ResolvedTwoFactor, userId: string, body: Readonly<Record<string, unknown>>): Promise<'otp' | 'backup' | null> {
  const enrolment = await twoFactor.store.getTwoFactor(userId);
  if (!enrolment) return null;
  if (typeof body.code === 'string' && body.code !== '') {
    const key = await totpKeyOf(twoFactor, enrolment.secret);
    const step = key ? matchTotp(key, body.code, Date.now()) : null;
    // The step is spent atomically: a replayed code (or its parallel twin) finds it used.
    return step !== null && (await twoFactor.store.useTotpStep(userId, step)) ? 'otp' : null;
  }
  const backup = normalizeBackupCode(body.backupCode);
  if (backup && enrolment.enabled) return (await twoFactor.store.useBackupCode(userId, hashBackupCode(backup))) ? 'backup' : null;
  return null;
}

/**
 * Counts one code attempt of the user before the code is checked (so parallel guesses each take a
 * count), refusing past the limit with the wait (RFC 6585 §4: 429 and Retry-After). `succeeded()`
 * forgives the user's failures once a code is right.
 */
export async function reserveCodeAttempt(twoFactor: ResolvedTwoFactor, userId: string): Promise<{ succeeded(): Promise<void> }> {
  const key = `two-factor:${userId}`;
  const state = await twoFactor.attempts.hit(key, ATTEMPTS.window);
  if (state.count > ATTEMPTS.limit) {
    await twoFactor.attempts.refund(key);
    throw new RateLimitedError(Math.max(1, Math.ceil((state.resetAt - Date.now()) / 1000)));
  }
  return { succeeded: () => twoFactor.attempts.reset(key) };
}

/**
 * POST `callback/two-factor` (CSRF; `code`, or `backupCode`): completes the pending sign-in with
 * the session the first factor would have started. A wrong code sends back to the code page with
 * `error=InvalidTwoFactorCode`; no (or an expired) pending sign-in to the sign-in page.
 */
export async function completeSecondFactor(ctx: RouteContext): Promise<RouteResult> {
  const twoFactor = ctx.config.twoFactor;
  if (!twoFactor) return { status: 404, json: { error: 'Second factors are not configured.' } };
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const open = await readPending(ctx, twoFactor);
  if (!open) return { redirect: `${ctx.url.base}/signin?${new URLSearchParams({ error: 'TwoFactorExpired' })}` };
  const { pending, names } = open;
  const { name, options } = pendingCookie(ctx);
  const cleared = clearChunked(name, options, names);
  const expired = { redirect: `${ctx.url.base}/signin?${new URLSearchParams({ error: 'TwoFactorExpired' })}`, cookies: cleared };
  // Single use: a copy of a completed pending sign-in is refused before it can spend a code.
  const spentKey = `two-factor-pending:${pending.jti}`;
  if ((await twoFactor.spent.get(spentKey)) !== null) return expired;
  const attempt = await reserveCodeAttempt(twoFactor, pending.userId);
  // An emailed code (the fallback for a lost phone), else the TOTP or backup code.
  const factor = ctx.body.emailCode !== undefined ? ((await checkEmailCode(ctx, twoFactor, pending, ctx.body.emailCode)) ? 'otp' : null) : await checkSecondFactor(twoFactor, pending.userId, ctx.body);
  if (!factor) {
    const params = new URLSearchParams({ error: 'InvalidTwoFactorCode', callbackUrl: pending.target });
    return { redirect: `${ctx.url.base}/two-factor?${params}` };
  }
  // Of two copies completing at once, one wins the add; the other gets no session.
  if (!(await twoFactor.spent.add(spentKey, '1', PENDING_MAX_SECONDS * 1000))) return expired;
  await attempt.succeeded();
  const start: StartSession = {
    user: pending.user,
    account: pending.account,
    ...(pending.profile ? { profile: pending.profile } : {}),
    isNewUser: pending.isNewUser,
    device: deviceOf(ctx),
    // A TOTP or backup code is a one-time password (RFC 8176 §2 `otp`); with the first factor, two.
    authentication: { authTime: Math.floor(Date.now() / 1000), amr: combineAmr(amrOf(pending.amr), ['otp']) },
  };
  const sessionCookies = await ctx.sessions.start(ctx, start);
  await fire(ctx.config, 'signIn', { user: pending.user, account: pending.account, profile: pending.profile, isNewUser: pending.isNewUser });
  const trusted = wantsTrust(ctx.body.trustDevice) ? await trustOnCompletion(ctx, twoFactor, pending.userId) : [];
  return { redirect: pending.target, cookies: [...cleared, ...sessionCookies, ...trusted] };
}

/** The checkbox's value as a form (`on`, or the `value` given) or JSON (`true`) sends it. */
const wantsTrust = (value: unknown) => value === true || value === 'true' || value === 'on' || value === '1';

async function trustOnCompletion(ctx: RouteContext, twoFactor: ResolvedTwoFactor, userId: string) {
  const enrolment = await twoFactor.store.getTwoFactor(userId);
  return enrolment?.enabled ? trustDeviceCookies(ctx, twoFactor, userId, enrolment) : [];
}
