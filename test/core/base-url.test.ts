// Base URL and path: a custom path from configuration; forged Host / X-Forwarded-Host never shape a URL (advisory 16).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAuth } from '../../src/index.js';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer } from '../helpers/server.js';

describe('base URL', () => {
  test('a custom path (NEXTAUTH_URL with a path) serves there and nothing at /api/auth', async () => {
    const custom = await startServer({ ...credentialsConfig(), url: (origin: string) => `${origin}/myapp/api/authentication` });
    try {
      const providers = (await (await fetch(`${custom.origin}/myapp/api/authentication/providers`)).json()) as Record<string, { signinUrl: string }>;
      assert.equal(providers.credentials!.signinUrl, `${custom.origin}/myapp/api/authentication/signin/credentials`);
      assert.equal((await fetch(`${custom.origin}/api/auth/providers`)).status, 404);
      const browser = new Browser();
      const response = await browser.signInWithCredentials(`${custom.origin}/myapp/api/authentication`, { username: 'ann', password: 'nope' });
      assert.equal(((await response.json()) as { url: string }).url, `${custom.origin}/myapp/api/authentication/error?error=CredentialsSignin&provider=credentials`);
    } finally {
      await custom.close();
    }
  });

  test('NEXTAUTH_URL in the environment is read, path included', async () => {
    const before = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = 'https://example.com/myapp/api/authentication/';
    try {
      const auth = createAuth({ ...credentialsConfig() });
      assert.deepEqual(auth.url, { origin: 'https://example.com', path: '/myapp/api/authentication', base: 'https://example.com/myapp/api/authentication' });
      const response = await auth.handler(new Request('https://example.com/myapp/api/authentication/providers'));
      assert.equal(((await response.json()) as Record<string, { callbackUrl: string }>).credentials!.callbackUrl, 'https://example.com/myapp/api/authentication/callback/credentials');
    } finally {
      if (before === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = before;
    }
  });

  test('with a configured URL and trustHost, forged hosts change nothing', async () => {
    const server = await startServer({ ...credentialsConfig(), trustHost: true, url: (origin) => `${origin}/api/auth` });
    try {
      const forged = { host: 'evil.io', 'x-forwarded-host': 'evil.io', 'x-forwarded-proto': 'http' };
      const providers = await (await fetch(`${server.base}/providers`, { headers: forged })).text();
      assert.ok(!providers.includes('evil.io'));
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      const response = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', headers: forged, form: { csrfToken, username: 'ann', password: 'pw', callbackUrl: 'https://evil.io/', json: 'true' } });
      assert.equal(((await response.json()) as { url: string }).url, server.origin);
    } finally {
      await server.close();
    }
  });

  test('without a URL: untrusted hosts get a 400 that does not echo the header', async () => {
    const auth = createAuth({ ...credentialsConfig(), logger: { warn: () => {} } });
    const response = await auth.handler(new Request('http://evil.io/api/auth/providers', { headers: { host: 'evil.io<script>' } }));
    assert.equal(response.status, 400);
    assert.ok(!(await response.text()).includes('evil'));
    const forwarded = await auth.handler(new Request('http://localhost:3000/api/auth/providers', { headers: { host: 'localhost:3000', 'x-forwarded-host': 'evil.io' } }));
    const body = await forwarded.text();
    assert.equal(forwarded.status, 200, 'loopback is served for a first local run');
    assert.ok(!body.includes('evil.io'), 'X-Forwarded-Host is ignored unless trusted');
  });

  test('allowedHosts: listed hosts are served with their own URLs, others refused', async () => {
    const auth = createAuth({ ...credentialsConfig(), allowedHosts: ['app.example.com', 'www.example.com:8443'] });
    const ok = await auth.handler(new Request('https://app.example.com/api/auth/providers', { headers: { host: 'app.example.com' } }));
    assert.equal(((await ok.json()) as Record<string, { signinUrl: string }>).credentials!.signinUrl, 'https://app.example.com/api/auth/signin/credentials');
    const viaProxy = await auth.handler(new Request('http://10.0.0.5/api/auth/providers', { headers: { host: '10.0.0.5', 'x-forwarded-host': 'www.example.com:8443' } }));
    assert.equal(viaProxy.status, 200);
    const refused = await auth.handler(new Request('https://evil.io/api/auth/providers', { headers: { host: 'evil.io' } }));
    assert.equal(refused.status, 400);
  });

  test('trustHost uses the forwarded host and protocol', async () => {
    const auth = createAuth({ ...credentialsConfig(), trustHost: true });
    const response = await auth.handler(new Request('http://10.0.0.5/api/auth/csrf', { headers: { host: '10.0.0.5', 'x-forwarded-host': 'app.example.com', 'x-forwarded-proto': 'https' } }));
    assert.match(response.headers.getSetCookie()[0]!, /^__Host-next-auth\.csrf-token=.*; Secure; SameSite=Lax$/);
  });
});
