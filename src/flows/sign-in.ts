// What every provider does once it knows who the user is: the signIn callback, account linking, the session, events, the redirect.
import type { EmailProvider, OAuthProvider, ResolvedProvider } from '../config.js';
import { AccessDeniedError, AuthError, CallbackError, EmailCreateAccountError, OAuthAccountNotLinkedError, OAuthCreateAccountError } from '../errors.js';
import type { RouteContext, RouteResult, StartSession } from '../context.js';
import { combineAmr, factorCount, type AuthMethod } from '../core/amr.js';
import { sha256Hex } from '../core/crypto.js';
import type { NewAccount } from '../adapters/types.js';
import type { Account, AdapterUser, Profile, User } from '../types.js';
import { applyRedirectCallback, callbackUrl, rotateCsrf } from './request-state.js';
import { fire } from './events.js';
import { deviceOf } from './session-index.js';
import { requireSecondFactor } from './two-factor.js';

export interface Identified {
  provider: ResolvedProvider;
  /** The user as the provider describes them (profile() result, authorize() result, or the email placeholder). */
  user: User;
  account: Account;
  profile?: Profile;
  /** Credentials sign-ins pass the submitted fields to the signIn callback, as v4. */
  credentials?: Record<string, unknown>;
  /** Set cookies that must go out with the result (e.g. cleared OAuth check cookies). */
  cookies?: RouteResult['cookies'];
  /**
   * The RFC 8176 methods this first factor proved (core/amr.ts); default by provider type
   * (`pwd` for credentials and password, `otp` for email, `ext` for OAuth/OIDC). A passkey passes
   * `['hwk', 'user']`: two factors at once, so no second step follows.
   */
  amr?: readonly AuthMethod[];
  /** A sign-up's user, created only once the signIn callback allowed it (a passkey sign-up: flows/passkey-signup.ts). */
  signUp?: () => Promise<AdapterUser>;
}

/** What a provider type proves when its flow does not say: see core/amr.ts for the choice of values. */
function defaultAmr(provider: ResolvedProvider): AuthMethod[] {
  switch (provider.type) {
    case 'credentials':
    case 'password':
      return ['pwd'];
    case 'email':
      return ['otp'];
    case 'oauth':
    case 'oidc':
      return ['ext'];
    default:
      return [];
  }
}

/**
 * What a throwing signIn callback puts in `?error=`: its message, as v4 does, so apps can send
 * their own codes (`EmailNotVerified`) to their error page. The built-in pages never show it.
 */
function thrownCode(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return message ? message : undefined;
}

/**
 * The signIn callback: `false` refuses with AccessDenied, a throw with its message as the code; a
 * string is a redirect, which gatehouse passes through the redirect callback like every other target.
 */
export async function runSignInCallback(ctx: RouteContext, params: Parameters<RouteContext['config']['callbacks']['signIn']>[0]): Promise<string | undefined> {
  let verdict: boolean | string;
  try {
    verdict = await ctx.config.callbacks.signIn(params);
  } catch (error) {
    const reported = thrownCode(error);
    throw new AccessDeniedError({ cause: error, ...(reported === undefined ? {} : { reported }) });
  }
  if (verdict === false) throw new AccessDeniedError();
  if (typeof verdict === 'string') return applyRedirectCallback(ctx, verdict);
  return undefined;
}

/** The email flow's user: found by address and marked verified, or created verified. */
async function emailUser(ctx: RouteContext, provider: EmailProvider, input: Identified): Promise<{ user: AdapterUser; isNewUser: boolean }> {
  const { users } = provider;
  const email = String(input.user.email);
  const existing = await users.getUserByEmail(email);
  if (existing) {
    const updated = await users.updateUser({ id: existing.id, emailVerified: new Date() });
    await fire(ctx.config, 'updateUser', { user: updated });
    return { user: updated, isNewUser: false };
  }
  let created: AdapterUser;
  try {
    created = await users.createUser({ email, emailVerified: new Date() });
  } catch (error) {
    throw new EmailCreateAccountError(error);
  }
  await fire(ctx.config, 'createUser', { user: created });
  return { user: created, isNewUser: true };
}

