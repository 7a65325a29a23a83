// GET `webauthn-options/:provider?action=authenticate|register`: the WebAuthn options for the browser (Auth.js v5's route).
import { BadRequestError } from '../errors.js';
import { passkeyOptions } from '../flows/passkey.js';
import type { Route } from '../context.js';

export const webauthnOptions: Route = (ctx) => {
  const provider = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  if (provider?.type !== 'webauthn') throw new BadRequestError('Error: Unknown passkey provider.');
  return passkeyOptions(ctx, provider);
};
