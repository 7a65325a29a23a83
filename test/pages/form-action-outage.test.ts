// An IdP whose discovery fails: the sign-in page still answers, leaves the provider out of form-action, and does not ask the dead IdP again on every view (DISCOVERY_RETRY_MS), while its button still retries.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DISCOVERY_RETRY_MS } from '../../src/flows/oauth.js';
import OIDC from '../../src/providers/oidc.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

function formAction(response: Response): string[] {
  const directive = /(?:^|;\s*)form-action ([^;]*)/.exec(response.headers.get('content-security-policy') ?? '');
  assert.ok(directive, 'a form-action directive');
  return directive[1]!.trim().split(/\s+/);
}

describe('form-action while an IdP is down', () => {
  let idp: Server;
  let issuer: string;
  let app: TestServer;
  let healthy = false;
  let discoveries = 0;

  before(async () => {
    idp = createServer((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
      discoveries += 1;
      if (!healthy) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` }));
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const quiet = { warn: () => {}, error: () => {}, debug: () => {} };
    app = await startServer({ secret: SECRET, logger: quiet, providers: [OIDC({ id: 'idp', name: 'IdP', issuer, clientId: 'gatehouse', clientSecret: 'secret' })] });
  });
  after(async () => {
    await app.close();
    await new Promise((resolve) => idp.close(resolve));
  });

  test('the page answers without the provider; views within the window do not ask the IdP again; the button does; after the window the page asks again', async () => {
    const first = await new Browser().fetch(`${app.base}/signin`);
    assert.equal(first.status, 200);
    assert.ok(!formAction(first).includes(issuer), 'a provider without metadata adds nothing');
    assert.equal(discoveries, 1);

    for (let i = 0; i < 3; i += 1) assert.equal((await new Browser().fetch(`${app.base}/signin`)).status, 200);
    assert.equal(discoveries, 1, 'page views inside the window leave the dead IdP alone');

    const browser = new Browser();
    const csrfToken = await browser.csrfToken(app.base);
    const press = await browser.fetch(`${app.base}/signin/idp`, { method: 'POST', form: { csrfToken, callbackUrl: '/', json: 'true' } });
    const { url } = (await press.json()) as { url: string };
    assert.equal(new URL(url).searchParams.get('error'), 'OAuthSignin');
    assert.equal(discoveries, 2, 'the sign-in button retries discovery');

    healthy = true;
    await later(DISCOVERY_RETRY_MS - 1_000, async () => {
      await new Browser().fetch(`${app.base}/signin`);
      assert.equal(discoveries, 2, 'still inside the window (measured from the last failure)');
    });
    await later(DISCOVERY_RETRY_MS + 1_000, async () => {
      const back = await new Browser().fetch(`${app.base}/signin`);
      assert.ok(formAction(back).includes(issuer), 'listed again once discovery works');
    });
    assert.equal(discoveries, 3);
    await new Browser().fetch(`${app.base}/signin`);
    assert.equal(discoveries, 3, 'a success is cached as before');
  });
});
