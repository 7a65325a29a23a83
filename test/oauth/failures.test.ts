// An IdP that fails (stopped, erroring, answering HTML, hanging) gives the v4 error codes, no session, never a 500, and leaks nothing (advisory #6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OAuth from '../../src/providers/oauth.js';
import { startIdp } from './idp.js';
import { APP_ORIGIN, Browser, CLIENT_SECRET, authorizeAt, defaultClients, errorCode, idpProvider, rig, sessionOf, startSignIn, type Rig } from './setup.js';

const SLOW = { httpOptions: { timeout: 250 } };

async function expectCallbackError(rg: Rig, browser: Browser, callback: string, code = 'OAuthCallback') {
  const response = await browser.fetch(rg.local(callback));
  assert.equal(response.status, 302);
  const location = response.headers.get('location')!;
  assert.equal(errorCode(location), code);
  assert.ok(!/exploded|script|Maintenance|server_error/i.test(location), 'no IdP text in the redirect');
  assert.deepEqual(await sessionOf(rg, browser), {});
}

function assertNoSecrets(rg: Rig) {
  const everything = rg.logs.join('\n');
  assert.ok(!everything.includes(CLIENT_SECRET), 'the client secret is never logged');
  assert.ok(!/eyJ[\w-]{10,}\.[\w-]{10,}/.test(everything), 'no JWT or JWE is logged');
}

describe('IdP failures', () => {
  it('an IdP stopped mid-flow: the callback fails with OAuthCallback', async () => {
    const rg = await rig((issuer) => [idpProvider(issuer)]);
    try {
      const browser = new Browser();
      const { callback } = await authorizeAt(rg, browser, 'idp');
      await rg.idp.stop();
      await expectCallbackError(rg, browser, callback);
      assertNoSecrets(rg);
    } finally {
      await rg.app.close();
    }
  });

  it('discovery failing at sign-in gives OAuthSignin, and is retried once the IdP is back', async () => {
    const rg = await rig((issuer) => [idpProvider(issuer)]);
    try {
      await rg.idp.stop();
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(rg.base);
      const down = await browser.fetch(`${rg.base}/signin/idp`, { method: 'POST', form: { csrfToken, callbackUrl: '/', json: 'true' } });
      const { url } = (await down.json()) as { url: string };
      assert.equal(errorCode(url), 'OAuthSignin');
      assert.ok(!down.headers.getSetCookie().some((c) => c.startsWith('next-auth.state=')), 'no check cookies for a failed start');
      const back = await startIdp(defaultClients(), { port: rg.idp.port });
      try {
        const { url: again } = await startSignIn(rg, browser, 'idp');
        assert.ok(again.startsWith(`${back.issuer}/auth?`), 'the failure was not cached');
      } finally {
        await back.stop();
      }
      assertNoSecrets(rg);
    } finally {
      await rg.app.close();
    }
  });

  it('token endpoint errors, HTML answers and timeouts; userinfo errors and timeouts: OAuthCallback each, nothing leaked', async () => {
    const rg = await rig((issuer) => {
      const plain = (id: string, userinfo: string) =>
        OAuth({ id, name: id, issuer, clientId: 'gatehouse', clientSecret: CLIENT_SECRET, authorization: `${issuer}/auth?scope=api:read`, token: `${issuer}/token`, userinfo, ...SLOW });
      return [
        idpProvider(issuer, { id: 'token500', token: `${issuer}/broken/500` }),
        idpProvider(issuer, { id: 'tokenhtml', token: `${issuer}/broken/html` }),
        idpProvider(issuer, { id: 'tokenhang', token: `${issuer}/broken/hang`, ...SLOW }),
        plain('userinfo500', `${issuer}/broken/500`),
        plain('userinfohang', `${issuer}/broken/hang`),
      ];
    });
    try {
      for (const id of ['token500', 'tokenhtml', 'tokenhang', 'userinfo500', 'userinfohang']) {
        const browser = new Browser();
        const { callback } = await authorizeAt(rg, browser, id);
        await expectCallbackError(rg, browser, callback);
      }
      const reasons = rg.logs.filter((l) => l.startsWith('error OAUTH_CALLBACK_ERROR'));
      assert.equal(reasons.length, 5, 'each failure is logged with its cause');
      assert.match(reasons[0]!, /OAUTH_RESPONSE_IS_NOT_CONFORM/);
      assert.match(reasons[1]!, /OAUTH_RESPONSE_IS_NOT_JSON/);
      assert.match(reasons[2]!, /TimeoutError/);
      assert.match(reasons[3]!, /userinfo endpoint answered HTTP 500/);
      assert.match(reasons[4]!, /TimeoutError/);
      assertNoSecrets(rg);
    } finally {
      await rg.close();
    }
  });

  it('an IdP error on the callback never becomes a 500, whatever the method or extra fields', async () => {
    const rg = await rig((issuer) => [idpProvider(issuer)]);
    try {
      const browser = new Browser();
      for (const query of ['error=access_denied&error_description=%3Cscript%3E', 'error=', 'code=', 'state=x', '']) {
        const response = await browser.fetch(`${rg.base}/callback/idp?${query}`);
        assert.equal(response.status, 302, query);
        assert.ok(['Callback', 'OAuthCallback'].includes(errorCode(response.headers.get('location'))!), query);
      }
      const post = await browser.fetch(`${rg.base}/callback/idp`, { method: 'POST', form: { error: 'access_denied' } });
      assert.equal(post.status, 302);
      assert.equal(new URL(post.headers.get('location')!).origin, APP_ORIGIN);
    } finally {
      await rg.close();
    }
  });
});
