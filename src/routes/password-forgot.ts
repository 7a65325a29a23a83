// POST `password/forgot`: CSRF-checked; mails a reset link when the address has an account, and answers the same either way.
import { BadRequestError } from '../errors.js';
import { pageUrl } from '../flows/password/mail.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { forgotPassword } from '../flows/password/reset.js';
import { returnErrorsTo } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const passwordForgot: Route = (ctx) => {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new BadRequestError('Error: Not found.', 404);
  returnErrorsTo(ctx, pageUrl(ctx, ctx.config.pages.resetPassword, '/password/forgot'));
  return forgotPassword(ctx, provider);
};
