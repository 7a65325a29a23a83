// gatehouse-auth/webauthn: passkeys in the browser (issue 18 item 4: sign in, re-authenticate, manage), over @simplewebauthn/browser; kept out of gatehouse-auth/client so that entry stays small.
import { browserSupportsWebAuthnAutofill, startAuthentication, startRegistration, WebAuthnAbortService } from '@simplewebauthn/browser';
import { reauthenticate, type TwoFactorResult } from '../client/two-factor.js';
import { apiBase } from '../client/url.js';

export type { TwoFactorResult } from '../client/two-factor.js';

export interface PasskeyInfo {
  id: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  transports: string[];
}

export interface SignInWithPasskeyOptions {
  /** Where to go once signed in (default: the current page). */
  callbackUrl?: string;
  /** Navigate to the answered URL (default true); false resolves `{ ok, url, error }` instead. */
  redirect?: boolean;
  /** Conditional UI: offer passkeys in the autofill of an `<input autocomplete="username webauthn">` instead of a dialog. */
  autofill?: boolean;
  /** The provider id (default `passkey`). */
  provider?: string;
}

export interface PasskeyResult {
  ok: boolean;
  status: number;
  url: string | null;
  /** The `error` of the answered URL (`PasskeySignin`), or the route's `error` field. */
  error: string | null;
}

async function csrfToken(): Promise<string> {
  const response = await fetch(`${apiBase()}/csrf`, { credentials: 'same-origin' });
  const body = (await response.json()) as { csrfToken?: string };
  if (typeof body.csrfToken !== 'string') throw new Error('gatehouse: no CSRF token from the auth API');
  return body.csrfToken;
}

