// What the built-in pages say for each error code (keyed by the `message` of its entry in `ERRORS`): short, safe, never the raw error text.
import { ERRORS, errorPageCode, signinPageCode, type ErrorPageMessageKey, type SigninMessageKey } from '../errors.js';

const SIGNIN_MESSAGES: Readonly<Record<SigninMessageKey, string>> = {
  tryAnotherAccount: 'Try signing in with a different account.',
  accountNotLinked: 'This email is already linked to another sign-in method. Sign in the way you did before.',
  emailNotSent: 'The sign-in email could not be sent. Check the address and try again.',
  credentials: 'Sign in failed. Check that the details you entered are correct.',
  sessionRequired: 'Please sign in to view this page.',
  formExpired: 'The sign-in form expired. Please try again.',
  rateLimited: 'Too many attempts. Please wait a moment and try again.',
};

export const DEFAULT_SIGNIN_MESSAGE = 'Unable to sign in.';

/** The sign-in page's banner for a query's `error`: the code's message, or a generic one for any other value. */
export function signinMessage(value: string): string {
  const code = signinPageCode(value);
  const rule = code === undefined ? undefined : ERRORS[code];
  return rule?.page === 'signin' ? SIGNIN_MESSAGES[rule.message] : DEFAULT_SIGNIN_MESSAGE;
}

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
  default: { heading: 'Error', message: 'Something went wrong while signing in.', signIn: false },
};

/** The error page for a query's `error` (or a code), matched case-insensitively; any other value gets the default page. */
export function errorView(value: string): ErrorView {
  const rule = ERRORS[errorPageCode(value)];
  const view = rule.page === 'error' ? ERROR_VIEWS[rule.message] : ERROR_VIEWS.default;
  return { status: rule.status, ...view };
}
