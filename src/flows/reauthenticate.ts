// Re-authentication of a signed-in user (step-up): re-proving a password, a TOTP or backup code, an emailed code or a passkey moves the session's auth_time to now, without signing out.
import type { CredentialsProvider, PasswordProvider, ResolvedProvider } from '../config.js';
import { combineAmr, type AuthMethod } from '../core/amr.js';
import type { RouteContext, RouteResult } from '../context.js';
import { AccountLockedError, MissingCSRFError, RateLimitedError } from '../errors.js';
import { authorizeRequest } from './credentials.js';
import { checkPassword } from './password/verify.js';
import { reserveCredentialsAttempt } from './rate-limit.js';
import { provePasskey, wantsPasskey } from './reauth-passkey.js';
import { csrf, stringFields } from './request-state.js';
import { authenticatedCaller, type Authenticated } from './step-up.js';
import { checkSecondFactor, reserveCodeAttempt } from './two-factor.js';
import { reauthenticatesByEmail } from './email-factor.js';

const present = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The fields that name factors or the request, not credentials for `authorize()`. */
const NOT_CREDENTIALS = new Set(['csrfToken', 'code', 'backupCode', 'emailCode', 'passkey', 'provider', 'json', 'callbackUrl']);

type PasswordChecker = PasswordProvider | CredentialsProvider;

/** The provider that checks `password`: the one named, else the first Password provider, else the first Credentials one. */
function passwordProviderFor(ctx: RouteContext): PasswordChecker | undefined {
  const isChecker = (p: ResolvedProvider | undefined): p is PasswordChecker => p?.type === 'password' || p?.type === 'credentials';
  const named = ctx.body.provider;
  if (present(named)) {
    const provider = ctx.config.providerById.get(named);
    return isChecker(provider) ? provider : undefined;
  }
  return ctx.config.providers.find((p): p is PasswordProvider => p.type === 'password') ?? ctx.config.providers.find(isChecker);
}

/**
 * The password again, checked as at sign-in (rate limits, and the Password provider's lockout: a
 * stolen session cannot guess it). Credentials: `authorize()` gets the submitted fields (the
 * session's email filled in when the provider declares an `email` field) and must return the
 * signed-in user, by id.
 */
async function passwordMatches(ctx: RouteContext, me: Authenticated, provider: PasswordChecker): Promise<boolean> {
  const password = String(ctx.body.password);
  if (provider.type === 'password') {
    const user = await provider.users.getUser(me.userId);
    const attempt = await reserveCredentialsAttempt(ctx, `${provider.id}:${user?.email ?? me.userId}`);
    const ok = await checkPassword(ctx, provider, user, password);
    if (ok) await attempt.succeeded();
    return ok;
  }
  const fields = Object.fromEntries(Object.entries(stringFields(ctx.body)).filter(([key]) => !NOT_CREDENTIALS.has(key)));
  if (fields.email === undefined && me.email !== null && 'email' in provider.config.credentials) fields.email = me.email;
  const attempt = await reserveCredentialsAttempt(ctx, `${provider.id}:${fields.email ?? fields.username ?? me.userId}`);
  let user: Awaited<ReturnType<CredentialsProvider['config']['authorize']>>;
  try {
    user = await provider.config.authorize(fields, authorizeRequest(ctx));
  } catch {
    // As at sign-in: why authorize() refused stays in the app; the caller learns only that it did.
    return false;
  }
  const ok = user !== null && user !== undefined && String(user.id) === me.userId;
  if (ok) await attempt.succeeded();
  return ok;
}

const refused = (status: number, error: string): RouteResult => ({ status, json: { error } });

/**
 * POST `reauthenticate` (CSRF; signed in): `password` (with `provider` and the provider's other
 * fields when needed), `code` or `backupCode` (TOTP), `emailCode` (mailed by POST `two-factor/email-code` while signed in),
 * `passkey` (an assertion: flows/reauth-passkey.ts),
 * in any combination; every factor given must pass. The session keeps its id and records
 * `auth_time` now with the methods just proven (two factors given: `mfa`), so
 * `auth.requireRecentAuth` and the two-factor routes see a fresh sign-in.
 * Answers `{ authTime, amr }`; 400 `{ error }` (`CredentialsSignin`, `InvalidTwoFactorCode`,
 * `PasskeySignin`, `FactorRequired`), 401 `{}` signed out, 429 past the attempt limits.
 */
export async function reauthenticate(ctx: RouteContext): Promise<RouteResult> {
  try {
    return await reauthenticateOrThrow(ctx);
  } catch (error) {
    // A JSON route: limits answer 429 with Retry-After (RFC 6585 §4), not a redirect to the error page.
    if (error instanceof RateLimitedError || error instanceof AccountLockedError)
      return { status: 429, headers: { 'Retry-After': String(error.retryAfter) }, json: { error: error instanceof AccountLockedError ? 'AccountLocked' : 'RateLimited' } };
    throw error;
  }
}

async function reauthenticateOrThrow(ctx: RouteContext): Promise<RouteResult> {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const me = await authenticatedCaller(ctx);
  if (!me) return { status: 401, json: {} };
  const { body } = ctx;
  const wantsPassword = present(body.password);
  const wantsCode = present(body.code) || present(body.backupCode);
  const passkey = wantsPasskey(body);
  // A mailed code (flows/email-factor.ts) stands for the code when no TOTP or backup code is given.
  const wantsEmailCode = !wantsCode && present(body.emailCode);
  if (!wantsPassword && !wantsCode && !wantsEmailCode && !passkey) return refused(400, 'FactorRequired');

  const proven: AuthMethod[][] = [];
  if (wantsPassword) {
    const provider = passwordProviderFor(ctx);
    if (!provider || !(await passwordMatches(ctx, me, provider))) return refused(400, 'CredentialsSignin');
    proven.push(['pwd']);
  }
  if (wantsCode) {
    const twoFactor = ctx.config.twoFactor;
    const enrolment = twoFactor ? await twoFactor.store.getTwoFactor(me.userId) : null;
    if (!twoFactor || !enrolment?.enabled) return refused(400, 'InvalidTwoFactorCode');
    const attempt = await reserveCodeAttempt(twoFactor, me.userId);
    if (!(await checkSecondFactor(twoFactor, me.userId, body))) return refused(400, 'InvalidTwoFactorCode');
    await attempt.succeeded();
    proven.push(['otp']);
  }
  if (wantsEmailCode) {
    if (!(await reauthenticatesByEmail(ctx, me.userId, body.emailCode))) return refused(400, 'InvalidTwoFactorCode');
    proven.push(['otp']);
  }
  if (passkey) {
    const methods = await provePasskey(ctx, me);
    if (!methods) return refused(400, 'PasskeySignin');
    proven.push(methods);
  }
  const authentication = { authTime: Math.floor(Date.now() / 1000), amr: combineAmr(proven[0]!, proven.slice(1).flat()) };
  const cookies = await ctx.sessions.restamp(ctx, authentication, me.expires);
  return { json: { authTime: authentication.authTime, amr: authentication.amr }, cookies };
}
