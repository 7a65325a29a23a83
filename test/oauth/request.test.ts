// The authorization request and its variants: parameter passthrough and protection, forged hosts, form_post, plain OAuth 2.0, public clients.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OAuth from '../../src/providers/oauth.js';
import { IdpBrowser } from './idp.js';
import { APP_BASE, APP_ORIGIN, Browser, CLIENT_SECRET, OIDC, authorizeAt, errorCode, idpProvider, rig, sessionOf, startSignIn, type Rig } from './setup.js';

/** A raw HTTP request, so Host can be forged (fetch does not let a caller set it). */
function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('authorization request', () => {
  let rg: Rig;
  before(async () => {
    rg = await rig((issuer) => [
      idpProvider(issuer, { authorization: { params: { prompt: 'consent', ui_locales: 'de' } } }),
      OIDC({ id: 'formpost', name: 'Form post', issuer, clientId: 'gatehouse', clientSecret: CLIENT_SECRET, authorization: { params: { response_mode: 'form_post' } } }),
      OAuth({
        id: 'plain',
        name: 'Plain OAuth 2.0',
        issuer,
        clientId: 'gatehouse',
        clientSecret: CLIENT_SECRET,
        authorization: { url: `${issuer}/auth`, params: { scope: 'api:read' } },
        token: `${issuer}/token`,
        userinfo: `${issuer}/api/user`,
        profile: (p: Record<string, unknown>) => ({ id: String(p.id), name: (p.name as string | null) ?? (p.login as string), email: p.email as string, image: p.avatar_url as string }),
      }),
      OIDC({ id: 'public', name: 'Public client', issuer, clientId: 'gatehouse-public', client: { token_endpoint_auth_method: 'none' } }),
      idpProvider(issuer, { id: 'viauserinfo', idToken: false }),
    ]);
  });
  after(() => rg.close());

  it('the query of POST signin reaches the authorization URL over authorization.params', async () => {
    const { url } = await startSignIn(rg, new Browser(), 'idp', { query: '?prompt=login&login_hint=bob%40example.com&max_age=0' });
    const params = new URL(url).searchParams;
    assert.equal(params.get('prompt'), 'login', 'the caller wins over the provider default');
    assert.equal(params.get('login_hint'), 'bob@example.com');
    assert.equal(params.get('ui_locales'), 'de', 'provider params stay');
    assert.equal(params.get('scope'), 'openid profile email');
  });

  it('login_hint actually reaches the IdP (its login form is pre-filled)', async () => {
    const { url } = await startSignIn(rg, new Browser(), 'idp', { query: '?login_hint=bob' });
    const idp = new IdpBrowser();
    const first = await idp.fetch(url);
    const page = await idp.fetch(new URL(first.headers.get('location')!, url).href);
    assert.match(await page.text(), /name="login"[^>]*value="bob"/);
  });

  it('protected parameters cannot be overridden from the query', async () => {
    const browser = new Browser();
    const evil = new URLSearchParams({
      state: 'evil',
      nonce: 'evil',
      code_challenge: 'evil',
      code_challenge_method: 'plain',
      redirect_uri: 'https://evil.example/cb',
      client_id: 'someone-else',
      response_type: 'token',
      request_uri: 'https://evil.example/req',
      request: 'eyJhbGciOiJub25lIn0.e30.',
    });
    const { url } = await startSignIn(rg, browser, 'idp', { query: `?${evil}` });
    const params = new URL(url).searchParams;
    for (const key of evil.keys()) assert.equal(params.getAll(key).length <= 1, true, `${key} appears once at most`);
    assert.notEqual(params.get('state'), 'evil');
    assert.notEqual(params.get('nonce'), 'evil');
    assert.notEqual(params.get('code_challenge'), 'evil');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('redirect_uri'), `${APP_BASE}/callback/idp`);
    assert.equal(params.get('client_id'), 'gatehouse');
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('request_uri'), null);
    assert.equal(params.get('request'), null);
    // And the flow still completes with the real values.
    const { location } = await new IdpBrowser().authorize(url, 'alice', `${APP_BASE}/callback/`);
    const done = await browser.fetch(rg.local(location!));
    assert.equal(errorCode(done.headers.get('location')), null);
  });

  it('a forged Host / X-Forwarded-Host never changes redirect_uri (advisory #16)', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(rg.base);
    const body = new URLSearchParams({ csrfToken, callbackUrl: 'https://evil.example/x', json: 'true' }).toString();
    const { status, body: answer } = await rawPost(
      `${rg.base}/signin/idp`,
      {
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: browser.cookieHeader(),
      },
      body,
    );
    assert.equal(status, 200);
    const url = new URL((JSON.parse(answer) as { url: string }).url);
    assert.equal(url.searchParams.get('redirect_uri'), `${APP_BASE}/callback/idp`);
    assert.ok(!answer.includes('evil.example'));
  });

  it('form_post: the cross-site POST is re-submitted same-site, then signs in on the callbackUrl', async () => {
    const browser = new Browser();
    const { formPost } = await authorizeAt(rg, browser, 'formpost', 'carol', { callbackUrl: '/after-apple' });
    assert.ok(formPost, 'the IdP answered with a self-submitting form');
    assert.equal(formPost.action, `${APP_BASE}/callback/formpost`);
    assert.ok(formPost.fields.code && formPost.fields.state);
    // 1. The IdP's page POSTs cross-site: SameSite=Lax cookies stay behind.
    const crossSite = await new Browser().fetch(rg.local(formPost.action), { method: 'POST', form: formPost.fields });
    assert.equal(crossSite.status, 200);
    const page = await crossSite.text();
    assert.match(page, /<form method="post" action="http:\/\/app\.test\/api\/auth\/callback\/formpost">/);
    const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    assert.equal(fields.code, formPost.fields.code);
    assert.equal(fields.gatehouse_repost, '1');
    assert.deepEqual(crossSite.headers.getSetCookie(), [], 'the re-post page changes no cookie');
    // 2. Our page re-submits from our origin: now the cookies come along.
    const sameSite = await browser.fetch(rg.local(formPost.action), { method: 'POST', form: fields });
    assert.equal(sameSite.status, 302);
    assert.equal(sameSite.headers.get('location'), `${APP_ORIGIN}/after-apple`);
    const session = (await sessionOf(rg, browser)) as { user?: { email?: string } };
    assert.equal(session.user?.email, 'carol@example.com');
  });

  it("form_post under the cross-site POST refusal (issue 13 item 8): the IdP's cross-site POST still gets the re-post page, whose one script the CSP allows; the same-site re-post signs in", async () => {
    const browser = new Browser();
    const { formPost } = await authorizeAt(rg, browser, 'formpost', 'carol', { callbackUrl: '/after-apple' });
    const crossSite = await new Browser().fetch(rg.local(formPost!.action), { method: 'POST', headers: { origin: 'https://appleid.apple.com', 'sec-fetch-site': 'cross-site' }, form: formPost!.fields });
    assert.equal(crossSite.status, 200);
    const page = await crossSite.text();
    const script = /<script>([^<]*)<\/script>/.exec(page)?.[1];
    assert.equal(script, 'document.forms[0].submit()');
    const { createHash } = await import('node:crypto');
    const csp = crossSite.headers.get('content-security-policy') ?? '';
    assert.ok(csp.includes(`script-src 'sha256-${createHash('sha256').update(script!).digest('base64')}'`), csp);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(crossSite.headers.get('cache-control'), 'no-store');
    const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    const sameSite = await browser.fetch(rg.local(formPost!.action), { method: 'POST', headers: { origin: APP_ORIGIN, 'sec-fetch-site': 'same-origin' }, form: fields });
    assert.equal(sameSite.status, 302);
    assert.equal(sameSite.headers.get('location'), `${APP_ORIGIN}/after-apple`);
  });

  it('a cross-site POST to the callback of a provider without form_post is refused (403)', async () => {
    const response = await new Browser().fetch(rg.local(`${APP_BASE}/callback/idp`), { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' }, form: { code: 'x', state: 'y' } });
    assert.equal(response.status, 403);
    await response.arrayBuffer();
  });

  it('form_post: a re-posted response without cookies fails like any other', async () => {
    const browser = new Browser();
    const { formPost } = await authorizeAt(rg, browser, 'formpost', 'carol');
    const response = await new Browser().fetch(rg.local(formPost!.action), { method: 'POST', form: { ...formPost!.fields, gatehouse_repost: '1' } });
    assert.equal(errorCode(response.headers.get('location')), 'OAuthCallback');
  });

  it('plain OAuth 2.0 against the same server: no ID token, profile from a userinfo resource', async () => {
    const browser = new Browser();
    const meBefore = rg.idp.meRequests;
    const { authorizationUrl, callback } = await authorizeAt(rg, browser, 'plain', 'dave');
    assert.equal(new URL(authorizationUrl).searchParams.get('nonce'), null, 'no nonce without OpenID Connect');
    assert.equal(new URL(authorizationUrl).searchParams.get('scope'), 'api:read');
    const response = await browser.fetch(rg.local(callback));
    assert.equal(errorCode(response.headers.get('location')), null);
    assert.equal(rg.idp.meRequests, meBefore + 1);
    const session = (await sessionOf(rg, browser)) as { user?: Record<string, unknown> };
    assert.deepEqual(session.user, { name: 'dave', email: 'dave@example.com', image: 'https://img.example.com/a.png' });
  });

  it('a public client (no secret, token_endpoint_auth_method none) signs in with PKCE', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'public', 'erin');
    const response = await browser.fetch(rg.local(callback));
    assert.equal(errorCode(response.headers.get('location')), null);
    const last = rg.idp.tokenRequests.at(-1)!;
    assert.equal(last.get('client_id'), 'gatehouse-public');
    assert.equal(last.get('client_secret'), null);
    assert.ok(last.get('code_verifier'));
  });

  it('OIDC with idToken: false: the ID token is still validated, the profile comes from userinfo (same sub)', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'viauserinfo', 'fay');
    const response = await browser.fetch(rg.local(callback));
    assert.equal(errorCode(response.headers.get('location')), null);
    const session = (await sessionOf(rg, browser)) as { user?: Record<string, unknown> };
    assert.equal(session.user?.email, 'fay@example.com');
  });

  it('the ID token signature is checked against the IdP keys', () => {
    assert.ok(rg.idp.jwksRequests >= 1);
  });
});