/**
 * v4's callback handler (packages/next-auth/src/core/lib/callback-handler.ts on branch v4), with two deliberate differences: dangerous email linking is not reported as a new user
 * (no createUser event for a user that already existed), and the result is explicit. `known` is
 * the user the account already belongs to, looked up once for the signIn callback.
 */
async function oauthUser(ctx: RouteContext, provider: OAuthProvider, linking: NonNullable<OAuthProvider['linking']>, input: Identified, known: AdapterUser | null): Promise<{ user: AdapterUser; isNewUser: boolean }> {
  const { users, accounts } = linking;
  const { account } = input;
  const signedIn = await ctx.sessions.currentUser(ctx);
  if (known) {
    if (signedIn && signedIn.id !== known.id) throw new OAuthAccountNotLinkedError(new Error('account belongs to another user'));
    return { user: known, isNewUser: false };
  }
  const link = async (user: AdapterUser) => {
    await accounts.linkAccount({ ...account, userId: user.id });
    await fire(ctx.config, 'linkAccount', { user, account, profile: input.user });
  };
  if (signedIn) {
    await link(signedIn);
    return { user: signedIn, isNewUser: false };
  }
  const email = typeof input.user.email === 'string' ? input.user.email : undefined;
  const byEmail = email ? await users.getUserByEmail(email) : null;
  if (byEmail) {
    if (provider.config.allowDangerousEmailAccountLinking !== true) {
      // A sign-up of this very provider account that was interrupted between its writes left this
      // user: completed now, rather than the person being locked out with OAuthAccountNotLinked.
      if (!(email && byEmail.emailVerified == null && (await takeSignUpMarker(linking, account, email)))) {
        throw new OAuthAccountNotLinkedError(new Error('another account uses this email'));
      }
      await link(byEmail);
      return { user: byEmail, isNewUser: true };
    }
    await link(byEmail);
    return { user: byEmail, isNewUser: false };
  }
  const { id: _providerId, ...profileUser } = input.user;
  // No email stays null: '' would collide on the users.email UNIQUE index for the second such user.
  const fresh = { ...profileUser, email: email ?? null, emailVerified: null } as unknown as Omit<AdapterUser, 'id'>;
  if (linking.signUps) {
    let created: AdapterUser;
    try {
      created = (await linking.signUps.createUserWithAccount(fresh, account as NewAccount)).user;
    } catch (error) {
      throw new OAuthCreateAccountError(error);
    }
    await fire(ctx.config, 'createUser', { user: created });
    await fire(ctx.config, 'linkAccount', { user: created, account, profile: input.user });
    return { user: created, isNewUser: true };
  }
  // An adapter with one write per call: the sign-up is noted first, so if the process dies after
  // createUser the next attempt of this provider account completes the user (above).
  if (email) await putSignUpMarker(linking, account, email);
  let created: AdapterUser;
  try {
    created = await users.createUser(fresh);
  } catch (error) {
    throw new OAuthCreateAccountError(error);
  }
  await fire(ctx.config, 'createUser', { user: created });
  try {
    await link(created);
  } catch (error) {
    // A user left without its account would be refused on every later attempt: undone where the
    // adapter can (the marker stays for the case where this fails too).
    const remove = (users as { deleteUser?: (id: string) => unknown }).deleteUser;
    if (typeof remove === 'function') await Promise.resolve(remove.call(users, created.id)).catch(() => undefined);
    throw error;
  }
  if (email) await takeSignUpMarker(linking, account, email).catch(() => false);
  return { user: created, isNewUser: true };
}

/** A day: an interrupted sign-up is usually retried at once; after that the user is someone else's problem to resolve. */
const SIGN_UP_MARKER_SECONDS = 24 * 60 * 60;

/**
 * The marker of a sign-up in progress: a verification token named for the provider account and
 * bound to the email (hashed), in the adapter's own token table, so third-party adapters need
 * nothing new. Only this provider account's next attempt, with the same email, can take it.
 */
