// gatehouse-auth/next in next-auth v5's call form: v5's environment (AUTH_URL, AUTH_SECRET_1..3, AUTH_TRUST_HOST, AUTH_<PROVIDER>_ID), handlers, the middleware and the auth(fn) wrapper on Next's own NextRequest, the Pages form; v5 cookies from the published @auth/core.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { AuthError } from '../../src/errors.js';
import NextAuth, { type NextAuthConfig } from '../../src/integrations/next.js';
import { fromV5Config, type NextRequestLike } from '../../src/integrations/next-v5.js';
import Credentials from '../../src/providers/credentials.js';
import GitHub from '../../src/providers/github.js';
import { encode } from '../../src/jwt.js';
import { USER } from '../helpers/config.js';

const SECRET = 'next-v5-form-secret-0123456789abcdef';
const v5Require = createRequire(new URL('../peers-v5/package.json', import.meta.url));
const nextServer = existsSync(new URL('../peers-v5/node_modules/next/package.json', import.meta.url)) ? (v5Require('next/server') as { NextRequest: new (url: string, init?: RequestInit) => NextRequestLike }) : undefined;
const coreJwt = new URL('../peers-v5/node_modules/@auth/core/jwt.js', import.meta.url);

/** Next's NextRequest when test/peers-v5 has next (it carries `nextUrl`), else a plain Request. */
const request = (url: string, init?: RequestInit): NextRequestLike => (nextServer ? new nextServer.NextRequest(url, init) : new Request(url, init));

const quiet = { error: () => {}, warn: () => {}, debug: () => {} };

function config(overrides: Partial<NextAuthConfig> = {}): NextAuthConfig {
  return {
    secret: SECRET,
    url: 'http://localhost:3000/api/auth',
    logger: quiet,
    providers: [
      Credentials({
        credentials: { username: {}, password: {} },
        authorize: (c) => (c.username === 'ann' && c.password === 'pw' ? USER : null),
      }),
    ],
    ...overrides,
  };
}

const cookieOf = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1);

async function signedInCookie(): Promise<string> {
  return `next-auth.session-token=${await encode({ token: { name: USER.name, email: USER.email, sub: USER.id }, secret: SECRET })}`;
}

