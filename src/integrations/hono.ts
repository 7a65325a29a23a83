// gatehouse-auth/hono: the REST API as a Hono handler, and a middleware that puts the session on the context.
import type { Context, Handler, MiddlewareHandler } from 'hono';
import type { Auth } from '../index.js';
import type { Session } from '../types.js';

/** The context variables `sessionMiddleware` sets: `c.get('session')`. */
export interface SessionVariables {
  session: Session | null;
}

/**
 * The client address for rate limits, where the runtime exposes it: @hono/node-server puts Node's
 * request on `c.env.incoming`. Elsewhere set `rateLimit.ipHeader` or `clientIp` in the options.
 */
function clientAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** `app.all('/api/auth/*', authHandler(auth))`: Hono already speaks Request/Response. */
export function authHandler(auth: Auth): Handler {
  return (c) => auth.handler(c.req.raw, { clientAddress: clientAddress(c) });
}

/** The session of a Hono request, or null. Reads only: never writes cookies. */
export function getSession(auth: Auth, c: Context): Promise<Session | null> {
  return auth.getSession(c.req.raw);
}

/** `app.use(sessionMiddleware(auth))`, then `c.get('session')` in later handlers (null when signed out). */
export function sessionMiddleware(auth: Auth): MiddlewareHandler<{ Variables: SessionVariables }> {
  return async (c, next) => {
    c.set('session', await auth.getSession(c.req.raw));
    await next();
  };
}
