// The wire shapes the client reads and returns: the session body, the providers map, sign-in and sign-out results.
import type { Session } from '../types.js';

export type { Session };

/** One entry of GET `providers`, as v4 serves it. */
export interface ClientSafeProvider {
  id: string;
  name: string;
  type: 'oauth' | 'oidc' | 'email' | 'credentials';
  signinUrl: string;
  callbackUrl: string;
}

/** The second argument of `signIn()`: every key besides these two is posted to the server (credentials fields, `email`). */
export interface SignInOptions extends Record<string, unknown> {
  /** Where to land after signing in; defaults to the current page. */
  callbackUrl?: string;
  /** `false` (credentials and email only) resolves a `SignInResponse` instead of navigating. */
  redirect?: boolean;
  /** Gatehouse, email only: the 6-digit code from the mail (`Email({ code: true })`), with `email`: signs in instead of sending a mail. */
  code?: string;
}

/** What `signIn(..., { redirect: false })` resolves, exactly as v4. */
export interface SignInResponse {
  /** The error code from the returned URL (e.g. `CredentialsSignin`), or null. */
  error: string | null;
  /** The code of a CredentialsSignin that `authorize()` threw (as Auth.js v5); absent otherwise. */
  code?: string;
  status: number;
  ok: boolean;
  /** Where the user would have been sent; null on error. */
  url: string | null;
}

/** The third argument of `signIn()`: extra parameters for the authorization request (`prompt`, `login_hint`, ...). */
export type SignInAuthorizationParams = string | string[][] | Record<string, string> | URLSearchParams;

export interface SignOutParams {
  /** Where to land after signing out; defaults to the current page. */
  callbackUrl?: string;
  /** `false` resolves `{ url }` instead of navigating. */
  redirect?: boolean;
}

export interface SignOutResponse {
  url: string;
}

/** Headers of a Node `IncomingMessage` or a Web `Request`. */
export type IncomingHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Server-side calls (v4's `{ req }` or `{ ctx }`): the request whose cookie is forwarded, since a
 * server has no cookie jar of its own.
 */
export interface RequestContext {
  req?: { headers?: IncomingHeaders } | undefined;
  ctx?: { req?: { headers?: IncomingHeaders } | undefined } | undefined;
}

export interface GetSessionParams extends RequestContext {
  /** Tell the other tabs to refetch (default true, as v4). */
  broadcast?: boolean;
}

/** One entry of GET `sessions`: a place the user is signed in. */
export interface ClientSession {
  /** Opaque; pass it to `revokeSession`. */
  id: string;
  /** The session of this browser. */
  current: boolean;
  /** ISO dates; null for a session signed in before the device index existed. */
  createdAt: string | null;
  lastActiveAt: string | null;
  expires: string;
  userAgent: string | null;
  ipAddress: string | null;
  /** e.g. "Firefox 125" */
  browser: string | null;
  /** e.g. "Windows 10", "iOS 17.4" */
  os: string | null;
}

/** Options of the password calls (`signUp`, `requestPasswordReset`, `resetPassword`, `changePassword`); other keys are posted too (a CAPTCHA's `captchaToken`). */
export interface PasswordActionOptions extends Record<string, unknown> {
  /** Where to land afterwards; defaults to the current page. */
  callbackUrl?: string;
  /** `true` navigates to the answered URL on success; default `false`: resolve only. */
  redirect?: boolean;
}

/** What the password calls resolve, in signIn's shape. */
export interface PasswordActionResponse {
  ok: boolean;
  /** The error code (`WeakPassword`, `InvalidCredentials`, `CaptchaFailed`, `Verification` …), or null. */
  error: string | null;
  /** The precise reason: the policy's (`TooShort`, `ContextSpecific` …) beside `WeakPassword`, else the error; null on success. */
  code: string | null;
  status: number;
  /** Where the server sent the user (the check-your-email page, the callback URL); null on error. */
  url: string | null;
}
