// What the built-in pages say for each error code (keyed by the `message` of its entry in `ERRORS`): short, safe, never the raw error text; the words come from the request's locale.
import { ERRORS, errorPageCode, isErrorCode, signinPageCode } from '../errors.js';
import type { Translator } from '../locales/index.js';

/** The sign-in page's banner for a query's `error`: the code's message, or a generic one for any other value. */
export function signinMessage(text: Translator, value: string): string {
  const code = signinPageCode(value);
  const rule = code === undefined ? undefined : ERRORS[code];
  return rule?.page === 'signin' ? text.t(`signin.error.${rule.message}`) : text.t('signin.error.default');
}

/** The policy's reasons beside `WeakPassword` (`code=TooShort`): what to change. */
const POLICY_REASONS = ['TooShort', 'TooLong', 'ContextSpecific', 'Repetitive'] as const;
type PolicyReason = (typeof POLICY_REASONS)[number];
const isPolicyReason = (value: string): value is PolicyReason => (POLICY_REASONS as readonly string[]).includes(value);

/** The password policy's default shortest length, for a banner on a page that does not know the configured one. */
const DEFAULT_MIN_LENGTH = 8;

/**
 * A banner on the Password provider's pages and the sign-in page: a form code's message (named by
 * `error`, or by `code` beside `CredentialsSignin`), a policy reason, else the sign-in message.
 * `Verification` (a spent reset link) gets the error page's words.
 */
export function formMessage(text: Translator, error: string, code?: string, minLength = DEFAULT_MIN_LENGTH): string {
  if (error === 'WeakPassword' && code !== undefined && isPolicyReason(code)) return text.t(`form.policy.${code}`);
  for (const value of [code, error]) {
    if (value === undefined || !isErrorCode(value)) continue;
    const rule = ERRORS[value];
    if (rule.page === 'form') return text.t(`form.error.${rule.message}`, { minLength });
  }
  if (error === 'Verification') return text.t('error.verification.message');
  return signinMessage(text, error);
}

/** Notices (not errors) the sign-in page shows after a step of the password lifecycle. */
const NOTICES = ['verified', 'reset'] as const;

/** The notice's text; undefined for any other value (`?notice=constructor` names no notice). */
export function noticeMessage(text: Translator, notice: string | undefined): string | undefined {
  const known = NOTICES.find((name) => name === notice);
  return known === undefined ? undefined : text.t(`signin.notice.${known}`);
}

export interface ErrorView {
  status: number;
  heading: string;
  message: string;
  /** Offer to sign in again, rather than a link home. */
  signIn: boolean;
}

/** The error page for a query's `error` (or a code), matched case-insensitively; any other value gets the default page. */
export function errorView(text: Translator, value: string): ErrorView {
  const rule = ERRORS[errorPageCode(value)];
  const key = rule.page === 'error' ? rule.message : 'default';
  // The server's own failures (and unknown codes) link home; the rest offer another sign-in.
  const signIn = key !== 'configuration' && key !== 'default';
  return { status: rule.status, heading: text.t(`error.${key}.heading`), message: text.t(`error.${key}.message`), signIn };
}
