// Test servers for the client suites: the same users and providers served by gatehouse or by the real next-auth v4, over HTTP on 127.0.0.1.
// They run in a worker thread (remote.ts): a page's globals (happy-dom's Response, URL, crypto) must not reach a server.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

export const SECRET = 'client-test-secret-that-is-long-enough-0123';
export const USER = { id: 'u1', name: 'Ann', email: 'ann@example.com', image: null };
export const PASSWORD = 'pw';

export type ProviderKind = 'credentials' | 'oauth' | 'email';

export interface RecordedRequest {
  method: string;
  /** e.g. `session`, `callback/credentials`, `_log` */
  action: string;
  contentType: string;
  body: string;
  /** The query string, without `?`. */
  query: string;
}

export interface AuthServer {
  kind: string;
  origin: string;
  basePath: string;
  /** origin + basePath */
  base: string;
  /** The provider kinds this server can serve (gatehouse grows flows over time). */
  supports: ReadonlySet<ProviderKind>;
  /** Every API request, in order. */
  readonly requests: RecordedRequest[];
  /** How many API requests matched `METHOD action`, e.g. `GET session`. */
  count(key: string): number;
  /** Answers requests for `action` with this status and body until `heal()`: a broken server, over real HTTP. */
  fail(action: string, status: number, body: string, contentType?: string): void;
  heal(): void;
  /** Magic links the email provider sent. */
  readonly mails: string[];
  /** Serves `path` (outside the API) with this body. */
  route(path: string, content: StaticContent): void;
  close(): Promise<void>;
}

export interface StaticContent {
  contentType: string;
  body: string;
}

export interface ServerOptions {
  basePath?: string;
}

export interface ServerKind {
  kind: string;
  start(options?: ServerOptions): Promise<AuthServer>;
}

const peers = createRequire(new URL('../../peers/package.json', import.meta.url));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

type ApiHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, raw: string, segments: string[], query: URLSearchParams) => Promise<void>;

