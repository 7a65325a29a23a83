// POST `sessions/revoke` (`id`): CSRF-checked; ends one of the caller's own sessions, and clears the cookie when it was this one.
import { clearChunked, readChunked } from '../core/cookies.js';
import { MissingCSRFError } from '../errors.js';
import { csrf } from '../flows/request-state.js';
import { revokeSession } from '../flows/session-admin.js';
import type { Route } from '../context.js';

export const sessionsRevoke: Route = async (ctx) => {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const id = ctx.body.id;
  if (typeof id !== 'string' || id === '' || id.length > 128) return { status: 400, json: { error: 'The body needs the `id` of a session.' } };
  const result = await revokeSession(ctx, id);
  if (!result) return { status: 401, json: {} };
  const { name, options } = ctx.cookieNames.sessionToken;
  const cookies = result.current ? clearChunked(name, options, readChunked(ctx.requestCookies as Map<string, string>, name).names) : [];
  // 404 for an id that is not the caller's: whether it exists for someone else is not said.
  return { status: result.revoked ? 200 : 404, json: { revoked: result.revoked }, cookies };
};
