// POST `signup/password`: creates the user and its password and mails a verification link; an address that has an account gets a different mail and the same answer.
import type { PasswordProvider } from '../../config.js';
import { normalizeEmail } from '../../core/email-address.js';
import { hashPassword } from '../../core/password.js';
import { EmailCreateAccountError, EmailSigninError, EmailInUseError, InvalidCredentialsError } from '../../errors.js';
import type { RouteContext, RouteResult } from '../../context.js';
import type { AdapterUser } from '../../types.js';
import { fire } from '../events.js';
import { countEmailSend } from '../rate-limit.js';
import { callbackUrl } from '../request-state.js';
import { acceptablePassword, checkForm, field } from './checks.js';
import { emailBinding, issueLink } from './links.js';
import { pageUrl, sendPasswordMail, withQuery } from './mail.js';

const MAX_NAME = 256;

/** The declared extra fields, trimmed and bounded; a missing required one is refused like a bad address. */
export function extraFields(ctx: RouteContext, provider: PasswordProvider): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, spec] of Object.entries(provider.config.fields ?? {})) {
    const value = field(ctx, key).trim();
    if (value.length > (spec.maxLength ?? 256)) throw new EmailCreateAccountError(new Error(`sign-up field ${key} is too long`));
    if (value === '') {
      if (spec.required) throw new EmailCreateAccountError(new Error(`sign-up field ${key} is required`));
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** The "check your email" page: the same for a new address and one that has an account. */
export function checkEmailPage(ctx: RouteContext, provider: PasswordProvider, kind: 'signup' | 'reset'): string {
  return `${ctx.url.base}/verify-request?provider=${encodeURIComponent(provider.id)}&type=${kind}`;
}

/** Mails a fresh verification link to `user`. */
export async function sendVerificationMail(ctx: RouteContext, provider: PasswordProvider, user: AdapterUser): Promise<void> {
  const { token, expires } = await issueLink(provider, { purpose: 'verify-email', user, binding: emailBinding(user), maxAge: provider.verificationMaxAge });
  const url = withQuery(`${ctx.url.base}/verify-email`, { token });
  await sendPasswordMail(ctx, provider, { kind: 'verifyEmail', to: user.email, url, expires });
}

export async function passwordSignUp(ctx: RouteContext, provider: PasswordProvider): Promise<RouteResult> {
  await checkForm(ctx, provider, 'signUp');
  await callbackUrl(ctx);
  if (provider.config.allowSignUp === false) throw new InvalidCredentialsError({ provider: provider.id, cause: new Error('sign-up is off') });
  const email = normalizeEmail(ctx.body.email);
  if (!email) throw new EmailSigninError(new Error('not exactly one valid email address'));
  const name = field(ctx, 'name').trim().slice(0, MAX_NAME);
  const extras = extraFields(ctx, provider);
  // Policy and breach check first: their answers depend on the password alone, never on whether the address has an account.
  const password = await acceptablePassword(provider, field(ctx, 'password'), { email, name });
  // The mail limits (per address and IP) hold sign-up, so it cannot be used to flood someone's inbox.
  await countEmailSend(ctx, email);
  // Hashed before the lookup, so both branches cost one scrypt: timing does not tell which one ran.
  const hash = await hashPassword(password, provider.scrypt);
  const existing = await provider.users.getUserByEmail(email);
  if (existing) {
    if (!provider.enumerationSafe) throw new EmailInUseError({ provider: provider.id });
    await sendPasswordMail(ctx, provider, {
      kind: 'accountExists',
      to: existing.email,
      url: pageUrl(ctx, ctx.config.pages.signIn, '/signin'),
      expires: new Date(Date.now() + provider.resetMaxAge * 1000),
    });
    return { redirect: checkEmailPage(ctx, provider, 'signup') };
  }
  let user: AdapterUser;
  try {
    user = await provider.users.createUser({ ...extras, email, name: name === '' ? null : name, emailVerified: null, image: null } as Omit<AdapterUser, 'id'>);
  } catch (error) {
    // A parallel sign-up of the same address lost the race on the UNIQUE index: answer as for an existing one.
    if (await provider.users.getUserByEmail(email)) return { redirect: checkEmailPage(ctx, provider, 'signup') };
    throw new EmailCreateAccountError(error);
  }
  await provider.passwords.setPassword(user.id, hash);
  await fire(ctx.config, 'createUser', { user });
  await sendVerificationMail(ctx, provider, user);
  return { redirect: checkEmailPage(ctx, provider, 'signup') };
}