async function fetchOptions(provider: string, query: Record<string, string>): Promise<{ status: number; options: any; error: string | undefined }> {
  const response = await fetch(`${apiBase()}/webauthn-options/${encodeURIComponent(provider)}?${new URLSearchParams(query)}`, { credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as { options?: unknown; error?: string };
  return { status: response.status, options: response.ok ? body.options : undefined, error: body.error };
}

async function options(provider: string, action: 'authenticate' | 'register'): Promise<any> {
  const answer = await fetchOptions(provider, { action });
  if (!answer.options) throw new Error(`gatehouse: ${answer.error ?? `webauthn-options answered ${answer.status}`}`);
  return answer.options;
}

/** A form POST in JSON mode (`X-Auth-Return-Redirect`, as Auth.js v5's client sends): redirects come back as `{ url }`. */
async function post(path: string, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${apiBase()}/${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Auth-Return-Redirect': '1' },
    body: new URLSearchParams({ ...fields, csrfToken: await csrfToken() }),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/**
 * Signs in with a discoverable passkey. With `autofill`, waits for the user to pick a passkey in
 * the browser's autofill (call it on page load); resolves without navigating when unsupported.
 */
export async function signInWithPasskey(input: SignInWithPasskeyOptions = {}): Promise<PasskeyResult> {
  const provider = input.provider ?? 'passkey';
  if (input.autofill && !(await browserSupportsWebAuthnAutofill())) return { ok: false, status: 0, url: null, error: 'AutofillUnsupported' };
  const optionsJSON = await options(provider, 'authenticate');
  const data = await startAuthentication({ optionsJSON, useBrowserAutofill: input.autofill === true });
  const { status, body } = await post(`callback/${encodeURIComponent(provider)}`, { action: 'authenticate', data: JSON.stringify(data), callbackUrl: input.callbackUrl ?? window.location.href });
  const url = typeof body.url === 'string' ? body.url : null;
  const error = url ? new URL(url, window.location.href).searchParams.get('error') : typeof body.error === 'string' ? body.error : 'PasskeySignin';
  if (input.redirect !== false && url && !error) {
    window.location.href = url;
  }
  return { ok: status < 400 && !error, status, url, error };
}

/**
 * Re-proves the signed-in user with one of their own passkeys (POST `reauthenticate`), so an action
 * guarded by `auth.requireRecentAuth` passes without signing out; the browser offers only that user's
 * passkeys. Resolves `{ ok, data: { authTime, amr } }` (amr `hwk`, `user`, `mfa` with user
 * verification), or `error` `PasskeySignin`, `SessionRequired`, `RateLimited`; rejects when the user
 * cancels the browser's dialog (as `signInWithPasskey` does).
 */
export async function reauthenticateWithPasskey(input: { provider?: string } = {}): Promise<TwoFactorResult<{ authTime: number; amr: string[] }>> {
  const provider = input.provider ?? 'passkey';
  const optionsJSON = await options(provider, 'authenticate');
  const data = await startAuthentication({ optionsJSON });
  return reauthenticate({ passkey: JSON.stringify(data), provider });
}

/** Registers a new passkey for the signed-in user, named `name` (shown in the list). */
export async function registerPasskey(input: { name?: string; provider?: string } = {}): Promise<PasskeyInfo> {
  const provider = input.provider ?? 'passkey';
  const optionsJSON = await options(provider, 'register');
  const data = await startRegistration({ optionsJSON });
  const { status, body } = await post(`callback/${encodeURIComponent(provider)}`, { action: 'register', data: JSON.stringify(data), name: input.name ?? '' });
  if (status !== 200 || !body.passkey) throw new Error(`gatehouse: ${typeof body.error === 'string' ? body.error : `registration answered ${status}`}`);
  return body.passkey as PasskeyInfo;
}

export interface SignUpWithPasskeyOptions {
  /** The `token` of the mailed sign-up link (the query of the page it opened). */
  token: string;
  /** Where to go once the account exists and is signed in (default: where the sign-up form said). */
  callbackUrl?: string;
  /** Navigate to the answered URL (default true); false resolves `{ ok, url, error }` instead. */
  redirect?: boolean;
  /** A name for the new passkey (shown in the list). */
  name?: string;
  /** The provider id (default `passkey`). */
  provider?: string;
}

/**
 * Finishes a passkey sign-up on an app's own page (`pages.signUp` gets `?provider=&token=` from
 * the mailed link): creates the passkey, and the account with it, signed in. `error` is
 * `EmailInUse` when the address got an account meanwhile, `Verification` for a used or expired link.
 */
export async function signUpWithPasskey(input: SignUpWithPasskeyOptions): Promise<PasskeyResult> {
  const provider = input.provider ?? 'passkey';
  const answer = await fetchOptions(provider, { action: 'register', token: input.token });
  if (!answer.options) return { ok: false, status: answer.status, url: null, error: answer.error ?? 'PasskeySignin' };
  const data = await startRegistration({ optionsJSON: answer.options });
  const fields: Record<string, string> = { action: 'register', token: input.token, data: JSON.stringify(data), name: input.name ?? '' };
  if (input.callbackUrl !== undefined) fields.callbackUrl = input.callbackUrl;
  const { status, body } = await post(`callback/${encodeURIComponent(provider)}`, fields);
  const url = typeof body.url === 'string' ? body.url : null;
  const error = url ? new URL(url, window.location.href).searchParams.get('error') : typeof body.error === 'string' ? body.error : 'PasskeySignin';
  if (input.redirect !== false && url && !error) {
    window.location.href = url;
  }
  return { ok: status < 400 && !error, status, url, error };
}

/** The signed-in user's passkeys, oldest first; null when signed out. */
export async function listPasskeys(): Promise<PasskeyInfo[] | null> {
  const response = await fetch(`${apiBase()}/passkeys`, { credentials: 'same-origin' });
  if (!response.ok) return null;
  return ((await response.json()) as { passkeys: PasskeyInfo[] }).passkeys;
}

/** Renames one of the user's passkeys: false when it is not theirs (or they are signed out). */
export async function renamePasskey(id: string, name: string): Promise<boolean> {
  return (await post('passkeys/rename', { id, name })).status === 200;
}

/** Deletes one of the user's passkeys; needs a recent sign-in (`RecentSignInRequired` otherwise). */
export async function deletePasskey(id: string): Promise<{ ok: boolean; error: string | null }> {
  const { status, body } = await post('passkeys/delete', { id });
  return { ok: status === 200, error: status === 200 ? null : typeof body.error === 'string' ? body.error : String(status) };
}

/** Cancels a pending autofill request (e.g. before starting a modal one). */
export function cancelPasskeyRequest(): void {
  WebAuthnAbortService.cancelCeremony();
}
