// gatehouse-auth/hono: the REST API as a Hono handler, and a middleware that puts the session on the context.
import type { Context, Handler, MiddlewareHandler } from 'hono';
import type { Auth } from '../index.js';
import type { Session } from '../types.js';

/** The context variables `sessionMiddleware` sets: `c.get('session')`. */
export interface SessionVariables {
  session: Session | null;
}

/**
 * The client address for rate limits, where the runtime puts it on Hono's env: @hono/node-server
 * passes Node's request (`c.env.incoming`), Bun its server (`requestIP`), Deno its connection info
 * (`remoteAddr`). Workers have none (Cloudflare sends `CF-Connecting-IP`: set `rateLimit.ipHeader`).
 */
function clientAddress(c: Context): string | undefined {
  const env = c.env as
    | {
        incoming?: { socket?: { remoteAddress?: string } };
        requestIP?: (request: Request) => { address?: string } | null;
        remoteAddr?: { hostname?: string };
      }
    | undefined;
  if (!env) return undefined;
  if (env.incoming) return env.incoming.socket?.remoteAddress;
  if (typeof env.requestIP === 'function') return env.requestIP(c.req.raw)?.address;
  return env.remoteAddr?.hostname;
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
