// What the built-in pages say for each error code (keyed by the `message` of its entry in `ERRORS`): short, safe, never the raw error text.
import { ERRORS, errorPageCode, isErrorCode, signinPageCode, type ErrorPageMessageKey, type FormMessageKey, type SigninMessageKey } from '../errors.js';

const SIGNIN_MESSAGES: Readonly<Record<SigninMessageKey, string>> = {
  tryAnotherAccount: 'Try signing in with a different account.',
  accountNotLinked: 'This email is already linked to another sign-in method. Sign in the way you did before.',
  emailNotSent: 'The sign-in email could not be sent. Check the address and try again.',
  credentials: 'Sign in failed. Check that the details you entered are correct.',
  sessionRequired: 'Please sign in to view this page.',
  formExpired: 'The sign-in form expired. Please try again.',
  rateLimited: 'Too many attempts. Please wait a moment and try again.',
  twoFactorExpired: 'That sign-in step expired. Please sign in again.',
};

export const DEFAULT_SIGNIN_MESSAGE = 'Unable to sign in.';

/** The sign-in page's banner for a query's `error`: the code's message, or a generic one for any other value. */
export function signinMessage(value: string): string {
  const code = signinPageCode(value);
  const rule = code === undefined ? undefined : ERRORS[code];
  return rule?.page === 'signin' ? SIGNIN_MESSAGES[rule.message] : DEFAULT_SIGNIN_MESSAGE;
}

const FORM_MESSAGES: Readonly<Record<FormMessageKey, string>> = {
  invalidCredentials: 'Sign in failed. Check your email and password.',
  accountLocked: 'Too many wrong passwords: this account is locked for a while. Try again later, or reset your password.',
  emailNotVerified: 'Confirm your email address first: open the link we sent you.',
  weakPassword: 'Choose a password of at least 8 characters that is not your email address or name.',
  passwordBreached: 'This password appears in a known data breach. Choose another one.',
  passwordCheckUnavailable: 'Your password could not be checked right now. Please try again in a moment.',
  emailInUse: 'An account with this email already exists. Sign in, or reset your password.',
  captchaFailed: 'Please complete the challenge and try again.',
};

/** The policy's reasons beside `WeakPassword` (`code=TooShort`): what to change. */
const POLICY_MESSAGES: Readonly<Record<string, string>> = {
  TooShort: 'Choose a longer password.',
  TooLong: 'That password is too long.',
  ContextSpecific: 'Choose a password that is not your email address or name.',
  Repetitive: 'Choose a password that is not one character repeated.',
};

/**
 * A banner on the Password provider's pages and the sign-in page: a form code's message (named by
 * `error`, or by `code` beside `CredentialsSignin`), a policy reason, else the sign-in message.
 * `Verification` (a spent reset link) gets the error page's words.
 */
export function formMessage(error: string, code?: string): string {
  if (error === 'WeakPassword' && code !== undefined && Object.prototype.hasOwnProperty.call(POLICY_MESSAGES, code)) return POLICY_MESSAGES[code]!;
  for (const value of [code, error]) {
    if (value === undefined || !isErrorCode(value)) continue;
    const rule = ERRORS[value];
    if (rule.page === 'form') return FORM_MESSAGES[rule.message];
  }
  if (error === 'Verification') return ERROR_VIEWS.verification.message;
  return signinMessage(error);
}

/** Notices (not errors) the sign-in page shows after a step of the password lifecycle. */
export const NOTICES: Readonly<Record<string, string>> = Object.freeze({
  verified: 'Your email address is confirmed. You can sign in now.',
  reset: 'Your password was changed. Sign in with the new one.',
});

export interface ErrorView {
  status: number;
  heading: string;
  message: string;
  /** Offer to sign in again, rather than a link home. */
  signIn: boolean;
}

const ERROR_VIEWS: Readonly<Record<ErrorPageMessageKey, Omit<ErrorView, 'status'>>> = {
  configuration: {
    heading: 'Server error',
    message: 'The server is not configured correctly. The site owner can find details in the server logs.',
    signIn: false,
  },
  accessDenied: { heading: 'Access denied', message: 'You are not allowed to sign in.', signIn: true },
  verification: {
    heading: 'Unable to sign in',
    message: 'This sign-in link is no longer valid: it was already used or it has expired.',
    signIn: true,
  },
  duplicateField: {
    heading: 'Bad request',
    message: 'The request sent a field more than once, so it was refused. Go back and submit the form again.',
    signIn: true,
  },
  crossSite: {
    heading: 'Request refused',
    message: 'This form was sent from another site, so it was refused. Go to this site and try again.',
    signIn: true,
  },
  serviceUnavailable: {
    heading: 'Service unavailable',
    message: 'Signing in is not possible for a moment. Please try again shortly.',
    signIn: true,
  },
  default: { heading: 'Error', message: 'Something went wrong while signing in.', signIn: false },
};

/** The error page for a query's `error` (or a code), matched case-insensitively; any other value gets the default page. */
export function errorView(value: string): ErrorView {
  const rule = ERRORS[errorPageCode(value)];
  const view = rule.page === 'error' ? ERROR_VIEWS[rule.message] : ERROR_VIEWS.default;
  return { status: rule.status, ...view };
}
