// The built-in error page: a fixed message per error class, never the raw error text.
import type { RouteContext } from '../routes/types.js';
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

export function renderErrorPage(ctx: Pick<RouteContext, 'url' | 'config'>, code: string): string {
  const view = errorView(code);
  const link = view.signIn
    ? `<a class="button" href="${escapeHtml(`${ctx.url.base}/signin`)}">Sign in</a>`
    : `<a class="button" href="${escapeHtml(ctx.url.origin)}">Back to ${escapeHtml(new URL(ctx.url.origin).host)}</a>`;
  return renderDocument({ title: view.heading, theme: ctx.config.theme, body: `<h1>${escapeHtml(view.heading)}</h1><p>${escapeHtml(view.message)}</p>${link}` });
}
