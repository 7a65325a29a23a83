// POST `signup/:provider`: CSRF-checked account creation for the Password provider, or a passkey sign-up's mailed link; failures go back to the sign-up page.
import { BadRequestError } from '../errors.js';
import { signUpHost, startPasskeySignUp } from '../flows/passkey-signup.js';
import { passwordProviderOf } from '../flows/password/pages.js';
import { passwordSignUp } from '../flows/password/sign-up.js';
import { pageUrl } from '../flows/password/mail.js';
import { returnErrorsTo } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const signup: Route = (ctx) => {
  const named = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  const host = named?.type === 'webauthn' ? signUpHost(ctx.config) : undefined;
  if (named?.type === 'webauthn' && host) {
    returnErrorsTo(ctx, pageUrl(ctx, ctx.config.pages.signUp, '/signup'));
    return startPasskeySignUp(ctx, named, host);
  }
  const provider = ctx.providerId === undefined ? undefined : passwordProviderOf(ctx.config, ctx.providerId);
  if (!provider) throw new BadRequestError('Error: Unknown provider.');
  returnErrorsTo(ctx, pageUrl(ctx, ctx.config.pages.signUp, '/signup'));
  return passwordSignUp(ctx, provider);
};
