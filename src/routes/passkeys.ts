// GET `passkeys`: the signed-in user's passkeys as JSON (never their public keys).
import { BadRequestError } from '../errors.js';
import { listPasskeys } from '../flows/passkey-manage.js';
import type { Route } from '../context.js';

export const passkeysRoute: Route = (ctx) => {
  if (ctx.providerId !== undefined) throw new BadRequestError(`Error: This action with HTTP ${ctx.method} is not supported.`);
  return listPasskeys(ctx);
};
