// The error model: NextAuth's page codes, the one table saying what each code does, and the error classes.

export type ErrorCode =
  | 'Configuration'
  | 'AccessDenied'
  | 'Verification'
  | 'OAuthSignin'
  | 'OAuthCallback'
  | 'OAuthCreateAccount'
  | 'EmailCreateAccount'
  | 'Callback'
  | 'OAuthAccountNotLinked'
  | 'EmailSignin'
  | 'CredentialsSignin'
  | 'SessionRequired'
  | 'Signin'
  | 'MissingCSRF'
  | 'RateLimited'
  | 'DuplicateField'
  | 'ServiceUnavailable'
  | PasswordErrorCode
  | 'TwoFactorExpired'
  | 'PasskeySignin'
  | 'CrossSiteRequest'
  | 'Default';

/** The Password provider's codes: each tells the user what to do next. */
export type PasswordErrorCode = 'InvalidCredentials' | 'AccountLocked' | 'EmailNotVerified' | 'WeakPassword' | 'PasswordBreached' | 'PasswordCheckUnavailable' | 'EmailInUse' | 'CaptchaFailed';

export type LogLevel = 'error' | 'warn' | 'debug';

/** The sign-in page's banner texts (`pages/messages.ts`), for codes shown on the sign-in page. */
export type SigninMessageKey = 'tryAnotherAccount' | 'accountNotLinked' | 'emailNotSent' | 'credentials' | 'sessionRequired' | 'formExpired' | 'rateLimited' | 'twoFactorExpired' | 'passkeyFailed';
/** The error page's views (`pages/messages.ts`), for codes shown on the error page. */
export type ErrorPageMessageKey = 'configuration' | 'accessDenied' | 'verification' | 'duplicateField' | 'crossSite' | 'serviceUnavailable' | 'default';
/** The Password provider's form banners (`pages/messages.ts`): on its own pages, and on the sign-in page beside `CredentialsSignin`. */
export type FormMessageKey = 'invalidCredentials' | 'accountLocked' | 'emailNotVerified' | 'weakPassword' | 'passwordBreached' | 'passwordCheckUnavailable' | 'emailInUse' | 'captchaFailed';

/**
 * How the handler answers a route that failed with the code: `redirect` to the error URL (which
 * GET `error` sends on to the code's page), `server-error` (the error page or a JSON 500, the cause
 * never shown), `csrf` (back to the form the expired token came from), `refuse` (the request itself
 * is refused before any route runs: its status with the error page, or `{ error, message, url }`
 * to a JSON request), `unavailable` (a 503 with `Retry-After`: JSON on the JSON routes, the error
 * URL elsewhere).
 */
export type ErrorAnswer = 'redirect' | 'server-error' | 'csrf' | 'refuse' | 'unavailable';

/**
 * next-auth v4's logger code for a failure it logged (custom loggers and error trackers key on
 * them): `provider` codes carry `{ error, providerId }`, `callback` codes (one per provider type,
 * v4's callback handler) carry the bare cause. Codes without one are logged under their own name.
 */
export type V4Log = { kind: 'provider'; code: string } | { kind: 'callback'; email: string; oauth: string };

interface RuleBase {
  /** Status of the built-in error page, and of JSON answers for this code. */
  status: number;
  level: LogLevel;
  answer: ErrorAnswer;
  log?: V4Log;
}

/**
 * Where the user is sent: the sign-in page shows the message inline, the error page stands alone,
 * a `form` code goes back to the form it came from (the Password provider's pages). GET `error`
 * treats a form code as any code it does not know, as v4 does for an app's own thrown codes of the
 * same names (`EmailNotVerified` from a signIn callback keeps rendering the default error page).
 */
export type ErrorRule = RuleBase & ({ page: 'signin'; message: SigninMessageKey } | { page: 'error'; message: ErrorPageMessageKey } | { page: 'form'; message: FormMessageKey });

/**
 * Everything a code means, in one place. The sign-in codes redirect to the sign-in page and the
 * rest render the error page, as next-auth v4 does (packages/next-auth/src/core/index.ts on
 * branch v4, `case "error"`; its error page matches `error.toLowerCase()`, core/pages/error.tsx).
 */
