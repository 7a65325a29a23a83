// What every provider does once it knows who the user is: the signIn callback, account linking, the session, events, the redirect.
import type { ResolvedProvider } from '../config.js';
import {
  AccessDenied,
  AuthError,
  CallbackRouteError,
  EmailCreateAccount,
  OAuthAccountNotLinked,
  OAuthCreateAccount,
} from '../errors.js';
import type { RouteContext, RouteResult } from '../routes/types.js';
import type { Account, AdapterUser, Profile, User } from '../types.js';
import { applyRedirectCallback, callbackUrl } from './request-state.js';
import { currentUser, fire, startSession } from './session.js';
import { deviceOf } from './session-index.js';

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
    throw new AccessDenied({ cause: error, ...(reported === undefined ? {} : { reported }) });
  }
  if (verdict === false) throw new AccessDenied();
  if (typeof verdict === 'string') return applyRedirectCallback(ctx, verdict);
  return undefined;
}

/**
 * v4 §6, with two deliberate differences: dangerous email linking is not reported as a new user
 * (no createUser event for a user that already existed), and the result is explicit.
 */
async function linkUser(ctx: RouteContext, input: Identified): Promise<{ user: AdapterUser | User; isNewUser: boolean }> {
  const adapter = ctx.config.adapter;
  const { provider, account } = input;
  if (!adapter || provider.type === 'credentials') return { user: input.user, isNewUser: false };
  const signedIn = await currentUser(ctx);

  if (provider.type === 'email') {
    const email = String(input.user.email);
    const existing = await adapter.getUserByEmail!(email);
    if (existing) {
      const updated = adapter.updateUser ? await adapter.updateUser({ id: existing.id, emailVerified: new Date() }) : existing;
      await fire(ctx.config, 'updateUser', { user: updated });
      return { user: updated, isNewUser: false };
    }
    if (!adapter.createUser) throw new EmailCreateAccount(new Error('adapter.createUser is missing'));
    let created: AdapterUser;
    try {
      created = await adapter.createUser({ email, emailVerified: new Date() });
    } catch (error) {
      throw new EmailCreateAccount(error);
    }
    await fire(ctx.config, 'createUser', { user: created });
    return { user: created, isNewUser: true };
  }

  const byAccount = adapter.getUserByAccount
    ? await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })
    : null;
  if (byAccount) {
    if (signedIn && signedIn.id !== byAccount.id) throw new OAuthAccountNotLinked(new Error('account belongs to another user'));
    return { user: byAccount, isNewUser: false };
  }
  const link = async (user: AdapterUser) => {
    await adapter.linkAccount!({ ...account, userId: user.id } as Parameters<NonNullable<typeof adapter.linkAccount>>[0]);
    await fire(ctx.config, 'linkAccount', { user, account, profile: input.user });
  };
  if (signedIn) {
    await link(signedIn);
    return { user: signedIn, isNewUser: false };
  }
  const email = typeof input.user.email === 'string' ? input.user.email : undefined;
  const byEmail = email && adapter.getUserByEmail ? await adapter.getUserByEmail(email) : null;
  if (byEmail) {
    if ((provider.config as { allowDangerousEmailAccountLinking?: boolean }).allowDangerousEmailAccountLinking !== true) {
      throw new OAuthAccountNotLinked(new Error('another account uses this email'));
    }
    await link(byEmail);
    return { user: byEmail, isNewUser: false };
  }
  const { id: _providerId, ...profileUser } = input.user;
  let created: AdapterUser;
  try {
    // No email stays null: '' would collide on the users.email UNIQUE index for the second such user.
    created = await adapter.createUser!({ ...profileUser, email: email ?? null, emailVerified: null } as unknown as Omit<AdapterUser, 'id'>);
  } catch (error) {
    throw new OAuthCreateAccount(error);
  }
  await fire(ctx.config, 'createUser', { user: created });
  await link(created);
  return { user: created, isNewUser: true };
}

/** Runs the shared tail of every sign-in and returns the redirect with the session cookie. */
export async function completeSignIn(ctx: RouteContext, input: Identified): Promise<RouteResult> {
  const { config } = ctx;
  const target = await callbackUrl(ctx);
  // With an adapter, OAuth's signIn callback sees the stored user when the account is known (v4 §2.7.5).
  const known =
    config.adapter?.getUserByAccount && (input.provider.type === 'oauth' || input.provider.type === 'oidc')
      ? await config.adapter.getUserByAccount({ provider: input.account.provider, providerAccountId: input.account.providerAccountId })
      : null;
  const redirectTo = await runSignInCallback(ctx, {
    user: known ?? input.user,
    account: input.account,
    ...(input.profile ? { profile: input.profile } : {}),
    ...(input.credentials ? { credentials: input.credentials } : {}),
  });
  if (redirectTo !== undefined) return { redirect: redirectTo, cookies: input.cookies ?? [] };

  let linked: { user: AdapterUser | User; isNewUser: boolean };
  try {
    linked = await linkUser(ctx, input);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new CallbackRouteError(error);
  }
  const sessionCookies = await startSession(ctx, { user: linked.user, account: input.account, ...(input.profile ? { profile: input.profile } : {}), isNewUser: linked.isNewUser, device: deviceOf(ctx) });
  await fire(config, 'signIn', { user: linked.user, account: input.account, profile: input.profile, isNewUser: linked.isNewUser });
  const cookies = [...(input.cookies ?? []), ...sessionCookies];
  if (linked.isNewUser && config.pages.newUser) {
    const sep = config.pages.newUser.includes('?') ? '&' : '?';
    return { redirect: `${config.pages.newUser}${sep}callbackUrl=${encodeURIComponent(target)}`, cookies };
  }
  return { redirect: target, cookies };
}
