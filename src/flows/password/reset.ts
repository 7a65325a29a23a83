// Forgot, reset and change: the reset link mailed (always the same answer), spent to set a new password (unlock, every session revoked), and a signed-in change.
import type { PasswordProvider } from '../../config.js';
import { normalizeEmail } from '../../core/email-address.js';
import { hashPassword } from '../../core/password.js';
import { AuthError, EmailSigninError, InvalidCredentialsError, VerificationError } from '../../errors.js';
import type { RouteContext, RouteResult } from '../../context.js';
import type { AdapterUser } from '../../types.js';
import { fire } from '../events.js';
import { countEmailSend, reserveCredentialsAttempt } from '../rate-limit.js';
import { callbackUrl } from '../request-state.js';
import { revokeUserSessions } from '../session-admin.js';
import { completeSignIn } from '../sign-in.js';
import { acceptablePassword, checkForm, field } from './checks.js';
import { issueLink, linkUser, passwordBinding, spendLink } from './links.js';
import { pageUrl, resetFormUrl, sendPasswordMail, withQuery } from './mail.js';
import { checkEmailPage } from './sign-up.js';
import { checkPassword } from './verify.js';

/**
 * POST `password/forgot`. The answer is the same redirect whether or not the address has an
 * account, and the mail is handed to the sender without waiting for it: waiting would make the
 * known address answer a mail delivery later than the unknown one. A failed send is logged.
 */
export async function forgotPassword(ctx: RouteContext, provider: PasswordProvider): Promise<RouteResult> {
  await checkForm(ctx, provider, 'forgotPassword');
  const email = normalizeEmail(ctx.body.email);
  if (!email) throw new EmailSigninError(new Error('not exactly one valid email address'));
  await countEmailSend(ctx, email);
  const user = await provider.users.getUserByEmail(email);
  if (user) {
    const stored = await provider.passwords.getPassword(user.id);
    const { token, expires } = await issueLink(provider, { purpose: 'password-reset', user, binding: passwordBinding(stored?.hash), maxAge: provider.resetMaxAge });
    sendPasswordMail(ctx, provider, { kind: 'resetPassword', to: user.email, url: resetFormUrl(ctx, token), expires }).catch((error: unknown) => {
      ctx.config.logger.error('PASSWORD_RESET_EMAIL_ERROR', { error: error instanceof AuthError ? error.cause : error, providerId: provider.id });
    });
  }
  return { redirect: checkEmailPage(ctx, provider, 'reset') };
}

/** The user a submitted reset link names, or Verification (the form shows "this link is no longer valid"). */
async function resetUser(provider: PasswordProvider, token: string): Promise<AdapterUser> {
  const user = await linkUser(provider, token);
  if (!user) throw new VerificationError(new Error('reset link names no user'));
  return user;
}

/**
 * POST `password/reset`: the new password must pass the policy before the link is spent (a weak
 * one leaves the link usable for a second try). Spending it sets the password, which also clears
 * the failures and any lock; a reset proves the mailbox, so the address is marked verified. Then
 * every session of the user ends (whoever knew the old password is out) and the user is signed in
 * afresh, or sent to the sign-in page with `signInAfterReset: false`.
 */
export async function resetPassword(ctx: RouteContext, provider: PasswordProvider): Promise<RouteResult> {
  await checkForm(ctx, provider, 'resetPassword');
  await callbackUrl(ctx);
  const token = field(ctx, 'token');
  const user = await resetUser(provider, token);
  const attempt = await reserveCredentialsAttempt(ctx, `${provider.id}:reset:${user.id}`);
  const password = await acceptablePassword(provider, field(ctx, 'password'), user);
  const stored = await provider.passwords.getPassword(user.id);
  if (!(await spendLink(provider, { purpose: 'password-reset', user, token, binding: passwordBinding(stored?.hash) }))) {
    throw new VerificationError(new Error('reset link unknown, used, expired, or the password changed since'));
  }
  await provider.passwords.setPassword(user.id, await hashPassword(password, provider.scrypt));
  await attempt.succeeded();
  let current = user;
  if (!user.emailVerified) {
    current = await provider.users.updateUser({ id: user.id, emailVerified: new Date() });
    await fire(ctx.config, 'updateUser', { user: current });
  }
  await revokeUserSessions(ctx, user.id);
  if (provider.config.signInAfterReset === false) {
    return { redirect: withQuery(pageUrl(ctx, ctx.config.pages.signIn, '/signin'), { notice: 'reset' }) };
  }
  return completeSignIn(ctx, {
    provider,
    user: current,
    account: { providerAccountId: user.id, type: 'credentials', provider: provider.id },
    credentials: { email: user.email },
  });
}

/** The signed-in user of the request (the stored one) and the id of its session, or null. */
async function signedIn(ctx: RouteContext, provider: PasswordProvider): Promise<{ user: AdapterUser; sessionId: string | undefined } | null> {
  const read = await ctx.sessions.read(ctx, { readOnly: true });
  if (!read.session) return null;
  const id = ctx.sessions.kind === 'jwt' ? read.token?.sub : read.user?.id;
  const user = typeof id === 'string' ? await provider.users.getUser(id) : null;
  return user ? { user, sessionId: read.sessionId } : null;
}

/**
 * POST `password/change` (signed in): the current password is checked as at sign-in (lockout and
 * rate limits included, so a stolen session cannot guess it), the new one must pass the policy,
 * and every other session of the user ends; this one stays.
 */
export async function changePassword(ctx: RouteContext, provider: PasswordProvider): Promise<RouteResult> {
  await checkForm(ctx, provider, 'changePassword');
  const target = await callbackUrl(ctx);
  const me = await signedIn(ctx, provider);
  if (!me) throw new AuthError('SessionRequired');
  const attempt = await reserveCredentialsAttempt(ctx, `${provider.id}:${me.user.email}`);
  if (!(await checkPassword(ctx, provider, me.user, field(ctx, 'currentPassword')))) {
    throw new InvalidCredentialsError({ provider: provider.id });
  }
  await attempt.succeeded();
  const password = await acceptablePassword(provider, field(ctx, 'newPassword'), me.user);
  await provider.passwords.setPassword(me.user.id, await hashPassword(password, provider.scrypt));
  await revokeUserSessions(ctx, me.user.id, me.sessionId === undefined ? {} : { exceptSessionId: me.sessionId });
  return { redirect: target };
}
