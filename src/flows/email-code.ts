// Email one-time codes as a fallback second step: POST `two-factor/email-code` mails 6 digits bound to the pending sign-in (10 minutes, 5 tries, stored as an HMAC), checked by POST `callback/two-factor` with `emailCode`.
import type { ResolvedTwoFactor } from '../config/two-factor.js';
import { hmacSha256Hex, safeEqual } from '../core/crypto.js';
import type { RouteContext, RouteResult } from '../context.js';
import { MissingCSRFError } from '../errors.js';
import { requestLocale } from './locale.js';
import { csrf } from './request-state.js';
import { pendingCookies, readPending, type Pending } from './two-factor.js';
import { EMAIL_CODE_ATTEMPTS, EMAIL_CODE_SECONDS, newEmailCode, rateLimited } from './mailed-code.js';
import { mailAccountCode } from './email-factor.js';
import { signedInCaller } from './session-admin.js';

/** Sends per user and window: against mail bombing through someone else's password. */
const SENDS = { limit: 3, window: 10 * 60 };

const codeKey = (jti: string) => `email-code:${jti}`;
const attemptsKey = (jti: string) => `email-code-attempts:${jti}`;

/** Stored as an HMAC under the instance secret and the pending sign-in's id: a store leak gives no code, and a code fits one sign-in only. */
function codeHash(secret: string, jti: string, code: string): string {
  return hmacSha256Hex(secret, `gatehouse-auth email code:${jti}:${code}`);
}

/** A magic link proved the inbox already: a code to the same inbox is not a second factor. */
function cameByEmail(ctx: RouteContext, pending: Pending): boolean {
  return ctx.config.providerById.get(pending.provider)?.type === 'email';
}

/**
 * POST `two-factor/email-code` (CSRF; a pending sign-in): mails a new code to the pending user's
 * address, voiding any earlier one, and extends the pending sign-in to the code's ten minutes. `{ sent: true }`; 400 `EmailCodeUnavailable` when the user has no
 * address or signed in by email; 429 past three sends per ten minutes. Without a pending sign-in but
 * signed in (JSON only): a code for the signed-in user (flows/email-factor.ts), for `reauthenticate`
 * and for changing an email second factor.
 */
export async function sendEmailCode(ctx: RouteContext): Promise<RouteResult> {
  const answer = await sendEmailCodeJson(ctx);
  if (ctx.body.page !== '1') return answer;
  // The built-in page's button (`page=1`): back to the code page, with the field for the code or the reason there is none.
  const params = new URLSearchParams({ callbackUrl: typeof ctx.body.callbackUrl === 'string' ? ctx.body.callbackUrl : ctx.url.base });
  const status = answer.status ?? 200;
  if (status === 200) params.set('sent', 'email');
  else if (status === 400 && (answer.json as { error?: string }).error === 'TwoFactorExpired') return { redirect: `${ctx.url.base}/signin?${new URLSearchParams({ error: 'TwoFactorExpired' })}` };
  else params.set('error', status === 429 ? 'RateLimited' : 'EmailCodeUnavailable');
  return { redirect: `${ctx.url.base}/two-factor?${params}`, cookies: answer.cookies ?? [] };
}

async function sendEmailCodeJson(ctx: RouteContext): Promise<RouteResult> {
  const twoFactor = ctx.config.twoFactor;
  const mail = twoFactor?.emailCode;
  if (!twoFactor || !mail) return { status: 404, json: { error: 'Email codes are not configured.' } };
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const open = await readPending(ctx, twoFactor);
  if (!open) {
    // No sign-in under way but a session: a code for the signed-in user (reauthenticate, an email second factor's changes).
    const me = ctx.body.page === '1' ? null : await signedInCaller(ctx);
    return me ? mailAccountCode(ctx, twoFactor, me) : { status: 400, json: { error: 'TwoFactorExpired' } };
  }
  return mailPendingCode(ctx, twoFactor, open.pending);
}

/**
 * Mails a new code for the pending sign-in (voiding an earlier one) and re-seals it for the code's
 * ten minutes: `{ sent: true }` with the cookies; 400 `EmailCodeUnavailable`, 429 past the sends.
 * Also called at the first factor when email codes are the user's own second factor.
 */
export async function mailPendingCode(ctx: RouteContext, twoFactor: ResolvedTwoFactor, pending: Pending): Promise<RouteResult> {
  const mail = twoFactor.emailCode;
  const to = typeof pending.user.email === 'string' && pending.user.email !== '' ? pending.user.email : undefined;
  if (!mail) return { status: 400, json: { error: 'EmailCodeUnavailable' } };
  if (!to || cameByEmail(ctx, pending)) return { status: 400, json: { error: 'EmailCodeUnavailable' } };
  const sendKey = `email-code-send:${pending.userId}`;
  const sends = await twoFactor.attempts.hit(sendKey, SENDS.window);
  // A JSON route: the wait as 429 and Retry-After (RFC 6585 §4), not a redirect to the error page.
  if (sends.count > SENDS.limit) return rateLimited(Math.max(1, Math.ceil((sends.resetAt - Date.now()) / 1000)));

  const code = newEmailCode();
  await twoFactor.spent.set(codeKey(pending.jti), codeHash(ctx.config.secrets[0], pending.jti, code), EMAIL_CODE_SECONDS * 1000);
  await twoFactor.attempts.reset(attemptsKey(pending.jti));
  const { text } = requestLocale(ctx);
  const host = new URL(ctx.url.origin).host;
  const duration = { seconds: EMAIL_CODE_SECONDS };
  await mail.send({
    to,
    from: mail.from,
    subject: text.t('mail.twoFactorCode.subject', { host }),
    text: `${text.t('mail.twoFactorCode.lead', { host })}\n\n${code}\n\n${text.t('mail.twoFactorCode.foot', { duration })}\n`,
  });
  // The pending sign-in (five minutes) is re-sealed to live as long as the code.
  return { json: { sent: true }, cookies: await pendingCookies(ctx, twoFactor, pending, EMAIL_CODE_SECONDS) };
}

/**
 * Whether `code` is the one mailed for this pending sign-in. Each try is counted first (one atomic
 * hit: parallel guesses each take one); past five the code is deleted, so even the right one fails.
 * A right code is deleted too: single use.
 */
export async function checkEmailCode(ctx: RouteContext, twoFactor: ResolvedTwoFactor, pending: Pending, code: unknown): Promise<boolean> {
  if (!twoFactor.emailCode || typeof code !== 'string' || cameByEmail(ctx, pending)) return false;
  const tries = await twoFactor.attempts.hit(attemptsKey(pending.jti), EMAIL_CODE_SECONDS);
  if (tries.count > EMAIL_CODE_ATTEMPTS) {
    await twoFactor.spent.delete(codeKey(pending.jti));
    return false;
  }
  const stored = await twoFactor.spent.get(codeKey(pending.jti));
  const digits = code.replace(/\s/g, '');
  if (stored === null || !/^\d{6}$/.test(digits)) return false;
  // Every secret in rotation: a code mailed just before a rotation still works.
  const ok = ctx.config.secrets.some((secret) => safeEqual(codeHash(secret, pending.jti, digits), stored));
  if (ok) await twoFactor.spent.delete(codeKey(pending.jti));
  return ok;
}
