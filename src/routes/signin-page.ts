// GET `signin`: the built-in sign-in page, or a redirect to `pages.signIn` with the callback URL and error.
import { pageText } from '../flows/locale.js';
import { authorizationTargets } from '../flows/form-targets.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { passwordLinks } from '../flows/password/pages.js';
import { renderSigninPage } from '../pages/signin.js';
import type { Route } from '../context.js';

export const signinPage: Route = async (ctx) => {
  const target = await callbackUrl(ctx);
  const error = ctx.query.error;
  const custom = ctx.config.pages.signIn;
  if (custom) {
    const sep = custom.includes('?') ? '&' : '?';
    const errorPart = error ? `&error=${encodeURIComponent(error)}` : '';
    const codePart = error && ctx.query.code ? `&code=${encodeURIComponent(ctx.query.code)}` : '';
    return { redirect: `${custom}${sep}callbackUrl=${encodeURIComponent(target)}${errorPart}${codePart}` };
  }
  const links = passwordLinks(ctx);
  const html = renderSigninPage({
    base: ctx.url.base,
    providers: ctx.config.providers,
    csrfToken: csrf(ctx).token,
    callbackUrl: target,
    ...(error ? { error } : {}),
    ...(error && ctx.query.code ? { code: ctx.query.code } : {}),
    ...(ctx.query.notice ? { notice: ctx.query.notice } : {}),
    ...(ctx.query.email ? { email: ctx.query.email } : {}),
    ...(links ? { passwordLinks: links } : {}),
    theme: ctx.config.theme,
    text: pageText(ctx),
  });
  return { html, formTargets: await authorizationTargets(ctx) };
};
