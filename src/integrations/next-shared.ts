// What gatehouse-auth/next's two call forms (v4's and v5's) share: the Pages Router session read and the shape of `next/headers`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Incoming, Outgoing } from '../incoming.js';
import type { Auth } from '../index.js';
import type { Session } from '../types.js';

/** What `getServerSideProps` and API routes hand over: Node's request and response. */
export type ServerRequest = IncomingMessage | { headers: Record<string, string | string[] | undefined> };
export type ServerResponseLike = Pick<ServerResponse, 'getHeader' | 'setHeader'>;

/** The shape of `next/headers` this module relies on; typed here so `next` stays a peer, not a dependency. */
export interface NextHeadersModule {
  cookies(): Promise<{
    getAll(): Array<{ name: string; value: string }>;
    /** Only where Next allows writing: server actions and route handlers. */
    set(name: string, value: string, options?: NextCookieOptions): void;
  }>;
  headers(): Promise<Iterable<[string, string]> & { get(name: string): string | null }>;
}

/** What Next's `cookies().set` takes. */
export interface NextCookieOptions {
  path?: string;
  domain?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
}

/** `next/headers`, loaded on use. A literal specifier so Next's bundler resolves it; cast so TypeScript does not need next's types. */
export async function nextHeaders(): Promise<NextHeadersModule> {
  return (await import('next/headers' as string)) as NextHeadersModule;
}

export function headerOf(req: ServerRequest, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
}

/** The session as GET `session` answers it, cookies included (a JWT session rolls forward, as in v4); throws as sessionAnswer does. */
export async function pagesSession(auth: Auth, req: ServerRequest, res: ServerResponseLike): Promise<Session | null> {
  const protocol = (req as { socket?: { encrypted?: boolean } }).socket?.encrypted ? 'https' : 'http';
  const pathname = `${auth.basePath}/session`;
  const incoming: Incoming = {
    method: 'GET',
    pathname,
    search: '',
    protocol,
    header: (name) => headerOf(req, name),
    text: async () => '',
    request: () => new Request(`${protocol}://${headerOf(req, 'host') ?? '127.0.0.1'}${pathname}`, { headers: { cookie: headerOf(req, 'cookie') ?? '' } }),
  };
  const { session, cookies } = sessionAnswer(await auth.respond(incoming));
  if (cookies.length > 0) {
    // Appended to whatever the page already set, as v4 does.
    const existing = res.getHeader('set-cookie');
    const before = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    res.setHeader('set-cookie', [...before, ...cookies]);
  }
  return session;
}

/**
 * GET `session`'s answer as a session (null when signed out) and the Set-Cookie lines it carries.
 * A non-200 answer throws, so a broken configuration never reads as "signed out" (fails closed).
 */
export function sessionAnswer(out: Outgoing): { session: Session | null; cookies: string[] } {
  const cookies = out.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value);
  let body: Record<string, unknown> | null = {};
  try {
    body = JSON.parse(out.body ?? '{}') as Record<string, unknown> | null;
  } catch {
    // Not JSON: only possible on an error status, reported below.
  }
  if (out.status !== 200) throw new Error(typeof body?.message === 'string' ? body.message : `gatehouse: the session route answered ${out.status}.`);
  return { session: body && Object.keys(body).length > 0 ? (body as Session) : null, cookies };
}
