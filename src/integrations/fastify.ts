// gatehouse-auth/fastify: the REST API as a Fastify plugin that keeps raw bodies, and the session of a Fastify request.
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../index.js';
import type { Session } from '../types.js';
import { getSession as getNodeSession, incomingFromNode } from './node.js';

/** Same cap as the core: auth forms are small, and Fastify answers 413 past it. */
const BODY_LIMIT = 64 * 1024;

/**
 * `app.register(authPlugin(auth))`: every method under the base path (`url`'s path, else
 * `basePath`, default `/api/auth`). Register it without a `prefix`: the routes are absolute.
 * The plugin is encapsulated, so its catch-all body parser does not touch the app's other routes.
 */
export function authPlugin(auth: Auth): FastifyPluginAsync {
  const base = auth.basePath;
  return async (instance) => {
    // The core parses forms and JSON itself; Fastify only has to hand over the bytes.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      // The node reader takes an already-read body from `req.body`, as it does after Express parsers.
      const raw = request.raw as IncomingMessage & { body?: unknown };
      if (request.body !== undefined) raw.body = request.body;
      const out = await auth.respond(incomingFromNode(raw), { clientAddress: raw.socket.remoteAddress });
      reply.code(out.status);
      const cookies: string[] = [];
      for (const [name, value] of out.headers) {
        if (name.toLowerCase() === 'set-cookie') cookies.push(value);
        else reply.header(name, value);
      }
      // An array gives one Set-Cookie line per cookie.
      if (cookies.length > 0) reply.header('set-cookie', cookies);
      return reply.send(out.body ?? undefined);
    };
    instance.all(base, handler);
    instance.all(`${base}/*`, handler);
  };
}

/** The session of a Fastify request, or null. Reads only: never writes cookies. */
export function getSession(auth: Auth, request: FastifyRequest): Promise<Session | null> {
  return getNodeSession(auth, request.raw);
}
