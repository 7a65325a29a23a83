// gatehouse-auth/next's getServerSession and NextAuth edges, and gatehouse-auth/next/middleware compared with next-auth v4's own middleware on the same NextRequests.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { encode } from '../../src/jwt.js';
import NextAuth, { getServerSession, type NextApiRequestLike, type NextAuthHandler } from '../../src/integrations/next.js';
import { withAuth, type NextRequestLike } from '../../src/integrations/next-middleware.js';
import { credentialsConfig, USER } from '../helpers/config.js';
import { nextAuthJwt, peerRequire } from '../helpers/peers.js';
import { Browser, SECRET } from '../helpers/server.js';
import { listen } from './listen.js';

type Middleware = (req: NextRequestLike, event?: unknown) => Promise<Response | null | undefined | void>;
interface V4Middleware {
  withAuth(...args: unknown[]): Middleware | Promise<Response | undefined>;
}
interface NextServer {
  NextRequest: new (url: string, init?: RequestInit) => NextRequestLike;
}

const fakeRes = () => {
  const headers = new Map<string, unknown>();
  return { headers, getHeader: (name: string) => headers.get(name), setHeader: (name: string, value: unknown) => void headers.set(name, value) };
};

describe('getServerSession(req, res, options)', () => {
  test('signed out: null, no cookies written', async () => {
    const res = fakeRes();
    assert.equal(await getServerSession({ headers: { host: '127.0.0.1:3000' } }, res as never, credentialsConfig()), null);
    assert.equal(res.headers.get('set-cookie'), undefined);
  });

  test('a v4 cookie: the session, and a cookie re-issued under a rotated secret is appended to what the page set', async () => {
    const v4Token = await nextAuthJwt().encode({ token: { name: USER.name, email: USER.email, sub: USER.id }, secret: 'the-old-secret' });
    const options = credentialsConfig({ secret: [SECRET, 'the-old-secret'], url: 'http://127.0.0.1:3000/api/auth' });
    const res = fakeRes();
    res.setHeader('set-cookie', 'theme=dark; Path=/');
    const session = await getServerSession({ headers: { cookie: `next-auth.session-token=${v4Token}` } }, res as never, options);
    assert.deepEqual(session?.user, { name: USER.name, email: USER.email });
    const cookies = res.headers.get('set-cookie') as string[];
    assert.equal(cookies[0], 'theme=dark; Path=/');
    assert.match(cookies[1]!, /^next-auth\.session-token=eyJ/);
  });

  test('advisory #15: a failing session route throws instead of reading as signed out', async () => {
    const token = await encode({ token: { sub: 'u1' }, secret: SECRET });
    const options = credentialsConfig({
      logger: { error: () => undefined, warn: () => undefined, debug: () => undefined },
      callbacks: {
        session: () => {
          throw new Error('database down');
        },
      },
    });
    await assert.rejects(getServerSession({ headers: { host: '127.0.0.1:3000', cookie: `next-auth.session-token=${token}` } }, fakeRes() as never, options), /problem with the server configuration/);
  });
});

