// GET `error`: sign-in errors go back to the sign-in page (`ERRORS[code].page`); the rest render the error page or `pages.error`.
import { pageText } from '../flows/locale.js';
import { signinPageCode } from '../errors.js';
import { renderErrorPage } from '../pages/error.js';
import type { Route } from '../context.js';

export const errorPage: Route = (ctx) => {
  const code = ctx.query.error || 'Default';
  if (signinPageCode(code) !== undefined) {
    // `code` (a credentials code, the Password provider's reason) goes along so the page can say what happened.
    const detail = ctx.query.code ? `&code=${encodeURIComponent(ctx.query.code)}` : '';
    return { redirect: `${ctx.url.base}/signin?error=${encodeURIComponent(code)}${detail}` };
  }
  const custom = ctx.config.pages.error;
  if (custom) {
    const sep = custom.includes('?') ? '&' : '?';
    // Encoded, unlike v4 (packages/next-auth/src/core/index.ts on branch v4, `case "error"`): the code comes from the query string.
    return { redirect: `${custom}${sep}error=${encodeURIComponent(code)}` };
  }
  return renderErrorPage({ base: ctx.url.base, origin: ctx.url.origin, theme: ctx.config.theme, text: pageText(ctx) }, code);
};
