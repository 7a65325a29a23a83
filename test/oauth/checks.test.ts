// Every OAuth check fails closed: tampered, missing, swapped or replayed state/PKCE/nonce, forged codes, leaked URLs (advisories #9, #10, #12).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdpBrowser } from './idp.js';
import { APP_BASE, Browser, CLIENT_SECRET, OIDC, authorizeAt, errorCode, idpProvider, rig, sessionOf, startSignIn, type Rig } from './setup.js';

const CHECK_NAMES = ['next-auth.state', 'next-auth.pkce.code_verifier', 'next-auth.nonce'];

function withParam(url: string, key: string, value: string | null): string {
  const u = new URL(url);
  if (value === null) u.searchParams.delete(key);
  else u.searchParams.set(key, value);
  return u.href;
}

describe('OAuth checks fail closed', () => {
  let rg: Rig;
  before(async () => {
    rg = await rig((issuer) => [
      idpProvider(issuer),
      // A second provider on the same IdP with its own client: the target of the mix-up (advisory #12).
      OIDC({ id: 'other', name: 'Other', issuer, clientId: 'gatehouse-b', clientSecret: `${CLIENT_SECRET}-b` }),
    ]);
  });
  after(() => rg.close());

  /** The reason logged for the last refusal: the test fails for the reason it names, not another. */
  function lastReason(): string {
    return rg.logs.filter((line) => line.startsWith('error OAUTH_CALLBACK_ERROR')).at(-1) ?? '';
  }

  async function expectRefused(browser: Browser, url: string, code = 'OAuthCallback') {
    const response = await browser.fetch(rg.local(url));
    assert.equal(response.status, 302);
    assert.equal(errorCode(response.headers.get('location')), code);
    assert.ok(!response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=') && !/Max-Age=0/.test(c)), 'no session cookie');
    assert.deepEqual(await sessionOf(rg, browser), {});
    return response;
  }

  it('a tampered state is refused', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'idp');
    await expectRefused(browser, withParam(callback, 'state', 'attacker-chosen-state'));
    assert.match(lastReason(), /unexpected .{1,3}state.{1,3} response parameter value/);
  });

  it('state missing from the query is refused (advisory #9 d)', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'idp');
    await expectRefused(browser, withParam(callback, 'state', null));
    assert.match(lastReason(), /response parameter .{1,3}state.{1,3} missing/);
  });

  for (const name of CHECK_NAMES) {
    it(`a missing ${name} cookie is refused (advisory #9)`, async () => {
      const browser = new Browser();
      const { callback } = await authorizeAt(rg, browser, 'idp');
      browser.jar.delete(name);
      await expectRefused(browser, callback);
      assert.match(lastReason(), /"reason":"missing"/);
    });
  }

  it('the state of a different sign-in attempt is refused (advisory #9 e)', async () => {
    const browser = new Browser();
    const first = await authorizeAt(rg, browser, 'idp');
    const firstState = new URL(first.callback).searchParams.get('state')!;
    const second = await authorizeAt(rg, browser, 'idp');
    await expectRefused(browser, withParam(second.callback, 'state', firstState));
  });

  it('a nonce that does not match the ID token is refused', async () => {
    const browser = new Browser();
    await startSignIn(rg, browser, 'idp');
    const staleNonce = browser.jar.get('next-auth.nonce')!;
    const { callback } = await authorizeAt(rg, browser, 'idp');
    // state and PKCE belong to this attempt; the ID token carries this attempt's nonce, the cookie another's.
    browser.jar.set('next-auth.nonce', staleNonce);
    await expectRefused(browser, callback);
    assert.match(lastReason(), /unexpected ID Token .{1,3}nonce.{1,3} claim value/);
  });

  it('a PKCE verifier from another attempt is refused by the IdP', async () => {
    const browser = new Browser();
    await startSignIn(rg, browser, 'idp');
    const staleVerifier = browser.jar.get('next-auth.pkce.code_verifier')!;
    const { callback } = await authorizeAt(rg, browser, 'idp');
    browser.jar.set('next-auth.pkce.code_verifier', staleVerifier);
    await expectRefused(browser, callback);
    assert.match(lastReason(), /invalid_grant/);
  });

  it('a code issued without code_challenge does not pass with our verifier (advisory #9 f)', async () => {
    const browser = new Browser();
    const { url } = await startSignIn(rg, browser, 'idp');
    const stripped = withParam(withParam(url, 'code_challenge', null), 'code_challenge_method', null);
    const { location } = await new IdpBrowser().authorize(stripped, 'alice', `${APP_BASE}/callback/`);
    await expectRefused(browser, location!);
    assert.match(lastReason(), /invalid_grant/);
  });

  it('a forged code is refused', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'idp');
    await expectRefused(browser, withParam(callback, 'code', 'forged-code-0123456789'));
    assert.match(lastReason(), /invalid_grant/);
  });

  it('a callback URL replayed with the same cookies after success is refused', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'idp');
    const before = new Map(browser.jar);
    const ok = await browser.fetch(rg.local(callback));
    assert.equal(errorCode(ok.headers.get('location')), null);
    const replay = new Browser();
    for (const [k, v] of before) replay.jar.set(k, v);
    await expectRefused(replay, callback);
  });

  it('a leaked callback URL opened in another browser is refused', async () => {
    const victim = new Browser();
    const { callback } = await authorizeAt(rg, victim, 'idp');
    await expectRefused(new Browser(), callback);
    // The victim's own flow is unaffected.
    const own = await victim.fetch(rg.local(callback));
    assert.equal(errorCode(own.headers.get('location')), null);
  });

  it('check cookies minted for provider A fail at the callback of provider B (advisory #12)', async () => {
    const victim = new Browser();
    const { url } = await startSignIn(rg, victim, 'idp');
    const stateA = new URL(url).searchParams.get('state')!;
    // The attacker authorizes at B with the victim's state value (an IdP echoes any state).
    const attackerUrl = new URL(`${rg.idp.issuer}/auth`);
    attackerUrl.search = new URLSearchParams({
      client_id: 'gatehouse-b',
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: `${APP_BASE}/callback/other`,
      state: stateA,
      nonce: new URL(url).searchParams.get('nonce')!,
      code_challenge: new URL(url).searchParams.get('code_challenge')!,
      code_challenge_method: 'S256',
    }).toString();
    const { location } = await new IdpBrowser().authorize(attackerUrl.href, 'mallory', `${APP_BASE}/callback/`);
    assert.ok(location!.startsWith(`${APP_BASE}/callback/other?`));
    await expectRefused(victim, location!);
    assert.match(lastReason(), /"check":"state","reason":"provider"/);
  });

  it('a state cookie replayed as the session cookie is no session, and is cleared (advisory #10)', async () => {
    const browser = new Browser();
    await startSignIn(rg, browser, 'idp');
    for (const name of CHECK_NAMES) {
      const attacker = new Browser();
      attacker.jar.set('next-auth.session-token', browser.jar.get(name)!);
      const response = await attacker.fetch(`${rg.base}/session`);
      assert.deepEqual(await response.json(), {});
      assert.ok(response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=;') && /Max-Age=0/.test(c)));
    }
  });

  it('a session JWE used as the state cookie is refused (advisory #10, reverse)', async () => {
    const browser = new Browser();
    const first = await authorizeAt(rg, browser, 'idp');
    await browser.fetch(rg.local(first.callback));
    const sessionJwe = browser.jar.get('next-auth.session-token')!;
    const attempt = new Browser();
    const { callback } = await authorizeAt(rg, attempt, 'idp');
    attempt.jar.set('next-auth.state', sessionJwe);
    await expectRefused(attempt, callback);
    assert.match(lastReason(), /"check":"state","reason":"invalid"/);
  });

  it('no client secret, token or IdP error text appears in any log line or response (advisory #6)', () => {
    const everything = rg.logs.join('\n');
    assert.ok(!everything.includes(CLIENT_SECRET), 'client secret never logged');
    assert.ok(!/eyJ[\w-]{10,}\.[\w-]{10,}/.test(everything), 'no JWT or JWE logged');
  });
});
