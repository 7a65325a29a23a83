// POST `password/change`: CSRF-checked, signed in; checks the current password, sets the new one, ends the user's other sessions.
import { BadRequestError } from '../errors.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { changePassword } from '../flows/password/reset.js';
import { returnErrorsTo } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const passwordChange: Route = (ctx) => {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) throw new BadRequestError('Error: Not found.', 404);
  returnErrorsTo(ctx, `${ctx.url.base}/password/change`);
  return changePassword(ctx, provider);
};