describe("v5's environment, read as v5 reads it (fromV5Config)", () => {
  const base: NextAuthConfig = { providers: [] };

  test('AUTH_URL gives the origin; the base path is basePath, else its path, else /api/auth; AUTH_URL before NEXTAUTH_URL', () => {
    assert.equal(fromV5Config(base, { AUTH_URL: 'https://app.example.com' }).url, 'https://app.example.com/api/auth');
    assert.equal(fromV5Config(base, { AUTH_URL: 'https://app.example.com/' }).url, 'https://app.example.com/api/auth');
    assert.equal(fromV5Config(base, { AUTH_URL: 'https://app.example.com/auth/' }).url, 'https://app.example.com/auth');
    assert.equal(fromV5Config({ ...base, basePath: '/custom' }, { AUTH_URL: 'https://app.example.com/ignored' }).url, 'https://app.example.com/custom');
    assert.equal(fromV5Config(base, { AUTH_URL: 'https://a.example', NEXTAUTH_URL: 'https://b.example' }).url, 'https://a.example/api/auth');
    assert.equal(fromV5Config({ ...base, url: 'https://given.example/api/auth' }, { AUTH_URL: 'https://a.example' }).url, 'https://given.example/api/auth');
    assert.equal(fromV5Config(base, {}).url, undefined);
  });

  test('AUTH_SECRET first (it encrypts), then AUTH_SECRET_1..3; the option wins', () => {
    assert.deepEqual(fromV5Config(base, { AUTH_SECRET: 'new', AUTH_SECRET_1: 'old', AUTH_SECRET_3: 'older' }).secret, ['new', 'old', 'older']);
    assert.deepEqual(fromV5Config(base, { NEXTAUTH_SECRET: 'v4' }).secret, ['v4']);
    assert.equal(fromV5Config({ ...base, secret: 'mine' }, { AUTH_SECRET: 'env' }).secret, 'mine');
    assert.equal(fromV5Config(base, {}).secret, undefined);
  });

  test('AUTH_TRUST_HOST, VERCEL and CF_PAGES trust the host; "false" does not; the option wins', () => {
    assert.equal(fromV5Config(base, { AUTH_TRUST_HOST: 'true' }).trustHost, true);
    assert.equal(fromV5Config(base, { VERCEL: '1' }).trustHost, true);
    assert.equal(fromV5Config(base, { AUTH_TRUST_HOST: 'false' }).trustHost, undefined);
    assert.equal(fromV5Config({ ...base, trustHost: false }, { AUTH_TRUST_HOST: 'true' }).trustHost, false);
  });

  test('provider credentials from AUTH_<PROVIDER>_ID / _SECRET: an uncalled factory, and a called one missing them', () => {
    const env = { AUTH_GITHUB_ID: 'gh-id', AUTH_GITHUB_SECRET: 'gh-secret', AUTH_MY_IDP_ID: 'idp-id', AUTH_MY_IDP_ISSUER: 'https://idp.example' };
    const [uncalled] = fromV5Config({ providers: [GitHub as never] }, env).providers as Array<{ clientId?: string; clientSecret?: string }>;
    assert.equal(uncalled!.clientId, 'gh-id');
    assert.equal(uncalled!.clientSecret, 'gh-secret');
    const oidc = { id: 'my-idp', name: 'Mine', type: 'oidc' as const };
    const [filled] = fromV5Config({ providers: [oidc] }, env).providers as Array<{ clientId?: string; issuer?: string }>;
    assert.deepEqual([filled!.clientId, filled!.issuer], ['idp-id', 'https://idp.example']);
    assert.equal((oidc as { clientId?: string }).clientId, undefined, 'the given provider is not mutated');
    const [kept] = fromV5Config({ providers: [GitHub({ clientId: 'explicit', clientSecret: 's' })] }, env).providers as Array<{ clientId?: string }>;
    assert.equal(kept!.clientId, 'explicit');
  });

  test('callbacks.authorized stays with the v5 form; the other callbacks reach createAuth', () => {
    const session = () => ({ expires: '' });
    const out = fromV5Config({ ...base, callbacks: { authorized: () => true, session } }, {});
    assert.deepEqual(Object.keys(out.callbacks ?? {}), ['session']);
  });
});

