// GET `password/forgot`: the built-in "send me a reset link" page, or a redirect to `pages.resetPassword`.
import { pageText } from '../flows/locale.js';
import { BadRequestError } from '../errors.js';
import { pageUrl } from '../flows/password/mail.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { csrf } from '../flows/request-state.js';
import { renderForgotPasswordPage } from '../pages/password.js';
import type { Route } from '../context.js';

export const passwordForgotPage: Route = (ctx) => {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new BadRequestError('Error: Not found.', 404);
  const custom = ctx.config.pages.resetPassword;
  if (custom) {
    const params = new URLSearchParams();
    if (ctx.query.error) params.set('error', ctx.query.error);
    return { redirect: params.size ? `${custom}${custom.includes('?') ? '&' : '?'}${params}` : custom };
  }
  return {
    html: renderForgotPasswordPage({
      base: ctx.url.base,
      providerId: provider.id,
      csrfToken: csrf(ctx).token,
      error: ctx.query.error,
      code: ctx.query.code,
      signInUrl: pageUrl(ctx, ctx.config.pages.signIn, '/signin'),
      theme: ctx.config.theme,
      text: pageText(ctx),
    }),
  };
};
