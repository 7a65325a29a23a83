// Issue 13 item 6: a field sent twice (form, JSON body or query) is ambiguous and refused with a clear 400, JSON for JSON requests and the error page otherwise.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

describe('issue 13 item 6: duplicated fields are refused', () => {
  let server: TestServer;
  const mails: string[] = [];
  const authorized: string[] = [];
  before(async () => {
    server = await startServer({
      secret: SECRET,
      logger: quiet,
      adapter: memoryAdapter(),
      session: { strategy: 'jwt' },
      providers: [
        Credentials({
          credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
          authorize: ({ username, password }) => {
            authorized.push(String(username));
            return password === 'pw' ? { id: String(username), name: String(username) } : null;
          },
        }),
        Email({ sendVerificationRequest: ({ identifier }) => void mails.push(identifier) }),
      ],
    });
  });
  after(() => server.close());

  /** POSTs a raw body (the repeated keys cannot be built from an object) with the browser's cookies. */
  async function post(browser: Browser, path: string, body: string, type = 'application/x-www-form-urlencoded') {
    return browser.fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  }

  async function expectJson400(response: Response) {
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { error: string; message: string; url: string };
    assert.equal(body.error, 'DuplicateField');
    assert.match(body.message, /more than once/);
    assert.equal(body.url, `${server.base}/error?error=DuplicateField`);
  }

  async function expectPage400(response: Response) {
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /more than once/);
  }

  const noSession = (browser: Browser) => assert.ok(![...browser.jar.keys()].some((name) => name.includes('session-token')), 'no session cookie');

  for (const field of ['username', 'password', 'csrfToken', 'callbackUrl', 'json']) {
    test(`callback/credentials, form with ${field} twice (JSON mode): 400 JSON, authorize() never runs, no session`, async () => {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      const fields: Array<[string, string]> = [
        ['csrfToken', csrfToken],
        ['username', 'ann'],
        ['password', 'pw'],
        ['callbackUrl', '/a'],
        ['json', 'true'],
      ];
      const repeated = fields.find(([name]) => name === field)!;
      const body = new URLSearchParams([...fields, [field, field === 'username' ? 'bob' : field === 'callbackUrl' ? '/b' : repeated[1]]]).toString();
      const before = authorized.length;
      await expectJson400(await post(browser, '/callback/credentials', body));
      assert.equal(authorized.length, before);
      noSession(browser);
    });
  }

  test('callback/credentials, plain form (no json=true) with username twice: the 400 error page', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    await expectPage400(await post(browser, '/callback/credentials', `csrfToken=${csrfToken}&username=ann&username=bob&password=pw`));
    noSession(browser);
  });

  test('a JSON body with a repeated key (also spelled with an escape) is refused as a form is', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const before = authorized.length;
    await expectJson400(await post(browser, '/callback/credentials', `{"csrfToken":"${csrfToken}","username":"ann","username":"bob","password":"pw"}`, 'application/json'));
    await expectJson400(await post(browser, '/callback/credentials', `{"csrfToken":"${csrfToken}","username":"ann","user\\u006eame":"bob","password":"pw"}`, 'application/json'));
    assert.equal(authorized.length, before);
    // Keys repeated only inside a nested value (the session update's `data`) are the app's business.
    const ok = await post(browser, '/callback/credentials', `{"csrfToken":"${csrfToken}","username":"ann","password":"pw","json":"true","extra":{"a":1,"a":2}}`, 'application/json');
    assert.equal(ok.status, 200);
  });

  test('signin/email with email=a@x&email=b@y: 400, no mail sent', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const before = mails.length;
    await expectJson400(await post(browser, '/signin/email', `csrfToken=${csrfToken}&email=a%40example.com&email=b%40example.org&json=true`));
    await expectPage400(await post(browser, '/signin/email', `csrfToken=${csrfToken}&email=a%40example.com&email=b%40example.org`));
    assert.equal(mails.length, before);
  });

  test('query strings where flows read them: callback/email token twice, signin callbackUrl twice, error twice', async () => {
    const browser = new Browser();
    await expectPage400(await browser.fetch(`${server.base}/callback/email?token=a&token=b&email=a%40example.com`));
    await expectPage400(await browser.fetch(`${server.base}/signin?callbackUrl=%2Fa&callbackUrl=%2Fb`));
    await expectPage400(await browser.fetch(`${server.base}/error?error=Verification&error=Default`));
    const session = await browser.fetch(`${server.base}/session?callbackUrl=%2Fa&callbackUrl=%2Fb`);
    await expectJson400(session);
  });

  test('signout with callbackUrl twice: 400, still signed in', async () => {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    const csrfToken = await browser.csrfToken(server.base);
    await expectPage400(await post(browser, '/signout', `csrfToken=${csrfToken}&callbackUrl=%2Fa&callbackUrl=%2Fb`));
    const session = (await (await browser.fetch(`${server.base}/session`)).json()) as { user?: unknown };
    assert.ok(session.user);
  });

  test('the same requests with each field once work (control)', async () => {
    const browser = new Browser();
    const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw', callbackUrl: '/a' });
    assert.equal(response.status, 200);
    const csrfToken = await browser.csrfToken(server.base);
    const email = await post(browser, '/signin/email', `csrfToken=${csrfToken}&email=a%40example.com&json=true`);
    assert.equal(email.status, 200);
    assert.equal((await browser.fetch(`${server.base}/signin?callbackUrl=%2Fa`)).status, 200);
  });
});
