// GET `security`: the built-in account-security page of a signed-in user (authenticator app, backup codes, passkeys); signed out, the sign-in page first.
import { BadRequestError } from '../errors.js';
import { securityPage } from '../flows/security-page.js';
import type { Route } from '../context.js';

export const securityPageRoute: Route = (ctx) => {
  if (ctx.providerId !== undefined) throw new BadRequestError(`Error: This action with HTTP ${ctx.method} is not supported.`);
  // Nothing to manage without a second factor or a Passkey provider.
  if (!ctx.config.twoFactor && !ctx.config.providers.some((p) => p.type === 'webauthn')) throw new BadRequestError('Error: Not found.', 404);
  return securityPage(ctx);
};
