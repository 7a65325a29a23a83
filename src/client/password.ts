// The Password provider's client calls: sign up, ask for a reset link, reset, change — each a CSRF-checked form POST resolving `{ ok, error, code, status, url }`.
import { changed, post } from './broadcast.js';
import { fetchJson, postForm } from './fetch.js';
import type { PasswordActionOptions, PasswordActionResponse } from './types.js';

function navigate(url: string): void {
  location.href = url;
}

/**
 * POSTs `fields` to `path` in JSON mode and reads the answer as signIn does: `error` from the URL
 * it answered, `code` the more precise reason beside it (`AccountLocked`, `TooShort`) or the error
 * itself. Null when the server could not be reached (logged).
 */
async function passwordPost(path: string, fields: Record<string, unknown>, options: PasswordActionOptions | undefined, signsIn: boolean): Promise<PasswordActionResponse | null> {
  const { callbackUrl = location.href, redirect = false, ...extra } = options ?? {};
  const csrfToken = (await fetchJson<{ csrfToken: string }>('csrf'))?.csrfToken;
  if (!csrfToken) return null;
  const res = await postForm(path, { ...extra, ...fields, csrfToken, callbackUrl });
  if (!res) return null;
  const answered = new URL(res.url, location.href).searchParams;
  const error = answered.get('error');
  if (res.ok && signsIn) {
    post('getSession');
    await changed();
  }
  if (redirect && res.ok) navigate(res.url);
  return { ok: res.ok, error, code: error ? (answered.get('code') ?? error) : null, status: res.status, url: error ? null : res.url };
}

/**
 * Creates an account (POST `signup/<provider>`): `email`, `password`, `name` and the extra fields
 * the provider declares. Resolves the same for a new address and one that has an account (the
 * owner gets a mail), unless the server turned enumeration safety off (`EmailInUse`).
 */
export function signUp(fields: { email: string; password: string; name?: string; [field: string]: unknown }, options?: PasswordActionOptions & { provider?: string }): Promise<PasswordActionResponse | null> {
  const { provider = 'password', ...rest } = options ?? {};
  return passwordPost(`signup/${encodeURIComponent(provider)}`, fields, rest, false);
}

/** Mails a reset link (POST `password/forgot`); resolves the same whether or not the address has an account. */
export function requestPasswordReset(email: string, options?: PasswordActionOptions): Promise<PasswordActionResponse | null> {
  return passwordPost('password/forgot', { email }, options, false);
}

/** Sets a new password with the token of a reset link (POST `password/reset`); signs in unless the server sends to the sign-in page. */
export function resetPassword(token: string, password: string, options?: PasswordActionOptions): Promise<PasswordActionResponse | null> {
  return passwordPost('password/reset', { token, password }, options, true);
}

/** Changes the signed-in user's password (POST `password/change`); the user's other sessions end. */
export function changePassword(currentPassword: string, newPassword: string, options?: PasswordActionOptions): Promise<PasswordActionResponse | null> {
  return passwordPost('password/change', { currentPassword, newPassword }, options, true);
}
