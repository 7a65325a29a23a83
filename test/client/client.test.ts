// gatehouse-auth/client in a happy-dom page against gatehouse and next-auth v4 servers over HTTP: every function, its wire and its failures.
import { closeDom, freshTab, lastMessage, openPage, settle, until } from './helpers/dom.js';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, afterEach, before, beforeEach, describe, it, mock } from 'node:test';
import { configure, getCsrfToken, getProviders, getSession, signIn, signOut } from '../../src/client/index.js';
import { PASSWORD, SERVER_KINDS, startServer, USER, type RemoteServer } from './helpers/remote.js';

after(closeDom);

// A rejection nobody handles would be a client bug (v4 rejects on network errors; gatehouse must not).
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => void unhandled.push(reason));
afterEach(() => assert.deepEqual(unhandled.splice(0), []));

const PAGE = '/app/page?tab=1';

/** The URLs of the client's own error reports (happy-dom also logs failed responses, as a browser console does). */
function ours(errors: { mock: { calls: Array<{ arguments: unknown[] }> } }): unknown[] {
  return errors.mock.calls.filter((call) => call.arguments[0] === '[gatehouse][error][CLIENT_FETCH_ERROR]').map((call) => call.arguments[1]);
}
const form = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));

for (const kind of SERVER_KINDS) {
  describe(`gatehouse-auth/client against ${kind}`, () => {
    let server: RemoteServer;
    before(async () => (server = await startServer(kind)));
    after(() => server.close());
    beforeEach(async () => {
      configure({ basePath: undefined, baseUrl: undefined });
      await server.heal();
      await freshTab(server, PAGE);
      await server.clearRequests();
    });

    it('getCsrfToken: the token of GET csrf, the same on every call (it sits in the cookie)', async () => {
      const token = await getCsrfToken();
      assert.match(token ?? '', /^[0-9a-f]{64}$/);
      assert.equal(await getCsrfToken(), token);
      assert.deepEqual(await server.log(), ['GET csrf', 'GET csrf']);
    });

    it('getProviders: the map GET providers serves, unchanged', async () => {
      const providers = await getProviders();
      const raw = await (await fetch(`${server.base}/providers`)).json();
      assert.deepEqual(providers, raw);
      assert.deepEqual(providers?.credentials, {
        id: 'credentials',
        name: 'Password',
        type: 'credentials',
        signinUrl: `${server.base}/signin/credentials`,
        callbackUrl: `${server.base}/callback/credentials`,
      });
    });

    it('getSession: null when signed out, and tells v4 tabs in their localStorage format', async () => {
      assert.equal(await getSession(), null);
      const message = lastMessage();
      assert.deepEqual({ ...message, timestamp: typeof message?.timestamp }, { event: 'session', data: { trigger: 'getSession' }, timestamp: 'number', bc: 1 });
      assert.equal(message?.timestamp, Math.floor(Number(message?.timestamp)), 'v4 writes whole seconds');
      localStorage.clear();
      assert.equal(await getSession({ broadcast: false }), null);
      assert.equal(lastMessage(), null, 'broadcast: false tells nobody');
    });

    it('signIn(credentials, redirect: false) with a wrong password: { error: CredentialsSignin, status: 401, ok: false, url: null }', async () => {
      const result = await signIn('credentials', { redirect: false, username: 'ann', password: 'nope' });
      assert.deepEqual(result, { error: 'CredentialsSignin', status: 401, ok: false, url: null });
      assert.equal(location.href, server.origin + PAGE, 'no navigation');
      assert.equal(await getSession(), null);
    });

    it('signIn(credentials, redirect: false) posts the form v4 posts and resolves the callback URL', async () => {
      const result = await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD });
      assert.deepEqual(result, { error: null, status: 200, ok: true, url: server.origin + PAGE });
      const posted = (await server.requests()).find((r) => r.method === 'POST')!;
      assert.equal(posted.action, 'callback/credentials');
      assert.equal(posted.contentType, 'application/x-www-form-urlencoded');
      const fields = form(posted.body);
      assert.match(fields.csrfToken ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual({ ...fields, csrfToken: 'x' }, { redirect: 'false', username: 'ann', password: PASSWORD, csrfToken: 'x', callbackUrl: server.origin + PAGE, json: 'true' });
      assert.deepEqual(await server.log(), ['GET providers', 'GET csrf', 'POST callback/credentials']);
      assert.deepEqual(lastMessage()?.data, { trigger: 'getSession' }, 'the other tabs refetch (v4 told nobody)');
      const session = await getSession();
      assert.deepEqual(session?.user, { name: USER.name, email: USER.email, image: null });
      assert.ok(Date.parse(session?.expires ?? '') > Date.now());
    });

    it('signIn(credentials) navigates to the callback URL the server resolved', async () => {
      assert.equal(await signIn('credentials', { callbackUrl: '/dash', username: 'ann', password: PASSWORD }), undefined);
      assert.equal(location.href, `${server.origin}/dash`);
      openPage(server.origin + PAGE);
      assert.equal((await getSession())?.user?.email, USER.email);
    });

    it('a callback URL that only changes the fragment reloads the page; another page with a fragment does not', async (t) => {
      const reload = t.mock.method(location, 'reload', () => {});
      await signIn('credentials', { callbackUrl: `${server.origin}${PAGE}#welcome`, username: 'ann', password: PASSWORD });
      assert.equal(location.href, `${server.origin}${PAGE}#welcome`);
      assert.equal(reload.mock.callCount(), 1);
      await signIn('credentials', { callbackUrl: `${server.origin}/elsewhere#top`, username: 'ann', password: PASSWORD });
      assert.equal(location.href, `${server.origin}/elsewhere#top`);
      assert.equal(reload.mock.callCount(), 1);
    });

    it('signIn() and signIn(<unknown>) go to the sign-in page with the current page as callbackUrl', async () => {
      for (const provider of [undefined, 'nope', 'toString']) {
        openPage(server.origin + PAGE);
        assert.equal(await signIn(provider), undefined);
        assert.equal(location.href, `${server.origin}/api/auth/signin?callbackUrl=${encodeURIComponent(server.origin + PAGE)}`);
      }
      openPage(server.origin + PAGE);
      await signIn(undefined, { callbackUrl: '/after' });
      assert.equal(location.href, `${server.origin}/api/auth/signin?callbackUrl=%2Fafter`);
      assert.equal((await server.count('POST callback/credentials')) + (await server.count('GET csrf')), 0, 'no POST, no CSRF fetch');
    });

    it('signIn(oauth, options, authorizationParams) posts to signin/:id with the parameters and follows to the IdP', async (t) => {
      if (!server.supports.has('oauth')) return t.skip(`${kind} serves no OAuth flow yet`);
      await signIn('github', { callbackUrl: '/after' }, { prompt: 'login', login_hint: 'ann@example.com' });
      const posted = (await server.requests()).find((r) => r.method === 'POST')!;
      assert.equal(posted.action, 'signin/github');
      assert.equal(posted.query, 'prompt=login&login_hint=ann%40example.com');
      assert.equal(form(posted.body).callbackUrl, '/after');
      const idp = new URL(location.href);
      assert.equal(idp.origin + idp.pathname, 'https://github.com/login/oauth/authorize');
      assert.equal(idp.searchParams.get('prompt'), 'login');
      assert.equal(idp.searchParams.get('login_hint'), 'ann@example.com');
      assert.equal(idp.searchParams.get('redirect_uri'), `${server.base}/callback/github`);
    });

    it('signIn(oauth, { redirect: false }) still navigates: only credentials and email can stay', async (t) => {
      if (!server.supports.has('oauth')) return t.skip(`${kind} serves no OAuth flow yet`);
      assert.equal(await signIn('github', { redirect: false }), undefined);
      assert.ok(location.href.startsWith('https://github.com/login/oauth/authorize?'));
    });

    it('signIn(email, redirect: false) sends the link and resolves the verify-request URL', async (t) => {
      if (!server.supports.has('email')) return t.skip(`${kind} serves no email flow yet`);
      const result = await signIn('email', { email: 'ann@example.com', redirect: false });
      assert.deepEqual(result, { error: null, status: 200, ok: true, url: `${server.base}/verify-request?provider=email&type=email` });
      assert.equal((await server.mails()).length, 1);
      assert.equal(form((await server.requests()).find((r) => r.method === 'POST')!.body).email, 'ann@example.com');
    });

    it('signOut(redirect: false) clears the session, tells the tabs and resolves { url }', async () => {
      await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD });
      await server.clearRequests();
      assert.deepEqual(await signOut({ redirect: false }), { url: server.origin + PAGE });
      const posted = (await server.requests()).find((r) => r.method === 'POST')!;
      assert.equal(posted.action, 'signout');
      assert.deepEqual(Object.keys(form(posted.body)), ['csrfToken', 'callbackUrl', 'json']);
      assert.deepEqual({ ...lastMessage(), timestamp: 0 }, { event: 'session', data: { trigger: 'signout' }, timestamp: 0, bc: 1 });
      assert.equal(await getSession(), null);
    });

    it('signOut() navigates to the callback URL', async () => {
      await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD });
      assert.equal(await signOut({ callbackUrl: '/bye' }), undefined);
      assert.equal(location.href, `${server.origin}/bye`);
      openPage(server.origin + PAGE);
      assert.equal(await getSession(), null);
    });

    it('a failing server: logged as CLIENT_FETCH_ERROR (console and POST _log), resolved as null, nothing navigates', async (t) => {
      const errors = t.mock.method(console, 'error', () => {});
      await server.fail('session', 500, JSON.stringify({ message: 'There is a problem with the server configuration.' }));
      await server.fail('providers', 502, '<html>Bad gateway</html>', 'text/html');
      assert.equal(await getSession(), null);
      assert.equal(await getProviders(), null);
      assert.equal(await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD }), undefined);
      assert.equal(location.href, `${server.origin}/api/auth/error`, 'v4: no providers → the error page');
      assert.deepEqual(ours(errors), ['/api/auth/session', '/api/auth/providers', '/api/auth/providers']);
      await until('the _log beacons', async () => (await server.count('POST _log')) === 3);
      const log = form((await server.requests()).find((r) => r.action === '_log')!.body);
      assert.deepEqual(log, { level: 'error', code: 'CLIENT_FETCH_ERROR', message: 'There is a problem with the server configuration.', url: '/api/auth/session', client: 'true' });
    });

    it('a CSRF or sign-in endpoint that answers garbage resolves null instead of throwing', async (t) => {
      t.mock.method(console, 'error', () => {});
      await server.fail('callback', 500, 'Internal Server Error', 'text/plain');
      assert.equal(await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD }), null);
      assert.equal(await signIn('credentials', { username: 'ann', password: PASSWORD }), null);
      assert.equal(location.href, server.origin + PAGE, 'no navigation on failure');
      await server.heal();
      await server.fail('csrf', 503, '');
      assert.equal(await getCsrfToken(), undefined);
      assert.equal(await signOut(), null);
      assert.equal(await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD }), null);
      assert.equal(await server.count('POST callback/credentials'), 2, 'no POST without a CSRF token');
    });
  });
}

