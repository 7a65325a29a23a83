// The built-in error page: a fixed message per error class, never the raw error text.
import type { Theme } from '../types.js';
import { escapeHtml, renderDocument } from './html.js';

interface ErrorView {
  status: number;
  heading: string;
  message: string;
  /** Offer to sign in again, rather than a link home. */
  signIn: boolean;
}

const VIEWS: Record<string, ErrorView> = {
  configuration: {
    status: 500,
    heading: 'Server error',
    message: 'The server is not configured correctly. The site owner can find details in the server logs.',
    signIn: false,
  },
  accessdenied: { status: 403, heading: 'Access denied', message: 'You are not allowed to sign in.', signIn: true },
  verification: {
    status: 403,
    heading: 'Unable to sign in',
    message: 'This sign-in link is no longer valid: it was already used or it has expired.',
    signIn: true,
  },
};

const DEFAULT_VIEW: ErrorView = { status: 200, heading: 'Error', message: 'Something went wrong while signing in.', signIn: false };

export function errorView(code: string): ErrorView {
  return VIEWS[code.toLowerCase()] ?? DEFAULT_VIEW;
}

export interface ErrorPageInput {
  /** The auth API's base URL (origin and path), for the sign-in link. */
  base: string;
  /** The site's origin, for the link home. */
  origin: string;
  theme: Theme;
}

export function renderErrorPage(input: ErrorPageInput, code: string): string {
  const view = errorView(code);
  const link = view.signIn
    ? `<a class="button" href="${escapeHtml(`${input.base}/signin`)}">Sign in</a>`
    : `<a class="button" href="${escapeHtml(input.origin)}">Back to ${escapeHtml(new URL(input.origin).host)}</a>`;
  return renderDocument({ title: view.heading, theme: input.theme, body: `<h1>${escapeHtml(view.heading)}</h1><p>${escapeHtml(view.message)}</p>${link}` });
}
