// POST `signout`: CSRF-checked (a link alone cannot sign anyone out); deletes the session and clears its cookie.
import { MissingCSRFError, ServiceUnavailableError } from '../errors.js';
import { rpLogout } from '../flows/oauth.js';
import { callbackUrl, csrf, rotateCsrf } from '../flows/request-state.js';
import type { Route } from '../context.js';

export const signout: Route = async (ctx) => {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const target = await callbackUrl(ctx);
  const { cookies, pending } = await ctx.sessions.end(ctx);
  rotateCsrf(ctx);
  if (pending !== undefined) {
    // The cookie goes either way; the answer says the sign-out has not reached the store yet.
    ctx.outCookies.push(...cookies);
    throw new ServiceUnavailableError(pending);
  }
  // Opt-in RP-initiated logout: the IdP's end-session endpoint, which comes back to `target`.
  const idp = await rpLogout(ctx, target);
  return { redirect: idp.redirect ?? target, cookies: [...cookies, ...idp.cookies] };
};