describe('gatehouse-auth/client with the server gone', () => {
  it('every function resolves (null, or undefined for the CSRF token) and logs; no rejection escapes', async (t) => {
    const errors = t.mock.method(console, 'error', () => {});
    const server = await startServer('gatehouse');
    await freshTab(server, PAGE);
    await server.close();
    assert.equal(await getSession(), null);
    assert.equal(await getCsrfToken(), undefined);
    assert.equal(await getProviders(), null);
    assert.equal(await signOut(), null);
    assert.equal(await signOut({ redirect: false }), null);
    assert.equal(await signIn('credentials', { redirect: false }), undefined);
    assert.deepEqual(
      ours(errors),
      ['session', 'csrf', 'providers', 'csrf', 'csrf', 'providers'].map((path) => `/api/auth/${path}`),
    );
    await settle(); // the log beacons fail too; happy-dom reports that on the console, muted here
  });
});

for (const kind of SERVER_KINDS) {
  describe(`gatehouse-auth/client on a custom base path against ${kind}`, () => {
    let server: RemoteServer;
    before(async () => (server = await startServer(kind, { basePath: '/custom/auth' })));
    after(() => server.close());

    it('configure({ basePath }) sends every call there, sign-in to sign-out', async () => {
      await freshTab(server, PAGE);
      configure({ basePath: '/custom/auth' });
      try {
        assert.equal((await getProviders())?.credentials?.signinUrl, `${server.origin}/custom/auth/signin/credentials`);
        assert.deepEqual(await signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD }), { error: null, status: 200, ok: true, url: server.origin + PAGE });
        assert.equal((await getSession())?.user?.name, USER.name);
        assert.deepEqual(await signOut({ redirect: false }), { url: server.origin + PAGE });
        assert.equal(await getSession(), null);
        await signIn();
        assert.equal(location.href, `${server.origin}/custom/auth/signin?callbackUrl=${encodeURIComponent(server.origin + PAGE)}`);
        assert.deepEqual([...new Set(await server.log())].sort(), ['GET csrf', 'GET providers', 'GET session', 'POST callback/credentials', 'POST signout']);
      } finally {
        configure({ basePath: undefined });
      }
    });
  });
}