export const ERRORS: Readonly<Record<ErrorCode, Readonly<ErrorRule>>> = Object.freeze({
  Configuration: { page: 'error', status: 500, level: 'error', message: 'configuration', answer: 'server-error' },
  AccessDenied: { page: 'error', status: 403, level: 'warn', message: 'accessDenied', answer: 'redirect' },
  Verification: { page: 'error', status: 403, level: 'warn', message: 'verification', answer: 'redirect' },
  OAuthSignin: { page: 'signin', status: 400, level: 'error', message: 'tryAnotherAccount', answer: 'redirect', log: { kind: 'provider', code: 'SIGNIN_OAUTH_ERROR' } },
  OAuthCallback: { page: 'signin', status: 400, level: 'error', message: 'tryAnotherAccount', answer: 'redirect', log: { kind: 'provider', code: 'OAUTH_CALLBACK_ERROR' } },
  OAuthCreateAccount: { page: 'signin', status: 500, level: 'error', message: 'tryAnotherAccount', answer: 'redirect' },
  EmailCreateAccount: { page: 'signin', status: 500, level: 'error', message: 'tryAnotherAccount', answer: 'redirect' },
  Callback: {
    page: 'signin',
    status: 400,
    level: 'error',
    message: 'tryAnotherAccount',
    answer: 'redirect',
    log: { kind: 'callback', email: 'CALLBACK_EMAIL_ERROR', oauth: 'OAUTH_CALLBACK_HANDLER_ERROR' },
  },
  OAuthAccountNotLinked: { page: 'signin', status: 403, level: 'warn', message: 'accountNotLinked', answer: 'redirect' },
  EmailSignin: { page: 'signin', status: 400, level: 'error', message: 'emailNotSent', answer: 'redirect', log: { kind: 'provider', code: 'SIGNIN_EMAIL_ERROR' } },
  CredentialsSignin: { page: 'signin', status: 401, level: 'warn', message: 'credentials', answer: 'redirect' },
  SessionRequired: { page: 'signin', status: 401, level: 'debug', message: 'sessionRequired', answer: 'redirect' },
  Signin: { page: 'signin', status: 400, level: 'error', message: 'tryAnotherAccount', answer: 'redirect' },
  MissingCSRF: { page: 'signin', status: 403, level: 'warn', message: 'formExpired', answer: 'csrf' },
  RateLimited: { page: 'signin', status: 429, level: 'warn', message: 'rateLimited', answer: 'redirect' },
  DuplicateField: { page: 'error', status: 400, level: 'warn', message: 'duplicateField', answer: 'refuse' },
  // Sign-in failures of the Password provider travel as `error=CredentialsSignin&code=<code>` (Auth.js
  // v5's shape for a custom credentials code), its forms' failures as `error=<code>` back to the form.
  InvalidCredentials: { page: 'form', status: 401, level: 'warn', message: 'invalidCredentials', answer: 'redirect' },
  // 423 Locked (RFC 4918 §11.3) with Retry-After: the account's lock, distinct from the per-IP 429.
  AccountLocked: { page: 'form', status: 423, level: 'warn', message: 'accountLocked', answer: 'redirect' },
  EmailNotVerified: { page: 'form', status: 403, level: 'debug', message: 'emailNotVerified', answer: 'redirect' },
  WeakPassword: { page: 'form', status: 400, level: 'debug', message: 'weakPassword', answer: 'redirect' },
  PasswordBreached: { page: 'form', status: 400, level: 'debug', message: 'passwordBreached', answer: 'redirect' },
  PasswordCheckUnavailable: { page: 'form', status: 503, level: 'error', message: 'passwordCheckUnavailable', answer: 'redirect' },
  EmailInUse: { page: 'form', status: 409, level: 'debug', message: 'emailInUse', answer: 'redirect' },
  CaptchaFailed: { page: 'form', status: 403, level: 'warn', message: 'captchaFailed', answer: 'redirect' },
  // Gatehouse: the pending second step expired or was already used; the user starts the sign-in again.
  TwoFactorExpired: { page: 'signin', status: 401, level: 'debug', message: 'twoFactorExpired', answer: 'redirect' },
  // Gatehouse: a passkey assertion was refused (unknown or deleted credential, spent or foreign challenge, a counter that did not grow: WebAuthn §6.1.1).
  PasskeySignin: { page: 'signin', status: 401, level: 'warn', message: 'passkeyFailed', answer: 'redirect' },
  CrossSiteRequest: { page: 'error', status: 403, level: 'warn', message: 'crossSite', answer: 'refuse' },
  // gatehouse's own: the store is down or too slow (storeTimeout). Never a credentials failure, never a 500.
  ServiceUnavailable: { page: 'error', status: 503, level: 'error', message: 'serviceUnavailable', answer: 'unavailable' },
  Default: { page: 'error', status: 200, level: 'error', message: 'default', answer: 'redirect' },
});

/** Whether `value` names a code. An own-property check: `constructor`, `__proto__` or `toString` name none. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, value);
}

/** The code a query's `error` names when it belongs on the sign-in page (matched exactly, as v4 does). */
export function signinPageCode(value: string): ErrorCode | undefined {
  return isErrorCode(value) && ERRORS[value].page === 'signin' ? value : undefined;
}

