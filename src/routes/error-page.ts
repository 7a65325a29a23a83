// GET `error`: sign-in errors go back to the sign-in page (v4 §2.9); the rest render the error page or `pages.error`.
import { SIGNIN_PAGE_CODES } from '../errors.js';
import { errorView, renderErrorPage } from '../pages/error.js';
import type { Route } from '../context.js';

export const errorPage: Route = (ctx) => {
  const code = ctx.query.error || 'Default';
  if (SIGNIN_PAGE_CODES.has(code)) return { redirect: `${ctx.url.base}/signin?error=${encodeURIComponent(code)}` };
  const custom = ctx.config.pages.error;
  if (custom) {
    const sep = custom.includes('?') ? '&' : '?';
    // Encoded, unlike v4 (§10.13): the code comes from the query string.
    return { redirect: `${custom}${sep}error=${encodeURIComponent(code)}` };
  }
  return { status: errorView(code).status, html: renderErrorPage({ base: ctx.url.base, origin: ctx.url.origin, theme: ctx.config.theme }, code) };
};