describe('NextAuth(config) → { handlers, auth, signIn, signOut, unstable_update }', () => {
  test("handlers.GET and handlers.POST serve the REST API; the same call still works as v4's handler", async () => {
    const result = NextAuth(config());
    const { handlers } = result;
    const providers = await handlers.GET(request('http://localhost:3000/api/auth/providers'));
    assert.deepEqual(Object.keys((await providers.json()) as object), ['credentials']);
    const csrf = await handlers.GET(request('http://localhost:3000/api/auth/csrf'));
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await handlers.POST(
      request('http://localhost:3000/api/auth/callback/credentials', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `next-auth.csrf-token=${cookieOf(csrf, 'next-auth.csrf-token')}`, 'x-auth-return-redirect': '1' },
        body: new URLSearchParams({ csrfToken, username: 'ann', password: 'pw', callbackUrl: '/' }),
      }),
    );
    assert.equal(signIn.status, 200);
    assert.deepEqual(await signIn.json(), { url: 'http://localhost:3000/' });
    assert.ok(cookieOf(signIn, 'next-auth.session-token'));
    const asV4 = await (result as unknown as (r: Request, c: unknown) => Promise<Response>)(request('http://localhost:3000/api/auth/providers'), { params: Promise.resolve({ nextauth: ['providers'] }) });
    assert.equal(asV4.status, 200);
  });

  test('a config function of the request: called with the request for handlers and the middleware', async () => {
    const seen: Array<string | undefined> = [];
    const fixed = config();
    const { handlers, auth } = NextAuth((req) => {
      seen.push(req?.url);
      return fixed;
    });
    assert.equal((await handlers.GET(request('http://localhost:3000/api/auth/providers'))).status, 200);
    await auth(request('http://localhost:3000/dashboard'));
    assert.deepEqual(seen, ['http://localhost:3000/api/auth/providers', 'http://localhost:3000/dashboard']);
  });

  test('export { auth as middleware }: without `authorized` every request passes; with it, a signed-out one goes to sign in (absolute callbackUrl)', async () => {
    const open = await NextAuth(config()).auth(request('http://localhost:3000/dashboard'));
    assert.equal(open.headers.get('x-middleware-next'), '1');
    const { auth } = NextAuth(config({ callbacks: { authorized: ({ auth: session }) => !!session?.user } }));
    const refused = await auth(request('http://localhost:3000/dashboard?tab=1'));
    assert.equal(refused.status, 307);
    assert.equal(refused.headers.get('location'), 'http://localhost:3000/api/auth/signin?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fdashboard%3Ftab%3D1');
    const onSignIn = await auth(request('http://localhost:3000/api/auth/signin'));
    assert.equal(onSignIn.headers.get('x-middleware-next'), '1', 'never a loop on the sign-in page');
    const allowed = await auth(request('http://localhost:3000/dashboard', { headers: { cookie: await signedInCookie() } }));
    assert.equal(allowed.headers.get('x-middleware-next'), '1');
  });

  test('`authorized` may answer a Response, which is sent as it is', async () => {
    const { auth } = NextAuth(config({ callbacks: { authorized: () => Response.json({ denied: true }, { status: 403 }) } }));
    const response = await auth(request('http://localhost:3000/admin'));
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { denied: true });
  });

  test('auth((req) => …): req.auth is the session (null signed out), and the wrapped answer is returned', async () => {
    const { auth } = NextAuth(config({ callbacks: { authorized: () => false } }));
    const GET = auth((req) => Response.json({ user: req.auth?.user ?? null }));
    const signedOut = await GET(request('http://localhost:3000/api/me'));
    assert.deepEqual(await signedOut.json(), { user: null }, 'a wrapped function decides itself, as in v5');
    const signedIn = await GET(request('http://localhost:3000/api/me', { headers: { cookie: await signedInCookie() } }));
    assert.deepEqual(await signedIn.json(), { user: { name: USER.name, email: USER.email } });
  });

  test("a v5 session cookie (published @auth/core) is read by the middleware and re-issued under gatehouse's name on its answer", async (t) => {
    if (!existsSync(coreJwt)) return void t.skip('@auth/core is not installed in test/peers-v5');
    const { encode: v5Encode } = (await import(coreJwt.href)) as { encode(p: { token: object; secret: string; salt: string }): Promise<string> };
    const token = await v5Encode({ token: { name: 'Ann', email: 'ann@example.com', sub: '1' }, secret: SECRET, salt: 'authjs.session-token' });
    const { auth } = NextAuth(config({ callbacks: { authorized: ({ auth: session }) => !!session } }));
    const response = await auth(request('http://localhost:3000/dashboard', { headers: { cookie: `authjs.session-token=${token}` } }));
    assert.equal(response.headers.get('x-middleware-next'), '1');
    assert.ok(cookieOf(response, 'next-auth.session-token'), 're-issued');
    assert.equal(cookieOf(response, 'authjs.session-token'), '', "v5's cleared");
  });

  test('the Pages form: auth(req, res) and auth({ req, res }) read the session and append rolled cookies', async () => {
    const { auth } = NextAuth(config());
    const headers = new Map<string, unknown>();
    const res = { getHeader: (n: string) => headers.get(n), setHeader: (n: string, v: unknown) => void headers.set(n, v) };
    const req: { headers: Record<string, string> } = { headers: { cookie: await signedInCookie(), host: 'localhost:3000' } };
    const nodeRes = res as unknown as ServerResponse;
    assert.equal((await auth(req, nodeRes))?.user?.email, USER.email);
    assert.equal((await auth({ req, res: nodeRes }))?.user?.email, USER.email);
    assert.equal(await auth({ req: { headers: {} }, res: nodeRes }), null);
  });

  test('a broken configuration throws when first used (not at import), as v4 does', async () => {
    const { handlers } = NextAuth({ providers: 'nope' } as never);
    await assert.rejects(handlers.GET(request('http://localhost:3000/api/auth/session')), TypeError);
  });

  test("AuthError carries v5's `type`", () => {
    const error = new AuthError('CredentialsSignin', { detail: 'locked' });
    assert.equal(error.type, 'CredentialsSignin');
    assert.ok(error instanceof AuthError);
  });
});
