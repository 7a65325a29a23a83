// GET|POST `callback/:provider`: where providers return (OAuth redirect, magic link) or credentials are posted.
import { BadRequest } from '../errors.js';
import { FLOWS } from '../flows/providers.js';
import type { Route } from './types.js';

export const callback: Route = async (ctx) => {
  const provider = ctx.providerId === undefined ? undefined : ctx.config.providerById.get(ctx.providerId);
  const flow = provider && FLOWS[provider.type];
  if (!provider || !flow) throw new BadRequest('Error: Unknown provider.');
  return flow.callback(ctx, provider);
};
