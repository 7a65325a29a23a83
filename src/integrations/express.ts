// gatehouse-auth/express: the REST API as Express middleware, and the session of an Express request.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Auth } from '../index.js';
import type { Session } from '../types.js';
import { getSession as getNodeSession, toNodeHandler } from './node.js';

/**
 * `app.use(authHandler(auth))`: answers every method under the base path (`url`'s path, else
 * `basePath`, default `/api/auth`) and passes other requests on. Mounting it under that path
 * (`app.use('/api/auth', …)`) works too. Bodies that `express.json()` or `express.urlencoded()`
 * already parsed are re-encoded, so it may sit before or after them.
 */
export function authHandler(auth: Auth): RequestHandler {
  const serve = toNodeHandler(auth);
  const base = auth.basePath;
  return (req: Request, res: Response, next: NextFunction) => {
    // originalUrl keeps the mount path that Express strips from req.url.
    const path = (req.originalUrl || req.url).split('?', 1)[0]!;
    if (path !== base && !path.startsWith(`${base}/`)) return next();
    void serve(req, res);
  };
}

/** The session of an Express request, or null. Reads only: never writes cookies. */
export function getSession(auth: Auth, req: Request): Promise<Session | null> {
  return getNodeSession(auth, req);
}

/** Puts the session (or null) on `res.locals.session` for later handlers and views. */
export function sessionMiddleware(auth: Auth): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    getNodeSession(auth, req).then((session) => {
      res.locals.session = session;
      next();
    }, next);
  };
}
