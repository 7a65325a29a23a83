// POST `password/reset`: CSRF-checked; spends the reset link, sets the password, unlocks, ends every session, signs in; failures go back to the form.
import { BadRequestError } from '../errors.js';
import { resetFormUrl } from '../flows/password/mail.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { resetPassword } from '../flows/password/reset.js';
import { returnErrorsTo } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const passwordReset: Route = (ctx) => {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new BadRequestError('Error: Not found.', 404);
  const token = typeof ctx.body.token === 'string' ? ctx.body.token : '';
  returnErrorsTo(ctx, resetFormUrl(ctx, token));
  return resetPassword(ctx, provider);
};
