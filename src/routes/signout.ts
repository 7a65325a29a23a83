// POST `signout`: CSRF-checked (a link alone cannot sign anyone out); deletes the session and clears its cookie.
import { MissingCSRFError } from '../errors.js';
import { rpLogout } from '../flows/oauth.js';
import { callbackUrl, csrf, rotateCsrf } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const signout: Route = async (ctx) => {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const target = await callbackUrl(ctx);
  const cookies = await ctx.sessions.end(ctx);
  rotateCsrf(ctx);
  // Opt-in RP-initiated logout: the IdP's end-session endpoint, which comes back to `target`.
  const idp = await rpLogout(ctx, target);
  return { redirect: idp.redirect ?? target, cookies: [...cookies, ...idp.cookies] };
};
