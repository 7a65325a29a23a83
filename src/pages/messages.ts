// What the sign-in page says for each error code: short, safe, and never the raw error text.
const SIGNIN_MESSAGES: Record<string, string> = {
  Signin: 'Try signing in with a different account.',
  OAuthSignin: 'Try signing in with a different account.',
  OAuthCallback: 'Try signing in with a different account.',
  OAuthCreateAccount: 'Try signing in with a different account.',
  EmailCreateAccount: 'Try signing in with a different account.',
  Callback: 'Try signing in with a different account.',
  OAuthAccountNotLinked: 'This email is already linked to another sign-in method. Sign in the way you did before.',
  EmailSignin: 'The sign-in email could not be sent. Check the address and try again.',
  CredentialsSignin: 'Sign in failed. Check that the details you entered are correct.',
  SessionRequired: 'Please sign in to view this page.',
  MissingCSRF: 'The sign-in form expired. Please try again.',
  RateLimited: 'Too many attempts. Please wait a moment and try again.',
};

export const DEFAULT_SIGNIN_MESSAGE = 'Unable to sign in.';

export function signinMessage(code: string): string {
  return Object.prototype.hasOwnProperty.call(SIGNIN_MESSAGES, code) ? SIGNIN_MESSAGES[code]! : DEFAULT_SIGNIN_MESSAGE;
}
