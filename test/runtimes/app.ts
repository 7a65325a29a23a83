// The app every runtime serves: auth.handler under /api/auth, the session helper on /me, and a route of its own.
// Bundled by esbuild into one module per runtime (see harness.ts); it must not touch anything runtime-specific.
import { Hono } from 'hono';
import { createAuth } from '../../src/index.js';
import { authHandler, sessionMiddleware, type SessionVariables } from '../../src/integrations/hono.js';
import Credentials from '../../src/providers/credentials.js';
import OIDC from '../../src/providers/oidc.js';
import type { AuthConfig, RateLimitOptions } from '../../src/types.js';

/** What the Node test process hands the runtime (JSON: functions cannot cross the process boundary). */
export interface AppOptions {
  secret: string;
  /** `fetch`: auth.handler on the runtime's own server; `hono`: gatehouse/hono on Hono. */
  framework: 'fetch' | 'hono';
  rateLimit?: false | RateLimitOptions;
  /** An OpenID Provider to sign in with (the in-process oidc-provider of the Node test). */
  oidc?: { issuer: string; clientId: string; clientSecret: string };
  url?: string;
}

/** The same user and password the Node-side suite's `credentialsConfig` accepts. */
const USER = { id: 'u1', name: 'Ann', email: 'ann@example.com', image: null };
const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * One request: `clientAddress` as the runtime's server reports it, `env` what the runtime hands a
 * fetch handler (Bun's server, Deno's connection info, workerd's bindings), which Hono passes on as `c.env`.
 */
export type Serve = (request: Request, clientAddress: string | undefined, env: unknown) => Promise<Response>;

export function createApp(options: AppOptions): Serve {
  const config: AuthConfig = {
    secret: options.secret,
    logger: quiet,
    providers: [
      Credentials({
        name: 'Password',
        credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
        authorize: (credentials) => (credentials.username === 'ann' && credentials.password === 'pw' ? USER : null),
      }),
      ...(options.oidc ? [OIDC({ id: 'idp', name: 'Test IdP', ...options.oidc })] : []),
    ],
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.url ? { url: options.url } : {}),
  };
  const auth = createAuth(config);
  if (options.framework === 'hono') {
    const app = new Hono<{ Variables: SessionVariables }>();
    app.all('/api/auth/*', authHandler(auth));
    app.use('/me', sessionMiddleware(auth));
    app.get('/me', (c) => c.json({ session: c.get('session') }));
    app.get('/hello', (c) => c.text('hello'));
    // gatehouse/hono finds the client address in the env itself, as it would in the app's own `fetch`.
    return async (request, _clientAddress, env) => app.fetch(request, env);
  }
  return async (request, clientAddress) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/auth' || pathname.startsWith('/api/auth/')) return auth.handler(request, { clientAddress });
    if (pathname === '/me') return Response.json({ session: await auth.getSession(request) });
    if (pathname === '/hello') return new Response('hello');
    return new Response('not found', { status: 404 });
  };
}
