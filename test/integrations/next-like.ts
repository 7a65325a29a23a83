// What Next's Pages Router does before an API route runs: parse the body, put the catch-all segments in req.query.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** Next's API body parser: JSON and forms become objects, anything else a string; the stream is consumed. */
export async function nextParsedBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return text ? (JSON.parse(text) as unknown) : {};
  if (type.includes('application/x-www-form-urlencoded')) return { ...parseQuery(text) };
  return text;
}

/** `/api/auth/a/b?x=1` → the catch-all segments `['a', 'b']`, or undefined outside the route. */
export function catchAll(url: URL): string[] | undefined {
  if (url.pathname !== '/api/auth' && !url.pathname.startsWith('/api/auth/')) return undefined;
  return url.pathname.slice('/api/auth'.length).split('/').filter(Boolean);
}

/** Next's `req.cookies`: the Cookie header as an object, values URL-decoded. */
function parsedCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    try {
      out[name] ??= decodeURIComponent(value);
    } catch {
      out[name] ??= value;
    }
  }
  return out;
}

type PagesApiRequest = IncomingMessage & { body?: unknown; query: Record<string, string | string[]>; cookies: Record<string, string> };

/** Prepares `req` as Next hands it to `pages/api/auth/[...nextauth].ts`. */
export async function asPagesApiRequest(req: IncomingMessage, url: URL, segments: string[]): Promise<PagesApiRequest> {
  const apiReq = req as PagesApiRequest;
  if (req.method !== 'GET' && req.method !== 'HEAD') apiReq.body = await nextParsedBody(req);
  apiReq.query = { ...Object.fromEntries(url.searchParams), nextauth: segments };
  apiReq.cookies = parsedCookies(req.headers.cookie);
  return apiReq;
}

/** What Next's App Router does around a route handler: the Node request as a Fetch Request… */
export async function toFetchRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Request(url, { method, headers, body: Buffer.concat(chunks).toString('utf8') });
}

/** …and the Response it returns written to the Node response, one Set-Cookie line per cookie. */
export async function writeFetchResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name.toLowerCase() !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}
