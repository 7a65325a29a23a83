// GET `password/reset?token=…`: the form a reset link opens (it spends nothing), or a redirect to `pages.resetPassword` with the token.
import { pageText } from '../flows/locale.js';
import { BadRequestError } from '../errors.js';
import { resetFormUrl } from '../flows/password/mail.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { csrf } from '../flows/request-state.js';
import { renderResetPasswordPage } from '../pages/password.js';
import type { Route } from '../context.js';

export const passwordResetPage: Route = (ctx) => {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new BadRequestError('Error: Not found.', 404);
  const token = ctx.query.token ?? '';
  if (ctx.config.pages.resetPassword) {
    const url = resetFormUrl(ctx, token);
    return { redirect: ctx.query.error ? `${url}&error=${encodeURIComponent(ctx.query.error)}` : url };
  }
  return {
    html: renderResetPasswordPage({
      base: ctx.url.base,
      providerId: provider.id,
      csrfToken: csrf(ctx).token,
      token,
      error: ctx.query.error,
      code: ctx.query.code,
      minLength: provider.policy.minLength,
      theme: ctx.config.theme,
      text: pageText(ctx),
    }),
  };
};