// Differential: next-auth v4's own client (next-auth/react) and gatehouse-auth/client, step by step against the
// same server, must give the same results. Against gatehouse this is also the real v4 client on a gatehouse server.
const v4client = createRequire(new URL('../peers/package.json', import.meta.url))('next-auth/react') as {
  getSession: typeof getSession;
  getCsrfToken: typeof getCsrfToken;
  getProviders: typeof getProviders;
  signIn: typeof signIn;
  signOut: typeof signOut;
};

const results = new Map<string, string>();

for (const kind of SERVER_KINDS) {
  describe(`next-auth/react and gatehouse-auth/client agree against ${kind}`, () => {
    let server: RemoteServer;
    before(async () => (server = await startServer(kind)));
    after(() => server.close());

    for (const [name, client] of [
      ['next-auth/react', v4client],
      ['gatehouse-auth/client', { getSession, getCsrfToken, getProviders, signIn, signOut }],
    ] as const) {
      it(`${name}: the scripted session gives the recorded results`, async () => {
        await freshTab(server, PAGE);
        await server.clearRequests();
        const steps: unknown[] = [];
        steps.push(await client.getProviders());
        steps.push((await client.getCsrfToken())?.length);
        steps.push(await client.getSession());
        steps.push(await client.signIn('credentials', { redirect: false, username: 'ann', password: 'nope' }));
        steps.push(await client.signIn('credentials', { redirect: false, username: 'ann', password: PASSWORD, callbackUrl: '/dash' }));
        const session = await client.getSession();
        steps.push({ ...session, expires: typeof session?.expires });
        steps.push(await client.signOut({ redirect: false, callbackUrl: `${server.origin}/bye` }));
        steps.push(await client.getSession());
        await client.signIn(undefined, { callbackUrl: '/x' });
        steps.push(location.href);
        const wire = (await server.requests()).map((r) => ({ ...r, body: Object.keys(form(r.body)).sort().join(',') }));
        const record = JSON.stringify({ steps, wire, message: { ...lastMessage(), timestamp: 0, bc: 0 } });
        results.set(`${kind}:${name}`, record);
        // Not only equal to each other: right.
        assert.deepEqual(steps.slice(2, 5), [null, { error: 'CredentialsSignin', status: 401, ok: false, url: null }, { error: null, status: 200, ok: true, url: `${server.origin}/dash` }]);
        assert.deepEqual(steps.slice(6), [{ url: `${server.origin}/bye` }, null, `${server.origin}/api/auth/signin?callbackUrl=%2Fx`]);
        const other = results.get(`${kind}:${name === 'next-auth/react' ? 'gatehouse-auth/client' : 'next-auth/react'}`);
        if (other) assert.deepEqual(JSON.parse(record), JSON.parse(other));
      });
    }
  });
}