/** The shared HTTP shell: records API requests, injects failures, clears cookies at `/__clear`, serves extra routes. */
async function shell(kind: string, basePath: string, supports: Set<ProviderKind>, mails: string[], api: (origin: string) => ApiHandler, onClose?: () => void): Promise<AuthServer> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, { status: number; body: string; contentType: string }>();
  const routes = new Map<string, StaticContent>();
  let handle: ApiHandler | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/__clear') {
        // Expires every cookie the browser sent, HttpOnly ones included: a fresh jar for the next test.
        const names = Object.keys(parseCookieHeader(req.headers.cookie));
        res.setHeader(
          'Set-Cookie',
          names.map((name) => `${name}=; Path=/; Max-Age=0`),
        );
        res.end('cleared');
        return;
      }
      if (!url.pathname.startsWith(basePath + '/')) {
        const route = routes.get(url.pathname);
        if (route) {
          res.writeHead(200, { 'Content-Type': route.contentType, 'Cache-Control': 'no-store' }).end(route.body);
          return;
        }
        res.setHeader('Content-Type', 'text/html');
        res.end('<!doctype html><html><head><title>app</title></head><body><div id="root"></div></body></html>');
        return;
      }
      const segments = url.pathname
        .slice(basePath.length + 1)
        .split('/')
        .filter(Boolean);
      const raw = req.method === 'POST' ? await readBody(req) : '';
      const action = segments.join('/');
      requests.push({ method: req.method ?? 'GET', action, contentType: req.headers['content-type'] ?? '', body: raw, query: url.search.slice(1) });
      const failure = failures.get(segments[0] ?? '');
      if (failure) {
        res.writeHead(failure.status, { 'Content-Type': failure.contentType }).end(failure.body);
        return;
      }
      await handle!(req, res, raw, segments, url.searchParams);
    })().catch((error: unknown) => {
      console.error(`[${kind} test server]`, error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handle = api(origin);
  return {
    kind,
    origin,
    basePath,
    base: origin + basePath,
    supports,
    requests,
    mails,
    count: (key) => requests.filter((r) => `${r.method} ${r.action}` === key).length,
    fail: (action, status, body, contentType = 'application/json') => void failures.set(action, { status, body, contentType }),
    heal: () => failures.clear(),
    route: (path, content) => void routes.set(path, content),
    close: () =>
      new Promise<void>((resolve) => {
        onClose?.();
        // Requests in flight (a page's log beacons) finish first; anything still open after a second is cut.
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}

/** The session after `update({ name })`: both servers' `jwt` callback copies the new name into the token. */
function jwtCallback({ token, trigger, session }: { token: Record<string, unknown>; trigger?: string; session?: unknown }): Record<string, unknown> {
  const name = (session as { name?: unknown } | undefined)?.name;
  return trigger === 'update' && typeof name === 'string' ? { ...token, name } : token;
}

/**
 * Shows the token's name: v4 builds the default session from the token as it was *before* the `jwt`
 * callback, so without this an update shows only on the next read there.
 */
function sessionCallback({ session, token }: { session: { user?: Record<string, unknown> }; token: Record<string, unknown> }): unknown {
  return { ...session, user: { ...session.user, name: token.name } };
}

function authorize(credentials: Record<string, string> | undefined): typeof USER | null {
  return credentials?.username === 'ann' && credentials.password === PASSWORD ? USER : null;
}

/** A minimal adapter: what v4's email sign-in needs (JWT sessions keep everything else out of it). */
function memoryAdapter(): Record<string, (...args: never[]) => Promise<unknown>> {
  const tokens = new Map<string, { identifier: string; token: string; expires: Date }>();
  return {
    createVerificationToken: async (token: { identifier: string; token: string; expires: Date }) => (tokens.set(token.identifier + token.token, token), token),
    useVerificationToken: async ({ identifier, token }: { identifier: string; token: string }) => {
      const found = tokens.get(identifier + token) ?? null;
      tokens.delete(identifier + token);
      return found;
    },
    getUserByEmail: async () => null,
    createUser: async (user: Record<string, unknown>) => ({ ...user, id: 'u-email' }),
    getUser: async () => null,
    getUserByAccount: async () => null,
    linkAccount: async () => undefined,
    updateUser: async (user: Record<string, unknown>) => user,
  };
}

export const nextAuthV4: ServerKind = {
  kind: 'next-auth v4',
  async start({ basePath = '/api/auth' } = {}) {
    const NextAuth = peers('next-auth').default as (req: unknown, res: unknown, options: unknown) => Promise<void>;
    const Credentials = peers('next-auth/providers/credentials').default as (options: unknown) => unknown;
    const GitHub = peers('next-auth/providers/github').default as (options: unknown) => unknown;
    const Email = peers('next-auth/providers/email').default as (options: unknown) => unknown;
    const mails: string[] = [];
    const options = {
      secret: SECRET,
      session: { strategy: 'jwt' },
      adapter: memoryAdapter(),
      providers: [
        Credentials({ name: 'Password', credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } }, authorize }),
        GitHub({ clientId: 'cid', clientSecret: 'csecret' }),
        Email({ server: {}, from: 'auth@example.com', sendVerificationRequest: ({ url }: { url: string }) => void mails.push(url) }),
      ],
      callbacks: { jwt: jwtCallback, session: sessionCallback },
    };
    const previous = process.env.NEXTAUTH_URL;
    return shell(
      'next-auth v4',
      basePath,
      new Set(['credentials', 'oauth', 'email']),
      mails,
      (origin) => {
        // v4 reads its origin and path from NEXTAUTH_URL on every request (§1.2).
        process.env.NEXTAUTH_URL = origin + basePath;
        return async (req, res, raw, segments, query) => {
          process.env.NEXTAUTH_URL = origin + basePath;
          const type = req.headers['content-type'] ?? '';
          const target = req as IncomingMessage & { body?: unknown; query?: unknown; cookies?: unknown };
          target.body = !raw ? {} : type.includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
          target.query = { ...Object.fromEntries(query), nextauth: segments };
          target.cookies = parseCookieHeader(req.headers.cookie);
          // The slice of Next's API response that v4's Pages handler uses.
          const out = res as ServerResponse & Record<string, unknown>;
          out.status = (code: number) => ((res.statusCode = code), out);
          out.json = (value: unknown) => {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify(value));
          };
          out.send = (body: unknown) => {
            if (body !== null && typeof body === 'object') return (out.json as (value: unknown) => void)(body);
            res.end(body === undefined ? '' : String(body));
          };
          await NextAuth(target, out, options);
        };
      },
      () => {
        if (previous === undefined) delete process.env.NEXTAUTH_URL;
        else process.env.NEXTAUTH_URL = previous;
      },
    );
  },
};

const root = new URL('../../../', import.meta.url);
// Paths held in variables so that the type checker does not require modules the core has not grown yet.
const optional = (path: string): Promise<Record<string, unknown> | undefined> =>
  existsSync(new URL(path.replace(/\.js$/, '.ts'), root)) ? import(new URL(path.replace(/\.js$/, '.ts'), root).href) : Promise.resolve(undefined);

export const gatehouse: ServerKind = {
  kind: 'gatehouse',
  async start({ basePath = '/api/auth' } = {}) {
    const { createAuth } = await import('../../../src/index.js');
    const { toNodeHandler } = await import('../../../src/integrations/node.js');
    const { default: Credentials } = await import('../../../src/providers/credentials.js');
    const mails: string[] = [];
    const providers: unknown[] = [Credentials({ name: 'Password', credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } }, authorize })];
    const supports = new Set<ProviderKind>(['credentials']);
    // OAuth and email join the suite as soon as the core serves them; until then those tests skip, saying so.
    const github = (await optional('src/providers/github.js'))?.default as ((options: unknown) => unknown) | undefined;
    const email = (await optional('src/providers/email.js'))?.default as ((options: unknown) => unknown) | undefined;
    const memory = (await optional('src/adapters/memory.js'))?.default as (() => unknown) | undefined;
    const candidates: Array<[ProviderKind, unknown]> = [];
    if (github) candidates.push(['oauth', github({ clientId: 'cid', clientSecret: 'csecret' })]);
    if (email && memory) candidates.push(['email', email({ server: {}, from: 'auth@example.com', sendVerificationRequest: ({ url }: { url: string }) => void mails.push(url) })]);
    const base = { secret: SECRET, callbacks: { jwt: jwtCallback, session: sessionCallback }, ...(memory ? { adapter: memory(), session: { strategy: 'jwt' } } : {}) };
    for (const [kind, provider] of candidates) {
      try {
        createAuth({ ...base, url: 'http://127.0.0.1/api/auth', providers: [...providers, provider] } as never);
        providers.push(provider);
        supports.add(kind);
      } catch {
        // "does not support yet": the core has the factory but not the flow.
      }
    }
    return shell('gatehouse', basePath, supports, mails, (origin) => {
      const auth = createAuth({ ...base, url: origin + basePath, providers } as never);
      const node = toNodeHandler(auth);
      return async (req, res, raw) => {
        // The shell read the body already; the node integration takes a read body from `req.body`.
        if (req.method === 'POST') req.body = raw;
        await node(req, res);
      };
    });
  },
};

export const SERVER_KINDS: readonly ServerKind[] = [gatehouse, nextAuthV4];
