// Email codes as a user's own second factor (no authenticator app) and for a signed-in user: the enrolment record, the signed-in user's mailed code (enrolment, disabling, reauthenticate), and its check.
import type { ResolvedTwoFactor } from '../config/two-factor.js';
import type { TwoFactorRecord } from '../adapters/types.js';
import type { RouteContext, RouteResult } from '../context.js';
import { requestLocale } from './locale.js';
import { EMAIL_CODE_SECONDS, issueCode, rateLimited, spendCode } from './mailed-code.js';
import { readPending, reserveCodeAttempt } from './two-factor.js';

/**
 * The `secret` of an email-code enrolment. A TOTP enrolment's secret is a sealed key (a compact JWE,
 * five dot-separated parts), so this literal never opens as one: every TOTP check fails on it by
 * construction, and the `gatehouse_two_factor` schema stays as it is on every adapter.
 */
export const EMAIL_FACTOR = 'email';

/** Whether the enrolment is email codes rather than an authenticator app. */
export const isEmailFactor = (record: TwoFactorRecord | null | undefined): boolean => record?.secret === EMAIL_FACTOR;

/** One live code per signed-in user, whatever asked for it: each proves the same thing (the inbox, now). */
const binding = (userId: string) => `account:${userId}`;
const storesOf = (twoFactor: ResolvedTwoFactor) => ({ leases: twoFactor.spent, attempts: twoFactor.attempts });

/**
 * Mails a code to the signed-in user (`twoFactor.emailCode`'s transport): `{ sent: true }`; 400
 * `EmailCodeUnavailable` without an address or transport; 429 past three sends per ten minutes.
 */
export async function mailAccountCode(ctx: RouteContext, twoFactor: ResolvedTwoFactor, me: { userId: string; email: string | null }): Promise<RouteResult> {
  const mail = twoFactor.emailCode;
  if (!mail || !me.email) return { status: 400, json: { error: 'EmailCodeUnavailable' } };
  const issued = await issueCode(storesOf(twoFactor), ctx.config.secrets[0], binding(me.userId));
  if ('retryAfter' in issued) return rateLimited(issued.retryAfter);
  const { text } = requestLocale(ctx);
  const host = new URL(ctx.url.origin).host;
  await mail.send({
    to: me.email,
    from: mail.from,
    subject: text.t('mail.accountCode.subject', { host }),
    text: `${text.t('mail.accountCode.lead', { host })}\n\n${issued.code}\n\n${text.t('mail.accountCode.foot', { duration: { seconds: EMAIL_CODE_SECONDS } })}\n`,
  });
  return { json: { sent: true } };
}

/** Whether `code` is the signed-in user's live mailed code (spent if so; 5 counted tries, 10 minutes). */
export function spendAccountCode(ctx: RouteContext, twoFactor: ResolvedTwoFactor, userId: string, code: unknown): Promise<boolean> {
  return spendCode(storesOf(twoFactor), ctx.config.secrets, binding(userId), code);
}

/**
 * POST `two-factor/enable` with `method: "email"`: email codes become the second factor once a first
 * mailed code confirms the inbox (POST `two-factor/verify` with `emailCode`), as a TOTP key counts
 * only after its first code. Answers `{ method: 'email', sent: true }`.
 */
export async function enableEmailFactor(ctx: RouteContext, twoFactor: ResolvedTwoFactor, me: { userId: string; email: string | null }): Promise<RouteResult> {
  if (!twoFactor.emailCode || !me.email) return { status: 400, json: { error: 'EmailCodeUnavailable' } };
  const sent = await mailAccountCode(ctx, twoFactor, me);
  if (sent.status !== undefined) return sent;
  await twoFactor.store.saveTwoFactor({ userId: me.userId, secret: EMAIL_FACTOR, enabled: false, lastStep: 0, createdAt: new Date() });
  return { json: { method: 'email', sent: true } };
}

/**
 * POST `reauthenticate`'s `emailCode`: the signed-in user's live mailed code (POST `two-factor/email-code`
 * while signed in), counted against the same per-user code limit as a TOTP code. Proves `otp`.
 */
export async function reauthenticatesByEmail(ctx: RouteContext, userId: string, code: unknown): Promise<boolean> {
  const twoFactor = ctx.config.twoFactor;
  if (!twoFactor?.emailCode) return false;
  const attempt = await reserveCodeAttempt(twoFactor, userId);
  if (!(await spendAccountCode(ctx, twoFactor, userId, code))) return false;
  await attempt.succeeded();
  return true;
}

/** Whether the request's pending sign-in is of a user whose second factor is email codes (the code page asks for those). */
export async function pendingByEmail(ctx: RouteContext): Promise<boolean> {
  const twoFactor = ctx.config.twoFactor;
  if (!twoFactor) return false;
  const open = await readPending(ctx, twoFactor);
  return open !== null && isEmailFactor(await twoFactor.store.getTwoFactor(open.pending.userId));
}
