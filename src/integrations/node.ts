// gatehouse-auth/node: serves the handler from node:http or Express `(req, res)`, and reads the session of a Node request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError } from '../errors.js';
import type { Incoming, Outgoing } from '../incoming.js';
import type { Auth } from '../index.js';
import type { Session } from '../types.js';

/** Same cap as the core: auth forms are small. */
const MAX_BODY_BYTES = 64 * 1024;

type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    try {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.set(name, value);
    } catch {
      // A header value Fetch refuses (e.g. bare CR) is dropped, not a crash.
    }
  }
  return headers;
}

/** The body, read with plain events (an async iterator costs more than the rest of a small POST). */
function readStream(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0)); // consumed by middleware before us
  if (req.destroyed) return Promise.reject(new Error('The request was aborted.'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        cleanup();
        resolve('too-large');
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // A client that hangs up mid-body: 'close' without 'end' must settle, or the request hangs.
    const onClose = () => {
      cleanup();
      reject(new Error('The request was aborted.'));
    };
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** A body some middleware (express.json/urlencoded) already parsed is re-encoded in its content type. */
function reencode(body: unknown, contentType: string): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body !== 'object') return undefined;
  if (contentType.includes('application/json')) return JSON.stringify(body);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) if (value !== undefined) params.append(key, String(value));
  return params.toString();
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The handler's view of a Node request, read straight from IncomingMessage: no Fetch Request
 * or Headers are built unless user code asks for one (they cost more than the rest of a GET).
 */
export function incomingFromNode(req: NodeRequest): Incoming {
  const raw = req.originalUrl ?? req.url ?? '/';
  const q = raw.indexOf('?');
  let bodyText: string | undefined;
  let request: Request | undefined;
  return {
    method: req.method ?? 'GET',
    pathname: q < 0 ? raw : raw.slice(0, q),
    search: q < 0 ? '' : raw.slice(q + 1),
    protocol: (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
    header: (name) => headerOf(req, name),
    async text() {
      if (req.body !== undefined && req.readableEnded) return (bodyText = reencode(req.body, headerOf(req, 'content-type') ?? '') ?? '');
      const read = await readStream(req);
      if (read === 'too-large') {
        // Drain the rest so the client reads our 413 instead of a reset connection.
        req.resume();
        throw new BadRequestError('Error: The request body is too large.', 413);
      }
      return (bodyText = read.toString('utf8'));
    },
    request() {
      if (request) return request;
      const headers = toHeaders(req);
      const url = new URL(raw, `${this.protocol}://${headers.get('host') ?? '127.0.0.1'}`).href;
      const method = this.method;
      const init: RequestInit = { method, headers };
      if (method !== 'GET' && method !== 'HEAD' && bodyText !== undefined) init.body = bodyText;
      return (request = new Request(url, init));
    },
  };
}

/**
 * Writes the handler's answer, each cookie on its own Set-Cookie line. The cookies go in as one
 * array: once a header was set on `res` (Express's X-Powered-By, any middleware), writeHead turns
 * each pair into setHeader, and repeated Set-Cookie pairs would overwrite one another.
 */
export function sendOutgoing(out: Outgoing, res: ServerResponse): void {
  const flat: Array<string | string[]> = [];
  const cookies: string[] = [];
  for (const [name, value] of out.headers) {
    if (name.toLowerCase() === 'set-cookie') cookies.push(value);
    else flat.push(name, value);
  }
  if (cookies.length > 0) flat.push('Set-Cookie', cookies);
  if (out.status === 413) flat.push('Connection', 'close');
  // A length instead of chunked encoding: Node then sends head and body in one write, with no
  // chunk framing or terminating chunk.
  const body = out.body ?? '';
  flat.push('Content-Length', String(Buffer.byteLength(body)));
  res.writeHead(out.status, flat);
  res.end(body);
}

/** `http.createServer(toNodeHandler(auth))`, or `app.all('/api/auth/*path', toNodeHandler(auth))` in Express. */
export function toNodeHandler(auth: Auth): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      sendOutgoing(await auth.respond(incomingFromNode(req), { clientAddress: req.socket.remoteAddress }), res);
    } catch (error) {
      auth.logger.error('NODE_ADAPTER_ERROR', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Error: Internal error.');
    }
  };
}

/** The session of a Node request (server-side rendering, API routes), or null. Never writes cookies. */
export async function getSession(auth: Auth, req: IncomingMessage): Promise<Session | null> {
  // The URL carries the socket's scheme: on TLS only the `__Secure-` cookie counts, as on the REST path.
  const protocol = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  return auth.getSession({ headers: toHeaders(req), url: `${protocol}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}` });
}
