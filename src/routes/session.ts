// GET `session`: the client-safe session or `{}`; POST `session`: the CSRF-checked update behind `useSession().update()`.
import { MissingCSRFError } from '../errors.js';
import { csrf } from '../flows/request-state.js';
import { NO_CACHE, type Route } from '../context.js';

export const sessionRoute: Route = async (ctx) => {
  if (ctx.method === 'POST') {
    if (!csrf(ctx).verified) throw new MissingCSRFError();
    const { session, cookies } = await ctx.sessions.read(ctx, { update: { data: ctx.body.data } });
    // v4 sends no cache headers on the update answer.
    return { json: session ?? {}, cookies };
  }
  const { session, cookies } = await ctx.sessions.read(ctx);
  return { headers: NO_CACHE, json: session ?? {}, cookies };
};
