// GET `password/change`: the built-in change-password form for a signed-in user.
import { pageText } from '../flows/locale.js';
import { BadRequestError } from '../errors.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import { renderChangePasswordPage } from '../pages/password.js';
import type { Route } from '../context.js';

export const passwordChangePage: Route = async (ctx) => {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new BadRequestError('Error: Not found.', 404);
  return {
    html: renderChangePasswordPage({
      base: ctx.url.base,
      providerId: provider.id,
      csrfToken: csrf(ctx).token,
      callbackUrl: await callbackUrl(ctx),
      error: ctx.query.error,
      code: ctx.query.code,
      minLength: provider.policy.minLength,
      theme: ctx.config.theme,
      text: pageText(ctx),
    }),
  };
};
