// POST `callback/password`: email and password checked against the adapter (lockout, rate limits), then the shared sign-in tail.
import type { PasswordProvider } from '../../config.js';
import { normalizeEmail } from '../../core/email-address.js';
import { isUnavailable } from '../../adapters/errors.js';
import { BadRequestError, EmailNotVerifiedError, InvalidCredentialsError, ServiceUnavailableError } from '../../errors.js';
import type { RouteContext, RouteResult } from '../../context.js';
import { reserveCredentialsAttempt } from '../rate-limit.js';
import { callbackUrl } from '../request-state.js';
import { completeSignIn } from '../sign-in.js';
import { checkForm, field } from './checks.js';
import { checkPassword } from './verify.js';

/** Sign-in failures keep v4's `error=CredentialsSignin` and add the reason as `code` (as Auth.js v5 does for its custom codes). */
function refused(provider: PasswordProvider, code: 'InvalidCredentials' | 'EmailNotVerified'): InvalidCredentialsError | EmailNotVerifiedError {
  const options = { provider: provider.id, reported: 'CredentialsSignin', detail: code };
  return code === 'InvalidCredentials' ? new InvalidCredentialsError(options) : new EmailNotVerifiedError(options);
}

export async function passwordCallback(ctx: RouteContext, provider: PasswordProvider): Promise<RouteResult> {
  if (ctx.method !== 'POST') throw new BadRequestError('Error: Password sign-in must be a POST.', 405);
  // Resolved first so the callback-url cookie is set on failure too, as for credentials.
  await callbackUrl(ctx);
  await checkForm(ctx, provider, 'signIn');
  const email = normalizeEmail(ctx.body.email);
  const password = field(ctx, 'password');
  // The per-IP and per-address limits (failed sign-ins), counted before any work; separate from the account lockout.
  const attempt = await reserveCredentialsAttempt(ctx, `${provider.id}:${email ?? field(ctx, 'email')}`);
  let user: Awaited<ReturnType<typeof provider.users.getUserByEmail>> = null;
  let matched = false;
  try {
    user = email ? await provider.users.getUserByEmail(email) : null;
    matched = await checkPassword(ctx, provider, user, password);
  } catch (error) {
    // The store is down: not a wrong password, so the attempt is given back (issue 22 item 3).
    if (isUnavailable(error)) {
      await attempt.release();
      throw new ServiceUnavailableError(error);
    }
    throw error;
  }
  if (!matched || !user) throw refused(provider, 'InvalidCredentials');
  await attempt.succeeded();
  // Only after the right password: telling "not verified" to anyone who types an address would list the accounts.
  if (provider.requireEmailVerification && !user.emailVerified) throw refused(provider, 'EmailNotVerified');
  return completeSignIn(ctx, {
    provider,
    user,
    account: { providerAccountId: user.id, type: 'credentials', provider: provider.id },
    credentials: { email: user.email },
  });
}
