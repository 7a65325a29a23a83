// Enrolling and managing a second factor while signed in (TOTP, or email codes: flows/email-factor.ts): enable (key, otpauth URI, QR), confirm with a first code (backup codes), status, new backup codes, disable.
import { encodeBase32NoPadding } from '@oslojs/encoding';
import type { ResolvedTwoFactor } from '../config/two-factor.js';
import { hashBackupCode, newBackupCodes, normalizeBackupCode } from '../core/backup-codes.js';
import { qrSvg } from '../core/qr-svg.js';
import { matchTotp, newTotpKey, totpUri } from '../core/totp.js';
import type { RouteContext, RouteResult } from '../context.js';
import { MissingCSRFError } from '../errors.js';
import { csrf } from './request-state.js';
import { forgetTrustedDevices } from './two-factor-trust.js';
import { signedInCaller } from './session-admin.js';
import { checkSecondFactor, reserveCodeAttempt, totpKeyOf } from './two-factor.js';
import { enableEmailFactor, isEmailFactor, spendAccountCode } from './email-factor.js';

type Caller = NonNullable<Awaited<ReturnType<typeof signedInCaller>>>;

/** The signed-in caller, or the answer that refuses: 404 when not configured, 403 without CSRF, 401 `{}` when signed out. */
async function callerOrRefusal(ctx: RouteContext, post: boolean): Promise<{ twoFactor: ResolvedTwoFactor; me: Caller } | RouteResult> {
  const twoFactor = ctx.config.twoFactor;
  if (!twoFactor) return { status: 404, json: { error: 'Second factors are not configured.' } };
  if (post && !csrf(ctx).verified) throw new MissingCSRFError();
  const me = await signedInCaller(ctx);
  if (!me) return { status: 401, json: {} };
  return { twoFactor, me };
}

/** Changing factors needs a sign-in younger than `twoFactor.recentSignIn`, so a stolen session cookie alone cannot. */
function recentEnough(twoFactor: ResolvedTwoFactor, me: Caller): boolean {
  return me.signedInAt !== null && Date.now() - me.signedInAt.valueOf() <= twoFactor.recentSignInMs;
}

const RECENT_REQUIRED: RouteResult = { status: 403, json: { error: 'RecentSignInRequired', message: 'Sign in again to change your second factor.' } };
const INVALID_CODE: RouteResult = { status: 400, json: { error: 'InvalidTwoFactorCode' } };

async function issueBackupCodes(twoFactor: ResolvedTwoFactor, userId: string): Promise<string[]> {
  const codes = newBackupCodes();
  await twoFactor.store.setBackupCodes(
    userId,
    codes.map((code) => hashBackupCode(normalizeBackupCode(code)!)),
  );
  return codes;
}

/** GET `two-factor/status` → `{ enabled, backupCodesLeft }`, and `method: 'email'` when email codes are the factor. */
export async function twoFactorStatus(ctx: RouteContext): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx, false);
  if (!('me' in found)) return found;
  const { twoFactor, me } = found;
  const enrolment = await twoFactor.store.getTwoFactor(me.userId);
  const enabled = enrolment?.enabled === true;
  // `method` only for email codes: a TOTP user's answer stays as it was.
  const method = enabled && isEmailFactor(enrolment) ? { method: 'email' } : {};
  return { json: { enabled, backupCodesLeft: enabled ? await twoFactor.store.countBackupCodes(me.userId) : 0, ...method } };
}

/**
 * POST `two-factor/enable` → `{ secret, otpauthUrl, qrSvg }`: a fresh key, stored sealed and not yet
 * active; the factor counts only after `two-factor/verify`. 409 when one is already active. With
 * `method: "email"` (and `twoFactor.emailCode`): email codes instead, a first code mailed now
 * (`{ method: 'email', sent: true }`), confirmed by `two-factor/verify` with `emailCode`.
 */
