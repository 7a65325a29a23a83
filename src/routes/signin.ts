// POST `signin/:provider`: CSRF-checked start of a sign-in (OAuth redirect, magic-link email, or the credentials page).
import { MissingCSRFError } from '../errors.js';
import { flowOf } from '../flows/providers.js';
import { callbackUrl, csrf } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const signin: Route = async (ctx) => {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const provider = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  // v4 sends an unknown provider to the sign-in page too.
  if (!provider) return { redirect: `${ctx.url.base}/signin?csrf=true` };
  await callbackUrl(ctx);
  return flowOf(provider.type).signIn(ctx, provider);
};