/** Error-page codes by lower-case name: v4's error page matches `error.toLowerCase()`. */
const ERROR_PAGE_CODES: ReadonlyMap<string, ErrorCode> = new Map((Object.keys(ERRORS) as ErrorCode[]).filter((code) => ERRORS[code].page === 'error').map((code) => [code.toLowerCase(), code]));

/** The error-page code a query's `error` names, case-insensitively; anything else is `Default`. */
export function errorPageCode(value: string): ErrorCode {
  return ERROR_PAGE_CODES.get(value.toLowerCase()) ?? 'Default';
}

export interface AuthErrorOptions {
  cause?: unknown;
  message?: string;
  /** The provider involved, echoed in the error URL for credentials as v4 does. */
  provider?: string;
  /** The `error` query value when it is not `code`: the message a signIn callback threw (v4 passes it on). */
  reported?: string;
  /** The `code` query value beside `error` (a custom credentials code, as Auth.js v5 sends it). */
  detail?: string;
}

/**
 * A failure with a code that is safe to show the client. The `cause` goes to the server log only:
 * nothing of it reaches a response. Gatehouse throws the subclasses below (`AnyAuthError`).
 */
export class AuthError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  /** The provider involved, echoed in the error URL for credentials as v4 does. */
  readonly provider: string | undefined;
  /** The `error` query value when it is not `code`: the message a signIn callback threw (v4 passes it on). */
  readonly reported: string | undefined;
  /** The `code` query value beside `error` (a custom credentials code, as Auth.js v5 sends it). */
  readonly detail: string | undefined;

  constructor(code: C, options: AuthErrorOptions = {}) {
    super(options.message ?? code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `${code}Error`;
    this.code = code;
    this.provider = options.provider;
    this.reported = options.reported;
    this.detail = options.detail;
  }

  /** Auth.js v5's name for the code (`error.type === 'CredentialsSignin'`), so v5 apps' checks keep working. */
  get type(): C {
    return this.code;
  }
}

export class AccessDeniedError extends AuthError<'AccessDenied'> {
  constructor(options: { cause?: unknown; provider?: string; reported?: string } = {}) {
    super('AccessDenied', options);
  }
}
export class VerificationError extends AuthError<'Verification'> {
  constructor(cause?: unknown) {
    super('Verification', { cause });
  }
}
export class OAuthSigninError extends AuthError<'OAuthSignin'> {
  constructor(cause?: unknown) {
    super('OAuthSignin', { cause });
  }
}
export class OAuthCallbackError extends AuthError<'OAuthCallback'> {
  constructor(cause?: unknown) {
    super('OAuthCallback', { cause });
  }
}
export class OAuthCreateAccountError extends AuthError<'OAuthCreateAccount'> {
  constructor(cause?: unknown) {
    super('OAuthCreateAccount', { cause });
  }
}
export class EmailCreateAccountError extends AuthError<'EmailCreateAccount'> {
  constructor(cause?: unknown) {
    super('EmailCreateAccount', { cause });
  }
}
export class CallbackError extends AuthError<'Callback'> {
  constructor(cause?: unknown) {
    super('Callback', { cause });
  }
}
export class OAuthAccountNotLinkedError extends AuthError<'OAuthAccountNotLinked'> {
  constructor(cause?: unknown) {
    super('OAuthAccountNotLinked', { cause });
  }
}
export class EmailSigninError extends AuthError<'EmailSignin'> {
  constructor(cause?: unknown) {
    super('EmailSignin', { cause });
  }
}
export class CredentialsSigninError extends AuthError<'CredentialsSignin'> {
  constructor(options: { cause?: unknown; provider?: string; detail?: string } = {}) {
    super('CredentialsSignin', options);
  }
}
export class MissingCSRFError extends AuthError<'MissingCSRF'> {
  constructor() {
    super('MissingCSRF');
  }
}
export class RateLimitedError extends AuthError<'RateLimited'> {
  /** Seconds until another attempt is allowed (the `Retry-After` header). */
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super('RateLimited');
    this.retryAfter = retryAfter;
  }
}

/** Seconds a client is asked to wait after a store outage: a few deadlines' worth, so a retry usually finds the store back. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** The store could not be reached or did not answer within `storeTimeout`: 503 with `Retry-After`, the attempt not counted. */
export class ServiceUnavailableError extends AuthError<'ServiceUnavailable'> {
  /** Seconds before a retry is worth it (the `Retry-After` header). */
  readonly retryAfter = OUTAGE_RETRY_AFTER_SECONDS;
  constructor(cause?: unknown) {
    super('ServiceUnavailable', { cause });
  }
}

