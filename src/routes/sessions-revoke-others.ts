// POST `sessions/revoke-others`: CSRF-checked; ends every session of the caller except the one this request carries.
import { MissingCSRFError } from '../errors.js';
import { csrf } from '../flows/request-state.js';
import { revokeOtherSessions } from '../flows/session-admin.js';
import type { Route } from '../context.js';

export const sessionsRevokeOthers: Route = async (ctx) => {
  if (!csrf(ctx).verified) throw new MissingCSRFError();
  const result = await revokeOtherSessions(ctx);
  if (!result) return { status: 401, json: {} };
  return { json: { revoked: result.revoked } };
};