export async function enableTwoFactor(ctx: RouteContext): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx, true);
  if (!('me' in found)) return found;
  const { twoFactor, me } = found;
  if (!recentEnough(twoFactor, me)) return RECENT_REQUIRED;
  if ((await twoFactor.store.getTwoFactor(me.userId))?.enabled) return { status: 409, json: { error: 'TwoFactorAlreadyEnabled' } };
  if (ctx.body.method === 'email') {
    const started = await enableEmailFactor(ctx, twoFactor, me);
    if (started.status !== undefined) return started;
    await forgetTrustedDevices(ctx.config, me.userId);
    await twoFactor.store.setBackupCodes(me.userId, []);
    return started;
  }
  const key = newTotpKey();
  const secret = encodeBase32NoPadding(key);
  await twoFactor.store.saveTwoFactor({ userId: me.userId, secret: await twoFactor.box.seal(secret), enabled: false, lastStep: 0, createdAt: new Date() });
  // Devices trusted under an earlier enrolment are not trusted under this one.
  await forgetTrustedDevices(ctx.config, me.userId);
  await twoFactor.store.setBackupCodes(me.userId, []);
  const otpauthUrl = totpUri(twoFactor.issuer, me.email ?? me.userId, key);
  return { json: { secret, otpauthUrl, qrSvg: qrSvg(otpauthUrl) } };
}

/** POST `two-factor/verify` (`code`; `emailCode` for email codes): the first code turns the factor on and answers the ten backup codes, shown this once. */
export async function verifyTwoFactor(ctx: RouteContext): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx, true);
  if (!('me' in found)) return found;
  const { twoFactor, me } = found;
  const enrolment = await twoFactor.store.getTwoFactor(me.userId);
  if (!enrolment) return { status: 409, json: { error: 'TwoFactorNotStarted' } };
  if (enrolment.enabled) return { status: 409, json: { error: 'TwoFactorAlreadyEnabled' } };
  const attempt = await reserveCodeAttempt(twoFactor, me.userId);
  if (isEmailFactor(enrolment)) {
    if (!(await spendAccountCode(ctx, twoFactor, me.userId, ctx.body.emailCode))) return INVALID_CODE;
    await attempt.succeeded();
    await twoFactor.store.saveTwoFactor({ ...enrolment, enabled: true });
    return { json: { enabled: true, method: 'email', backupCodes: await issueBackupCodes(twoFactor, me.userId) } };
  }
  const key = await totpKeyOf(twoFactor, enrolment.secret);
  const step = key && typeof ctx.body.code === 'string' ? matchTotp(key, ctx.body.code, Date.now()) : null;
  if (step === null || !(await twoFactor.store.useTotpStep(me.userId, step))) return INVALID_CODE;
  await attempt.succeeded();
  await twoFactor.store.saveTwoFactor({ ...enrolment, enabled: true, lastStep: step });
  return { json: { enabled: true, backupCodes: await issueBackupCodes(twoFactor, me.userId) } };
}

/**
 * Changing an active factor: a recent sign-in, the factor on, and a fresh code or backup code
 * (counted against the code limit), then `act`.
 */
async function withFreshFactor(ctx: RouteContext, act: (twoFactor: ResolvedTwoFactor, userId: string) => Promise<RouteResult>): Promise<RouteResult> {
  const found = await callerOrRefusal(ctx, true);
  if (!('me' in found)) return found;
  const { twoFactor, me } = found;
  if (!recentEnough(twoFactor, me)) return RECENT_REQUIRED;
  const enrolment = await twoFactor.store.getTwoFactor(me.userId);
  if (!enrolment?.enabled) return { status: 409, json: { error: 'TwoFactorNotEnabled' } };
  const attempt = await reserveCodeAttempt(twoFactor, me.userId);
  // An email factor is re-proved by a fresh mailed code (POST `two-factor/email-code` while signed in) or a backup code.
  const emailed = isEmailFactor(enrolment) && ctx.body.emailCode !== undefined;
  if (!(emailed ? await spendAccountCode(ctx, twoFactor, me.userId, ctx.body.emailCode) : await checkSecondFactor(twoFactor, me.userId, ctx.body))) return INVALID_CODE;
  await attempt.succeeded();
  return act(twoFactor, me.userId);
}

/** POST `two-factor/backup-codes` (`code` or `backupCode`): ten new codes; every old one stops working. */
export function regenerateBackupCodes(ctx: RouteContext): Promise<RouteResult> {
  return withFreshFactor(ctx, async (twoFactor, userId) => ({ json: { backupCodes: await issueBackupCodes(twoFactor, userId) } }));
}

/** POST `two-factor/disable` (`code` or `backupCode`): needs a recent sign-in and a fresh factor, then removes it and its backup codes. */
export function disableTwoFactor(ctx: RouteContext): Promise<RouteResult> {
  return withFreshFactor(ctx, async (twoFactor, userId) => {
    await twoFactor.store.deleteTwoFactor(userId);
    await forgetTrustedDevices(ctx.config, userId);
    return { json: { enabled: false } };
  });
}