function signUpMarker(account: Account, email: string): { identifier: string; token: string } {
  return { identifier: `gatehouse-sign-up:${JSON.stringify([account.provider, account.providerAccountId])}`, token: sha256Hex(`sign-up:${email}`) };
}

async function putSignUpMarker(linking: NonNullable<OAuthProvider['linking']>, account: Account, email: string): Promise<void> {
  if (!linking.markers) return;
  await linking.markers.createVerificationToken({ ...signUpMarker(account, email), expires: new Date(Date.now() + SIGN_UP_MARKER_SECONDS * 1000) });
}

async function takeSignUpMarker(linking: NonNullable<OAuthProvider['linking']>, account: Account, email: string): Promise<boolean> {
  if (!linking.markers) return false;
  const found = await linking.markers.useVerificationToken(signUpMarker(account, email));
  return found !== null && new Date(found.expires).valueOf() > Date.now();
}

/** The user the session is for: the stored one when the provider stores users, else the provider's. */
async function linkUser(ctx: RouteContext, input: Identified, known: AdapterUser | null): Promise<{ user: AdapterUser | User; isNewUser: boolean }> {
  const { provider } = input;
  if (input.signUp) return { user: await input.signUp(), isNewUser: true };
  if (provider.type === 'email') return emailUser(ctx, provider, input);
  // The Password provider's user is already the stored one.
  if (provider.type === 'credentials' || provider.type === 'password' || provider.type === 'webauthn' || !provider.linking) return { user: input.user, isNewUser: false };
  return oauthUser(ctx, provider, provider.linking, input, known);
}

/** Runs the shared tail of every sign-in and returns the redirect with the session cookie. */
export async function completeSignIn(ctx: RouteContext, input: Identified): Promise<RouteResult> {
  const { config } = ctx;
  const { provider, account } = input;
  const target = await callbackUrl(ctx);
  // With an adapter, OAuth's signIn callback sees the stored user when the account is known (packages/next-auth/src/core/routes/callback.ts on branch v4).
  const accounts = provider.type === 'oauth' || provider.type === 'oidc' ? provider.linking?.accounts : undefined;
  const known = accounts ? await accounts.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId }) : null;
  const redirectTo = await runSignInCallback(ctx, {
    user: known ?? input.user,
    account: input.account,
    ...(input.profile ? { profile: input.profile } : {}),
    ...(input.credentials ? { credentials: input.credentials } : {}),
  });
  if (redirectTo !== undefined) return { redirect: redirectTo, cookies: input.cookies ?? [] };

  let linked: { user: AdapterUser | User; isNewUser: boolean };
  try {
    linked = await linkUser(ctx, input, known);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new CallbackError(error);
  }
  const amr = combineAmr(input.amr ?? defaultAmr(provider));
  const start: StartSession = {
    user: linked.user,
    account: input.account,
    ...(input.profile ? { profile: input.profile } : {}),
    isNewUser: linked.isNewUser,
    device: deviceOf(ctx),
    authentication: { authTime: Math.floor(Date.now() / 1000), amr },
  };
  // A user with a second factor gets a pending sign-in, not a session, until the code; a first
  // factor that is two already (a verified passkey) needs none.
  if (factorCount(amr) < 2) {
    const pending = await requireSecondFactor(ctx, start, provider.id, target);
    if (pending) return { ...pending, cookies: [...(input.cookies ?? []), ...(pending.cookies ?? [])] };
  }
  const sessionCookies = await ctx.sessions.start(ctx, start);
  await fire(config, 'signIn', { user: linked.user, account: input.account, profile: input.profile, isNewUser: linked.isNewUser });
  rotateCsrf(ctx);
  const cookies = [...(input.cookies ?? []), ...sessionCookies];
  if (linked.isNewUser && config.pages.newUser) {
    const sep = config.pages.newUser.includes('?') ? '&' : '?';
    return { redirect: `${config.pages.newUser}${sep}callbackUrl=${encodeURIComponent(target)}`, cookies };
  }
  return { redirect: target, cookies };
}
