// GET `sessions`: the signed-in caller's sessions with their devices, current first; 401 `{}` when signed out.
import { BadRequestError } from '../errors.js';
import { listSessions, type SessionInfo } from '../flows/session-admin.js';
import { NO_CACHE, type Route } from '../context.js';

/** The wire shape: dates as ISO strings, as the `session` body's `expires` is. */
function toWire(session: SessionInfo) {
  return {
    id: session.id,
    current: session.current,
    createdAt: session.createdAt?.toISOString() ?? null,
    lastActiveAt: session.lastActiveAt?.toISOString() ?? null,
    expires: session.expires.toISOString(),
    userAgent: session.userAgent,
    ipAddress: session.ipAddress,
    browser: session.browser,
    os: session.os,
  };
}

export const sessionsRoute: Route = async (ctx) => {
  if (ctx.providerId !== undefined) throw new BadRequestError('Error: This action with HTTP GET is not supported.');
  const listed = await listSessions(ctx);
  if (!listed) return { status: 401, headers: NO_CACHE, json: {} };
  return { headers: NO_CACHE, json: { sessions: listed.map(toWire) } };
};
