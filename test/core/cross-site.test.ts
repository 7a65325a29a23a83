// Issue 13 item 8: a POST from another site (Origin of another origin, or Sec-Fetch-Site: cross-site) is refused even with a valid CSRF token pair; same-site requests, with or without Origin, work.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
const SESSION = 'next-auth.session-token';

describe('issue 13 item 8: cross-site POSTs are refused', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig({ logger: quiet }));
  });
  after(() => server.close());

  const CROSS_SITE: Array<[string, Record<string, string>]> = [
    ['Origin of another site', { origin: 'https://evil.example' }],
    ['Origin of another port on our host', { origin: 'http://127.0.0.1:1' }],
    ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: cross-site beside our own Origin', { 'sec-fetch-site': 'cross-site', origin: 'ORIGIN' }],
  ];

  const withOrigin = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'ORIGIN' ? server.origin : v]));

  for (const [label, headers] of CROSS_SITE) {
    test(`${label}: a credentials sign-in with a valid token pair is a 403, nobody signed in`, async () => {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      const json = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', headers: withOrigin(headers), form: { csrfToken, username: 'ann', password: 'pw', json: 'true' } });
      assert.equal(json.status, 403);
      const body = (await json.json()) as { error: string; message: string; url: string };
      assert.equal(body.error, 'CrossSiteRequest');
      assert.match(body.message, /another site/);
      assert.ok(!browser.jar.has(SESSION));
      const page = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', headers: withOrigin(headers), form: { csrfToken, username: 'ann', password: 'pw' } });
      assert.equal(page.status, 403);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await page.text(), /another site/);
      assert.ok(!browser.jar.has(SESSION));
    });
  }

  test('a cross-site sign-out form (Origin of another site) is refused: still signed in', async () => {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    const csrfToken = await browser.csrfToken(server.base);
    const response = await browser.fetch(`${server.base}/signout`, { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, form: { csrfToken } });
    assert.equal(response.status, 403);
    await response.arrayBuffer();
    const session = (await (await browser.fetch(`${server.base}/session`)).json()) as { user?: unknown };
    assert.ok(session.user, 'still signed in');
  });

  test('a cross-site session update (POST session) is refused', async () => {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    const csrfToken = await browser.csrfToken(server.base);
    const response = await browser.fetch(`${server.base}/session`, { method: 'POST', headers: { origin: 'https://evil.example' }, json: { csrfToken, data: {} } });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: string }).error, 'CrossSiteRequest');
  });

  const SAME_SITE: Array<[string, Record<string, string>]> = [
    ['no Origin, no Sec-Fetch-Site (an old client, a server-side fetch)', {}],
    ['our own Origin', { origin: 'ORIGIN' }],
    ['our own Origin and Sec-Fetch-Site: same-origin', { origin: 'ORIGIN', 'sec-fetch-site': 'same-origin' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain, as the browser judges it)', { 'sec-fetch-site': 'same-site' }],
  ];
  for (const [label, headers] of SAME_SITE) {
    test(`${label}: signs in`, async () => {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      const response = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', headers: withOrigin(headers), form: { csrfToken, username: 'ann', password: 'pw', json: 'true' } });
      assert.equal(response.status, 200);
      assert.ok(browser.jar.has(SESSION));
    });
  }

  test('GET requests are not affected (a link from another site still opens the sign-in page)', async () => {
    const response = await new Browser().fetch(`${server.base}/signin`, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  });
});