/** A field sent more than once (form, JSON body or query): ambiguous, so the request is refused before any route reads it. */
export class DuplicateFieldError extends AuthError<'DuplicateField'> {
  constructor(field: string) {
    // The name is the client's input: quoted and cut short for the log, never sent back.
    super('DuplicateField', { cause: new Error(`the field ${JSON.stringify(String(field).slice(0, 64))} was sent more than once`) });
  }
}

/** The Password provider's failures. `detail` is the `code` query value beside `error`: a policy violation, or the sign-in reason beside `CredentialsSignin`. */
type PasswordErrorOptions = Pick<AuthErrorOptions, 'cause' | 'provider' | 'reported' | 'detail'>;

export class InvalidCredentialsError extends AuthError<'InvalidCredentials'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('InvalidCredentials', options);
  }
}
export class AccountLockedError extends AuthError<'AccountLocked'> {
  /** Seconds until the lock ends (the `Retry-After` header). */
  readonly retryAfter: number;
  constructor(retryAfter: number, options: PasswordErrorOptions = {}) {
    super('AccountLocked', options);
    this.retryAfter = retryAfter;
  }
}
export class EmailNotVerifiedError extends AuthError<'EmailNotVerified'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('EmailNotVerified', options);
  }
}
export class WeakPasswordError extends AuthError<'WeakPassword'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('WeakPassword', options);
  }
}
export class PasswordBreachedError extends AuthError<'PasswordBreached'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('PasswordBreached', options);
  }
}
export class PasswordCheckUnavailableError extends AuthError<'PasswordCheckUnavailable'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('PasswordCheckUnavailable', options);
  }
}
export class EmailInUseError extends AuthError<'EmailInUse'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('EmailInUse', options);
  }
}
export class CaptchaFailedError extends AuthError<'CaptchaFailed'> {
  constructor(options: PasswordErrorOptions = {}) {
    super('CaptchaFailed', options);
  }
}

/** A POST from another site (Sec-Fetch-Site, else Origin), refused whatever token it carries; the OAuth form_post callback is exempt. */
export class CrossSiteRequestError extends AuthError<'CrossSiteRequest'> {
  constructor(from?: string) {
    super('CrossSiteRequest', from === undefined ? {} : { cause: new Error(`a POST from ${JSON.stringify(String(from).slice(0, 200))}`) });
  }
}

/** A passkey sign-in refused; `cause` (server log only) says why. */
export class PasskeySigninError extends AuthError<'PasskeySignin'> {
  constructor(reason?: string) {
    super('PasskeySignin', reason === undefined ? {} : { cause: new Error(reason) });
  }
}

/**
 * Every error gatehouse throws with a page code, discriminated on `code`. None is `Configuration`:
 * a misconfiguration is a TypeError at `createAuth`, and a failure nothing foresaw is answered as
 * that code (`server-error`) without being one of these.
 */
export type AnyAuthError =
  | AccessDeniedError
  | VerificationError
  | OAuthSigninError
  | OAuthCallbackError
  | OAuthCreateAccountError
  | EmailCreateAccountError
  | CallbackError
  | OAuthAccountNotLinkedError
  | EmailSigninError
  | CredentialsSigninError
  | MissingCSRFError
  | RateLimitedError
  | DuplicateFieldError
  | InvalidCredentialsError
  | AccountLockedError
  | EmailNotVerifiedError
  | WeakPasswordError
  | PasswordBreachedError
  | PasswordCheckUnavailableError
  | EmailInUseError
  | CaptchaFailedError
  | CrossSiteRequestError
  | PasskeySigninError
  | ServiceUnavailableError;

/** Whether `value` carries a page code: gatehouse's errors, and an `AuthError` user code threw (passed on as it is). */
export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}

/** A request the API cannot serve at all: unknown action, wrong method, oversized or malformed input. */
export class BadRequestError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'BadRequestError';
    this.status = status;
  }
}

/** What an OAuth/OIDC provider answered that the protocol does not allow; the flows log it under `OAuthSignin`/`OAuthCallback`. */
export type OAuthProtocolCode = 'OAUTH_NO_USERINFO_ENDPOINT' | 'OAUTH_USERINFO_HTTP_ERROR' | 'OAUTH_USERINFO_NOT_AN_OBJECT' | 'OAUTH_ID_TOKEN_UNVERIFIABLE' | 'OAUTH_NO_ACCESS_TOKEN';

/**
 * A provider broke the protocol (a bad token or userinfo response, an ID token that cannot be
 * verified): a coded failure of one sign-in, unlike a `TypeError`, which means misconfiguration.
 */
export class OAuthProtocolError extends Error {
  readonly code: OAuthProtocolCode;
  constructor(code: OAuthProtocolCode, message: string) {
    super(message);
    this.name = 'OAuthProtocolError';
    this.code = code;
  }
}
