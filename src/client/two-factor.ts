// gatehouse-auth/client, second factors: finish a sign-in with a code, and enrol, check or remove a TOTP factor while signed in.
import { changed, post } from './broadcast.js';
import { fetchJson, logError, postForm } from './fetch.js';
import type { SignInResponse } from './types.js';
import { apiBase } from './url.js';

const getCsrfToken = async () => (await fetchJson<{ csrfToken: string }>('csrf'))?.csrfToken;

/** A code from the authenticator app, or one of the backup codes; for email codes as the factor, a mailed code (`sendReauthenticationCode()`). */
export type SecondFactor = { code: string } | { backupCode: string } | { emailCode: string };

export interface TwoFactorResult<T> {
  ok: boolean;
  status: number;
  /** `InvalidTwoFactorCode`, `RecentSignInRequired`, `TwoFactorAlreadyEnabled`, `RateLimited`, … or null. */
  error: string | null;
  data: T | null;
}

/**
 * Completes a sign-in that answered `error: "TwoFactorRequired"` (POST `callback/two-factor`). Navigates
 * to the callback URL, or with `redirect: false` resolves like `signIn`: `{ error, status, ok, url }`,
 * `error` being `InvalidTwoFactorCode` (try again) or `TwoFactorExpired` (sign in again).
 */
export async function verifyTwoFactor(factor: SecondFactor | { emailCode: string }, options?: { callbackUrl?: string; redirect?: boolean; trustDevice?: boolean }): Promise<SignInResponse | null | undefined> {
  const csrfToken = await getCsrfToken();
  if (!csrfToken) return null;
  // `trustDevice`: skip the second step on this browser for `twoFactor.trustDevice.days` (when the server allows it).
  const trust = options?.trustDevice ? { trustDevice: '1' } : {};
  const res = await postForm('callback/two-factor', { ...factor, ...trust, csrfToken, callbackUrl: options?.callbackUrl ?? location.href });
  if (!res) return null;
  if (options?.redirect ?? true) {
    location.href = res.url;
    return undefined;
  }
  const error = new URL(res.url, location.href).searchParams.get('error');
  if (!error) {
    post('getSession');
    await changed();
  }
  return { error, status: res.status, ok: res.ok && !error, url: error ? null : res.url };
}

async function call<T>(method: 'GET' | 'POST', path: string, fields: Record<string, string> = {}): Promise<TwoFactorResult<T>> {
  const url = `${apiBase()}/${path}`;
  try {
    let init: RequestInit = { headers: { 'Content-Type': 'application/json' } };
    if (method === 'POST') {
      const csrfToken = await getCsrfToken();
      if (!csrfToken) return { ok: false, status: 0, error: 'MissingCSRF', data: null };
      init = { ...init, method, body: JSON.stringify({ ...fields, csrfToken }) };
    }
    const res = await fetch(url, init);
    const data = (await res.json()) as T & { error?: unknown };
    const error = res.ok ? null : typeof data?.error === 'string' ? data.error : res.status === 401 ? 'SessionRequired' : 'Default';
    return { ok: res.ok, status: res.status, error, data: res.ok ? data : null };
  } catch (error) {
    logError('CLIENT_FETCH_ERROR', error, url);
    return { ok: false, status: 0, error: 'Default', data: null };
  }
}

/** Whether the signed-in user has a second factor (`method: 'email'` for email codes), and how many backup codes are left (GET `two-factor/status`). */
export const getTwoFactorStatus = () => call<{ enabled: boolean; backupCodesLeft: number; method?: 'email' }>('GET', 'two-factor/status');

/** Starts email codes as the second factor (POST `two-factor/enable` with `method: 'email'`): a first code is mailed; active only after `confirmEmailTwoFactor`. */
export const enableEmailTwoFactor = () => call<{ method: 'email'; sent: true }>('POST', 'two-factor/enable', { method: 'email' });

/** Confirms email codes as the second factor with the mailed code (POST `two-factor/verify`): resolves the ten backup codes, to show once. */
export const confirmEmailTwoFactor = (emailCode: string) => call<{ enabled: true; method: 'email'; backupCodes: string[] }>('POST', 'two-factor/verify', { emailCode });

/** Starts enrolment (POST `two-factor/enable`): the key as text and QR (SVG) for the app; active only after `confirmTwoFactor`. */
export const enableTwoFactor = () => call<{ secret: string; otpauthUrl: string; qrSvg: string }>('POST', 'two-factor/enable');

/** Confirms enrolment with the app's first code (POST `two-factor/verify`): resolves the ten backup codes, to show once. */
export const confirmTwoFactor = (code: string) => call<{ enabled: true; backupCodes: string[] }>('POST', 'two-factor/verify', { code });

/** Ten new backup codes for a fresh factor (POST `two-factor/backup-codes`); the old ones stop working. */
export const regenerateBackupCodes = (factor: SecondFactor) => call<{ backupCodes: string[] }>('POST', 'two-factor/backup-codes', factor);

/** Removes the second factor (POST `two-factor/disable`); needs a recent sign-in and a fresh code. */
export const disableTwoFactor = (factor: SecondFactor) => call<{ enabled: false }>('POST', 'two-factor/disable', factor);

/** What `reauthenticate` re-proves: the password (with `provider` and its other fields for Credentials), a TOTP, backup or emailed code, a passkey, or several. */
export interface Reauthentication {
  password?: string;
  /** The provider that checks the password; default: the first Password provider, else the first Credentials one. */
  provider?: string;
  code?: string;
  backupCode?: string;
  /** A passkey assertion as JSON text: what `reauthenticateWithPasskey()` of `gatehouse-auth/webauthn` sends (use that). */
  passkey?: string;
  /** A code mailed by `sendReauthenticationCode()` (with `twoFactor.emailCode`); used when no `code` or `backupCode` is given. */
  emailCode?: string;
  /** Further fields a Credentials `authorize()` reads (the session's email is filled in for an `email` field). */
  credentials?: Record<string, string>;
}

/**
 * Re-proves a factor for the signed-in user (POST `reauthenticate`) so a sensitive action guarded by
 * `auth.requireRecentAuth` passes, without signing out: resolves `{ authTime, amr }` (epoch seconds,
 * RFC 8176 methods), or `error` `CredentialsSignin`, `InvalidTwoFactorCode`, `PasskeySignin`, `SessionRequired`, `RateLimited`.
 */
export async function reauthenticate(factors: Reauthentication): Promise<TwoFactorResult<{ authTime: number; amr: string[] }>> {
  const { credentials, ...named } = factors;
  const fields: Record<string, string> = { ...credentials };
  for (const [key, value] of Object.entries(named)) if (typeof value === 'string') fields[key] = value;
  const result = await call<{ authTime: number; amr: string[] }>('POST', 'reauthenticate', fields);
  if (result.ok) post('getSession');
  return result;
}

/** Mails a one-time code for the pending sign-in (POST `two-factor/email-code`, with `twoFactor.emailCode` on): then `verifyTwoFactor({ emailCode })`. */
export const sendTwoFactorEmailCode = () => call<{ sent: true }>('POST', 'two-factor/email-code');

/**
 * Mails the signed-in user a one-time code (POST `two-factor/email-code` without a pending sign-in; three
 * per ten minutes): then `reauthenticate({ emailCode })`, or `disableTwoFactor({ emailCode })` for email codes.
 */
export const sendReauthenticationCode = () => call<{ sent: true }>('POST', 'two-factor/email-code');
