// gatehouse-auth/client on a server (Node, no window): absolute URLs from NEXTAUTH_URL or configure(), and the caller's cookie forwarded.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { configure, getCsrfToken, getProviders, getSession } from '../../src/client/index.js';
import { apiBase } from '../../src/client/url.js';
import { PASSWORD, SERVER_KINDS, startServer, USER, type RemoteServer } from './helpers/remote.js';

const ENV = ['NEXTAUTH_URL', 'NEXTAUTH_URL_INTERNAL', 'VERCEL_URL'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  configure({ basePath: undefined, baseUrl: undefined });
});

/** Signs in as a browser would (CSRF cookie, then the credentials form) and returns the Cookie header it ends with. */
async function signedInCookie(server: RemoteServer): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response): void => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const header = (): string => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const csrf = await fetch(`${server.base}/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signin = await fetch(`${server.base}/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ csrfToken, username: 'ann', password: PASSWORD, json: 'true' }),
  });
  assert.equal(signin.status, 200);
  keep(signin);
  return header();
}

describe('the API base on a server', () => {
  it('follows v4: NEXTAUTH_URL_INTERNAL, then NEXTAUTH_URL, then VERCEL_URL (https), else localhost:3000/api/auth', () => {
    for (const name of ENV) delete process.env[name];
    assert.equal(apiBase(), 'http://localhost:3000/api/auth');
    process.env.VERCEL_URL = 'my-app.vercel.app';
    assert.equal(apiBase(), 'https://my-app.vercel.app/api/auth');
    process.env.NEXTAUTH_URL = 'http://example.com/custom/auth/';
    assert.equal(apiBase(), 'http://example.com/custom/auth');
    process.env.NEXTAUTH_URL_INTERNAL = 'http://10.0.0.5:3000';
    assert.equal(apiBase(), 'http://10.0.0.5:3000/api/auth');
  });

  it('configure() wins over the environment: baseUrl (with or without a path) and basePath', () => {
    process.env.NEXTAUTH_URL = 'http://example.com/api/auth';
    configure({ baseUrl: 'https://auth.example.org/custom/auth' });
    assert.equal(apiBase(), 'https://auth.example.org/custom/auth');
    configure({ basePath: '/other' });
    assert.equal(apiBase(), 'https://auth.example.org/other');
    configure({ baseUrl: undefined });
    assert.equal(apiBase(), 'http://example.com/other');
  });
});

for (const kind of SERVER_KINDS) {
  describe(`gatehouse-auth/client in Node against ${kind}`, () => {
    let server: RemoteServer;
    before(async () => (server = await startServer(kind, { basePath: '/custom/auth' })));
    after(() => server.close());

    it('reads NEXTAUTH_URL at call time, custom path included', async () => {
      process.env.NEXTAUTH_URL = server.base;
      assert.equal((await getProviders())?.credentials?.callbackUrl, `${server.base}/callback/credentials`);
      assert.match((await getCsrfToken()) ?? '', /^[0-9a-f]{64}$/);
      assert.equal(await getSession(), null, 'no cookie, no session; and no window to broadcast to');
    });

    it('getSession({ req }) and getCsrfToken({ req }) forward the request cookie (Node headers, Web Request, { ctx })', async () => {
      configure({ baseUrl: server.base });
      const cookie = await signedInCookie(server);
      const expected = { name: USER.name, email: USER.email, image: null };
      assert.deepEqual((await getSession({ req: { headers: { cookie } } }))?.user, expected);
      assert.deepEqual((await getSession({ req: new Request('http://app.test/page', { headers: { cookie } }) }))?.user, expected);
      assert.deepEqual((await getSession({ ctx: { req: { headers: { cookie } } } }))?.user, expected);
      const csrfCookie = /next-auth\.csrf-token=([0-9a-f]{64})/.exec(cookie)?.[1];
      assert.equal(await getCsrfToken({ req: { headers: { cookie } } }), csrfCookie, "the caller's token, not a fresh one");
    });
  });
}
