// Error codes (NextAuth's page codes), their AuthError classes, and the one table mapping each to page, status and log level.

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
  | 'Default';

export type LogLevel = 'error' | 'warn' | 'debug';

interface ErrorRule {
  /** Where the user is sent: the sign-in page shows the message inline, the error page stands alone. */
  page: 'signin' | 'error';
  /** Status of the built-in error page, and of JSON answers for this code. */
  status: number;
  level: LogLevel;
}

/** v4 §2.9: the sign-in codes redirect to the sign-in page; the rest render the error page. */
export const ERROR_RULES: Readonly<Record<ErrorCode, ErrorRule>> = Object.freeze({
  Configuration: { page: 'error', status: 500, level: 'error' },
  AccessDenied: { page: 'error', status: 403, level: 'warn' },
  Verification: { page: 'error', status: 403, level: 'warn' },
  OAuthSignin: { page: 'signin', status: 400, level: 'error' },
  OAuthCallback: { page: 'signin', status: 400, level: 'error' },
  OAuthCreateAccount: { page: 'signin', status: 500, level: 'error' },
  EmailCreateAccount: { page: 'signin', status: 500, level: 'error' },
  Callback: { page: 'signin', status: 400, level: 'error' },
  OAuthAccountNotLinked: { page: 'signin', status: 403, level: 'warn' },
  EmailSignin: { page: 'signin', status: 400, level: 'error' },
  CredentialsSignin: { page: 'signin', status: 401, level: 'warn' },
  SessionRequired: { page: 'signin', status: 401, level: 'debug' },
  Signin: { page: 'signin', status: 400, level: 'error' },
  MissingCSRF: { page: 'signin', status: 403, level: 'warn' },
  RateLimited: { page: 'signin', status: 429, level: 'warn' },
  Default: { page: 'error', status: 200, level: 'error' },
});

/** The codes that redirect from GET `error` to the sign-in page (v4's list plus gatehouse's own). */
export const SIGNIN_PAGE_CODES: ReadonlySet<string> = new Set(
  (Object.keys(ERROR_RULES) as ErrorCode[]).filter((code) => ERROR_RULES[code].page === 'signin'),
);

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_RULES, value);
}

/**
 * A failure with a code that is safe to show the client. The `cause` goes to the server log only:
 * nothing of it reaches a response.
 */
export class AuthError extends Error {
  readonly code: ErrorCode;
  /** The provider involved, echoed in the error URL for credentials as v4 does. */
  readonly provider: string | undefined;
  /** The `error` query value when it is not `code`: the message a signIn callback threw (v4 passes it on). */
  readonly reported: string | undefined;
  /** The `code` query value beside `error` (a custom credentials code, as Auth.js v5 sends it). */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: { cause?: unknown; message?: string; provider?: string; reported?: string; detail?: string } = {}) {
    super(options.message ?? code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `${code}Error`;
    this.code = code;
    this.provider = options.provider;
    this.reported = options.reported;
    this.detail = options.detail;
  }
}

export class ConfigurationError extends AuthError {
  constructor(message: string, cause?: unknown) {
    super('Configuration', { message, cause });
  }
}
export class AccessDenied extends AuthError {
  constructor(options: { cause?: unknown; provider?: string; reported?: string } = {}) {
    super('AccessDenied', options);
  }
}
export class Verification extends AuthError {
  constructor(cause?: unknown) {
    super('Verification', { cause });
  }
}
export class OAuthSigninError extends AuthError {
  constructor(cause?: unknown) {
    super('OAuthSignin', { cause });
  }
}
export class OAuthCallbackError extends AuthError {
  constructor(cause?: unknown) {
    super('OAuthCallback', { cause });
  }
}
export class OAuthCreateAccount extends AuthError {
  constructor(cause?: unknown) {
    super('OAuthCreateAccount', { cause });
  }
}
export class EmailCreateAccount extends AuthError {
  constructor(cause?: unknown) {
    super('EmailCreateAccount', { cause });
  }
}
export class CallbackRouteError extends AuthError {
  constructor(cause?: unknown) {
    super('Callback', { cause });
  }
}
export class OAuthAccountNotLinked extends AuthError {
  constructor(cause?: unknown) {
    super('OAuthAccountNotLinked', { cause });
  }
}
export class EmailSignInError extends AuthError {
  constructor(cause?: unknown) {
    super('EmailSignin', { cause });
  }
}
export class CredentialsSignin extends AuthError {
  constructor(options: { cause?: unknown; provider?: string; detail?: string } = {}) {
    super('CredentialsSignin', options);
  }
}
export class MissingCSRF extends AuthError {
  constructor() {
    super('MissingCSRF');
  }
}
export class RateLimited extends AuthError {
  /** Seconds until another attempt is allowed (the `Retry-After` header). */
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super('RateLimited');
    this.retryAfter = retryAfter;
  }
}

/** A request the API cannot serve at all: unknown action, wrong method, oversized or malformed input. */
export class BadRequest extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'BadRequest';
    this.status = status;
  }
}
