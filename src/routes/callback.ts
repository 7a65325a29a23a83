// GET|POST `callback/:provider`: where providers return (OAuth redirect, magic link) or credentials are posted.
import { BadRequestError } from '../errors.js';
import { flowOf } from '../flows/providers.js';
import { completeSecondFactor } from '../flows/two-factor.js';
import type { Route } from '../context.js';

export const callback: Route = async (ctx) => {
  const provider = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  // The second step of a sign-in, unless a provider took the id.
  if (!provider && ctx.providerId === 'two-factor' && ctx.method === 'POST') return completeSecondFactor(ctx);
  if (!provider) throw new BadRequestError('Error: Unknown provider.');
  return flowOf(provider.type).callback(ctx, provider);
};
