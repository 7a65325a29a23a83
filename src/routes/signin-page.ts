// GET `signin`: the built-in sign-in page, or a redirect to `pages.signIn` with the callback URL and error.
import { callbackUrl, csrf } from '../flows/request-state.js';
import { renderSigninPage } from '../pages/signin.js';
import type { Route } from '../context.js';

export const signinPage: Route = async (ctx) => {
  const target = await callbackUrl(ctx);
  const error = ctx.query.error;
  const custom = ctx.config.pages.signIn;
  if (custom) {
    const sep = custom.includes('?') ? '&' : '?';
    const errorPart = error ? `&error=${encodeURIComponent(error)}` : '';
    return { redirect: `${custom}${sep}callbackUrl=${encodeURIComponent(target)}${errorPart}` };
  }
  const html = renderSigninPage({
    base: ctx.url.base,
    providers: ctx.config.providers,
    csrfToken: csrf(ctx).token,
    callbackUrl: target,
    ...(error ? { error } : {}),
    ...(ctx.query.email ? { email: ctx.query.email } : {}),
    theme: ctx.config.theme,
  });
  return { html };
};
