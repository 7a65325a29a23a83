// GET|POST `callback/:provider`: where providers return (OAuth redirect, magic link) or credentials are posted.
import { BadRequestError } from '../errors.js';
import { flowOf } from '../flows/providers.js';
import type { Route } from '../context.js';

export const callback: Route = async (ctx) => {
  const provider = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  if (!provider) throw new BadRequestError('Error: Unknown provider.');
  return flowOf(provider.type).callback(ctx, provider);
};