describe('NextAuth(options)', () => {
  test('is created on first use, not when the route file is imported (next build has no runtime secret)', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const options = credentialsConfig();
      delete options.secret;
      assert.equal(typeof NextAuth(options), 'function');
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  describe('the catch-all segments decide the action; NEXTAUTH_URL’s path shapes the URLs (v4 §1.1)', () => {
    let origin = '';
    let close: () => Promise<void>;
    before(async () => {
      let handler: NextAuthHandler | undefined;
      const app = await listen(
        createServer((req, res) => {
          const url = new URL(req.url ?? '/', 'http://x');
          (req as NextApiRequestLike).query = { ...Object.fromEntries(url.searchParams), nextauth: url.pathname.split('/').slice(3) };
          void handler!(req as NextApiRequestLike, res);
        }),
      );
      origin = app.origin;
      close = app.close;
      handler = NextAuth(credentialsConfig({ url: `${origin}/myapp/api/authentication` }));
    });
    after(() => close());

    test('a Pages route at /api/auth/[...nextauth] serves a custom NEXTAUTH_URL path', async () => {
      const response = await new Browser().fetch(`${origin}/api/auth/providers`);
      assert.equal(response.status, 200);
      const providers = (await response.json()) as Record<string, { signinUrl: string }>;
      assert.equal(providers.credentials?.signinUrl, `${origin}/myapp/api/authentication/signin/credentials`);
    });
  });
});

describe('gatehouse-auth/next/middleware against next-auth/middleware v4 on the same NextRequest', () => {
  const { NextRequest } = peerRequire<NextServer>('next/server');
  const v4 = peerRequire<V4Middleware>('next-auth/middleware');
  const env = { NEXTAUTH_URL: process.env.NEXTAUTH_URL, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET };
  let v4Cookie = '';
  let adminCookie = '';
  before(async () => {
    process.env.NEXTAUTH_URL = 'http://localhost:3000';
    process.env.NEXTAUTH_SECRET = SECRET;
    v4Cookie = `next-auth.session-token=${await nextAuthJwt().encode({ token: { sub: 'u1', email: 'ann@example.com' }, secret: SECRET })}`;
    adminCookie = `next-auth.session-token=${await nextAuthJwt().encode({ token: { sub: 'u2', role: 'admin' }, secret: SECRET })}`;
  });
  after(() => {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const describeResult = (result: Response | null | undefined | void) => (result ? { status: result.status, location: result.headers.get('location') } : 'next');

  const cases: Array<{ name: string; path: string; cookie?: () => string; options?: Record<string, unknown> }> = [
    { name: 'no cookie → sign-in page with a relative callbackUrl', path: '/dashboard?tab=1' },
    { name: 'a v4 session cookie → through', path: '/dashboard', cookie: () => v4Cookie },
    { name: 'a forged cookie → sign-in page', path: '/dashboard', cookie: () => 'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z' },
    { name: 'the auth API itself is never guarded', path: '/api/auth/session' },
    { name: "Next's assets are never guarded", path: '/_next/static/chunk.js' },
    { name: 'custom sign-in page', path: '/admin', options: { pages: { signIn: '/login' } } },
    { name: 'the custom sign-in page itself is not guarded', path: '/login', options: { pages: { signIn: '/login' } } },
    {
      name: 'callbacks.authorized decides (token without the role)',
      path: '/admin',
      cookie: () => v4Cookie,
      options: { callbacks: { authorized: ({ token }: { token: { role?: string } | null }) => token?.role === 'admin' } },
    },
    {
      name: 'callbacks.authorized decides (admin token)',
      path: '/admin',
      cookie: () => adminCookie,
      options: { callbacks: { authorized: ({ token }: { token: { role?: string } | null }) => token?.role === 'admin' } },
    },
    { name: 'a custom cookie name', path: '/dashboard', cookie: () => v4Cookie.replace('next-auth.session-token', 'my-session'), options: { cookies: { sessionToken: { name: 'my-session' } } } },
  ];

  for (const { name, path, cookie, options } of cases) {
    test(name, async () => {
      const request = () => new NextRequest(`http://localhost:3000${path}`, cookie ? { headers: { cookie: cookie() } } : {});
      const ours = options ? await (withAuth(options) as Middleware)(request()) : await withAuth(request());
      const theirs = options ? await (v4.withAuth(options) as Middleware)(request()) : await (v4.withAuth(request()) as Promise<Response | undefined>);
      assert.deepEqual(describeResult(ours), describeResult(theirs));
    });
  }

  test('the default export used directly, and a missing secret → error page with Configuration, as v4', async () => {
    delete process.env.NEXTAUTH_SECRET;
    try {
      const ours = await withAuth(new NextRequest('http://localhost:3000/dashboard'));
      const theirs = (await v4.withAuth(new NextRequest('http://localhost:3000/dashboard'))) as Response;
      assert.deepEqual(describeResult(ours), describeResult(theirs));
      assert.equal(ours?.headers.get('location'), 'http://localhost:3000/api/auth/error?error=Configuration');
    } finally {
      process.env.NEXTAUTH_SECRET = SECRET;
    }
  });

  test('a wrapped middleware runs only when authorized and sees req.nextauth.token', async () => {
    const seen: unknown[] = [];
    const middleware = withAuth((req) => {
      seen.push(req.nextauth.token?.email);
      return new Response('from the app middleware');
    });
    const through = await middleware(new NextRequest('http://localhost:3000/dashboard', { headers: { cookie: v4Cookie } }));
    assert.equal(await through?.text(), 'from the app middleware');
    const refused = await middleware(new NextRequest('http://localhost:3000/dashboard'));
    assert.equal(refused?.status, 307);
    assert.deepEqual(seen, ['ann@example.com']);
  });
});

test('gatehouse-auth/next/middleware bundles for a runtime without Node built-ins (Next runs middleware.ts on Edge)', async () => {
  const result = await build({
    entryPoints: [new URL('../../src/integrations/next-middleware.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent',
    // process.env is what Next's Edge runtime provides; nothing else from Node may be reached.
    define: { 'process.env.NEXTAUTH_URL': 'undefined', 'process.env.AUTH_URL': 'undefined', 'process.env.NEXTAUTH_SECRET': 'undefined', 'process.env.AUTH_SECRET': 'undefined' },
  });
  assert.equal(result.errors.length, 0);
  assert.doesNotMatch(result.outputFiles[0]!.text, /from ["']node:|require\(["']node:/);
});
