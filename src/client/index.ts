// gatehouse-auth/client: signIn, signOut, getSession, getCsrfToken, getProviders (next-auth/react's, on the same wire, without React), the sessions list, and the password calls.
import { changed, post } from './broadcast.js';
import { fetchJson, postForm } from './fetch.js';
import type { ClientSafeProvider, ClientSession, GetSessionParams, RequestContext, Session, SignInAuthorizationParams, SignInOptions, SignInResponse, SignOutParams, SignOutResponse } from './types.js';
import { apiBase } from './url.js';

export { configure, type ClientConfig } from './url.js';
export { changePassword, requestPasswordReset, resetPassword, signUp } from './password.js';
export {
  confirmEmailTwoFactor,
  confirmTwoFactor,
  disableTwoFactor,
  enableEmailTwoFactor,
  enableTwoFactor,
  getTwoFactorStatus,
  reauthenticate,
  regenerateBackupCodes,
  sendReauthenticationCode,
  sendTwoFactorEmailCode,
  verifyTwoFactor,
  type Reauthentication,
  type SecondFactor,
  type TwoFactorResult,
} from './two-factor.js';
export type * from './types.js';

/** The session (GET `session`), or null when signed out or on failure. Tells other tabs unless `broadcast: false`. */
export async function getSession<S = Session>(params?: GetSessionParams): Promise<S | null> {
  const session = await fetchJson<S>('session', params);
  if (params?.broadcast ?? true) post('getSession');
  return session ?? null;
}

/** The CSRF token (GET `csrf`) for your own POSTs; undefined on failure. */
export async function getCsrfToken(params?: RequestContext): Promise<string | undefined> {
  return (await fetchJson<{ csrfToken: string }>('csrf', params))?.csrfToken;
}

/** The configured providers (GET `providers`), or null on failure. */
export async function getProviders(): Promise<Record<string, ClientSafeProvider> | null> {
  return (await fetchJson<Record<string, ClientSafeProvider>>('providers')) ?? null;
}

function navigate(url: string): undefined {
  const here = location.href;
  location.href = url;
  // A URL that differs only in its fragment scrolls instead of loading, so the new session would not show.
  if (url.includes('#') && new URL(url, here).href.split('#')[0] == here.split('#')[0]) location.reload();
  return undefined;
}

/**
 * Starts a sign-in. No or unknown provider: the sign-in page. OAuth: the provider's page. Credentials
 * and email with `redirect: false`: resolves `{ error, status, ok, url }` (and `code` when `authorize()`
 * threw a CredentialsSignin with one) instead of navigating. Email with `{ email, code }`: signs in
 * with the mailed code (`Email({ code: true })`; a refused code is `error: 'Verification'`).
 * Resolves null when the server could not be reached or answered garbage (logged).
 */
export async function signIn(provider?: string, options?: SignInOptions, authorizationParams?: SignInAuthorizationParams): Promise<SignInResponse | null | undefined> {
  const { callbackUrl = location.href, redirect = true } = options ?? {};
  const base = apiBase();
  const providers = await getProviders();
  if (!providers) return navigate(base + '/error');
  // Own properties only: `signIn('toString')` must not find Object.prototype.toString.
  const type = provider && Object.hasOwn(providers, provider) ? providers[provider]!.type : undefined;
  if (!type) return navigate(`${base}/signin?${new URLSearchParams({ callbackUrl })}`);
  const csrfToken = await getCsrfToken();
  if (!csrfToken) return null;
  const query = authorizationParams ? '?' + new URLSearchParams(authorizationParams) : '';
  // Gatehouse: an email sign-in's mailed code (`Email({ code: true })`) is posted to the callback, as credentials are.
  const typed = type == 'credentials' || (type == 'email' && typeof options?.code == 'string');
  const res = await postForm(`${typed ? 'callback' : 'signin'}/${provider}${query}`, { ...options, csrfToken, callbackUrl });
  if (!res) return null;
  if (redirect || (type != 'credentials' && type != 'email')) return navigate(res.url);
  const answered = new URL(res.url, location.href).searchParams;
  const error = answered.get('error');
  // A custom credentials code (Auth.js v5's `code`), only when the server sent one: v4's shape otherwise.
  const code = error ? answered.get('code') : null;
  if (res.ok) {
    // v4 tells only this tab; the others would wait for their next focus or poll.
    post('getSession');
    await changed();
  }
  return { error, ...(code ? { code } : {}), status: res.status, ok: res.ok, url: error ? null : res.url };
}

/** Signs out (POST `signout`), tells the other tabs, then navigates, or with `redirect: false` resolves `{ url }`. */
export async function signOut(options?: SignOutParams): Promise<SignOutResponse | null | undefined> {
  const callbackUrl = options?.callbackUrl ?? location.href;
  const csrfToken = await getCsrfToken();
  if (!csrfToken) return null;
  const res = await postForm('signout', { csrfToken, callbackUrl });
  if (!res) return null;
  post('signout');
  if (options?.redirect ?? true) return navigate(res.url);
  await changed();
  return { url: res.url };
}

/** Where the user is signed in (GET `sessions`), this browser first; null when signed out or on failure. */
export async function listSessions(params?: RequestContext): Promise<ClientSession[] | null> {
  return (await fetchJson<{ sessions: ClientSession[] }>('sessions', params))?.sessions ?? null;
}

/** Ends one of the user's sessions by its `id` (POST `sessions/revoke`); true when it ended. Revoking this browser's own signs it out. */
export async function revokeSession(id: string): Promise<boolean> {
  return ((await sessionsPost('sessions/revoke', { id })) ?? 0) > 0;
}

/** Ends every session of the user but this browser's (POST `sessions/revoke-others`); how many ended, or null on failure. */
export async function revokeOtherSessions(): Promise<number | null> {
  return sessionsPost('sessions/revoke-others', {});
}

async function sessionsPost(path: string, fields: Record<string, string>): Promise<number | null> {
  const csrfToken = await getCsrfToken();
  return (csrfToken ? (await fetchJson<{ revoked: number }>(path, undefined, { ...fields, csrfToken }))?.revoked : null) ?? null;
}
