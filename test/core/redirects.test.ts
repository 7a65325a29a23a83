// Open-redirect corpus (advisories GHSA-f9wg, GHSA-q2mx, GHSA-g5fm): no callbackUrl ever leaves the origin or causes a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultRedirect } from '../../src/core/redirect.js';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer, type TestServer } from '../helpers/server.js';

const HOSTILE = [
  'https://evil.io',
  'https://evil.io/x',
  '//evil.io',
  '//evil.io/%2F..',
  '/\\evil.io',
  '/\\/evil.io',
  '\\/\\/evil.io',
  '/%2F%2Fevil.io',
  '%2F%2Fevil.io',
  '/\t/evil.io',
  '/\n/evil.io',
  'https:evil.io',
  'https:/evil.io',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'javascript://%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://evil.io',
  'HTTPS://EVIL.IO',
  'https://127.0.0.1.evil.io/x',
  'https://127.0.0.1@evil.io/',
  'http://127.0.0.1:PORT@evil.io/',
  'http://127.0.0.1:PORT.evil.io/',
  'https://evil.io/?http://127.0.0.1:PORT',
  'https://evil.io#http://127.0.0.1:PORT',
  'http://[',
  'not a url',
  '%',
  '\u0000/evil.io',
  '/\u0000/evil.io',
  ' //evil.io',
  'http://evil.io\\@127.0.0.1:PORT',
  'http://127.0.0.1:PORT\\@evil.io',
  `https://evil.io/${'a'.repeat(10_000)}`,
  '\r\nLocation: https://evil.io',
  'http://ⓔⓥⓘⓛ.io',
];

describe('open redirects', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig());
  });
  after(() => server.close());

  const values = () => HOSTILE.map((value) => value.replaceAll('PORT', String(server.port)));

  function assertSameOrigin(url: string, label: string) {
    const parsed = new URL(url);
    assert.equal(parsed.origin, server.origin, `${label}: ${url}`);
    assert.ok(!parsed.pathname.startsWith('//') && !parsed.pathname.includes('\\'), `${label}: ${url} must not read as protocol-relative`);
  }

  function assertCookieSafe(browser: Browser, label: string) {
    const raw = browser.jar.get('next-auth.callback-url');
    if (raw !== undefined) assertSameOrigin(decodeURIComponent(raw), `${label} (cookie)`);
  }

  test(`at least 30 hostile values`, () => assert.ok(HOSTILE.length >= 30));

  test('POST signout (form field) never leaves the origin', async () => {
    for (const callbackUrl of values()) {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      const response = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken, callbackUrl, json: 'true' } });
      assert.ok(response.status < 500, callbackUrl);
      assertSameOrigin(((await response.json()) as { url: string }).url, `signout ${JSON.stringify(callbackUrl)}`);
      assertCookieSafe(browser, callbackUrl);
      const redirecting = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken, callbackUrl } });
      assert.equal(redirecting.status, 302);
      assertSameOrigin(redirecting.headers.get('location')!, `signout 302 ${JSON.stringify(callbackUrl)}`);
    }
  });

  test('POST callback/credentials never leaves the origin', async () => {
    for (const callbackUrl of values()) {
      const browser = new Browser();
      const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw', callbackUrl });
      assert.equal(response.status, 200, callbackUrl);
      assertSameOrigin(((await response.json()) as { url: string }).url, `credentials ${JSON.stringify(callbackUrl)}`);
      assertCookieSafe(browser, callbackUrl);
    }
  });

  test('GET signin (query) puts only same-origin URLs in the page and cookie', async () => {
    for (const callbackUrl of values()) {
      const browser = new Browser();
      const response = await browser.fetch(`${server.base}/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      assert.equal(response.status, 200, callbackUrl);
      assert.ok(!(await response.text()).includes('evil.io'), `${callbackUrl} echoed in the page`);
      assertCookieSafe(browser, callbackUrl);
    }
  });

  test('a hostile callback-url cookie is not followed', async () => {
    for (const callbackUrl of values()) {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      browser.jar.set('next-auth.callback-url', encodeURIComponent(callbackUrl));
      const response = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken, json: 'true' } });
      assert.ok(response.status < 500, callbackUrl);
      assertSameOrigin(((await response.json()) as { url: string }).url, `cookie ${JSON.stringify(callbackUrl)}`);
    }
  });

  test('a throwing or hostile user redirect callback still cannot produce a script URL or 500', async () => {
    for (const redirect of [
      () => {
        throw new Error('boom');
      },
      () => 'javascript:alert(1)',
      () => '\u0000',
    ]) {
      const custom = await startServer(credentialsConfig({ callbacks: { redirect } }));
      try {
        const browser = new Browser();
        const response = await browser.signInWithCredentials(custom.base, { username: 'ann', password: 'pw', callbackUrl: '/x' });
        assert.equal(response.status, 200);
        assert.equal(((await response.json()) as { url: string }).url, custom.origin);
      } finally {
        await custom.close();
      }
    }
  });

  test('allowed targets pass unchanged', () => {
    const base = 'http://127.0.0.1:3000';
    assert.equal(defaultRedirect('/dash?x=1#top', base), `${base}/dash?x=1#top`);
    assert.equal(defaultRedirect(`${base}/ok`, base), `${base}/ok`);
    assert.equal(defaultRedirect('HTTP://127.0.0.1:3000/ok', base), `${base}/ok`);
  });
});
