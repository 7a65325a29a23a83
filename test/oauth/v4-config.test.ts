// next-auth v4 provider configs read unchanged: v4's own Keycloak factory output, and a hand-written v4 provider with request hooks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { peerRequire } from '../helpers/peers.js';
import type { OAuthConfig } from '../../src/types.js';
import { Browser, CLIENT_SECRET, authorizeAt, errorCode, rig, sessionOf, type Rig } from './setup.js';

type V4Factory = (options: Record<string, unknown>) => OAuthConfig;

describe('v4 provider configs, unchanged', () => {
  let rg: Rig;
  const hookCalls: string[] = [];
  before(async () => {
    const Keycloak = peerRequire<{ default: V4Factory }>('next-auth/providers/keycloak').default;
    rg = await rig((issuer) => [
      // What `KeycloakProvider({clientId, clientSecret, issuer})` returns in next-auth 4.24.15, renamed to a registered callback id.
      Keycloak({ id: 'idp', clientId: 'gatehouse', clientSecret: CLIENT_SECRET, issuer }),
      // A custom v4 provider: string endpoints with query params, `userinfo.request` calling openid-client's `client.userinfo`.
      {
        id: 'plain',
        name: 'Custom v4',
        type: 'oauth',
        issuer,
        authorization: `${issuer}/auth?scope=api%3Aread`,
        token: `${issuer}/token`,
        userinfo: {
          url: `${issuer}/api/user`,
          async request({ client, tokens }: { client: { userinfo(token: string): Promise<Record<string, unknown>> }; tokens: { access_token: string } }) {
            hookCalls.push('userinfo.request');
            return client.userinfo(tokens.access_token);
          },
        },
        checks: ['pkce', 'state'],
        clientId: 'gatehouse',
        clientSecret: CLIENT_SECRET,
        profile: (p: Record<string, unknown>) => ({ id: String(p.id), name: String(p.login), email: p.email as string, image: null }),
      } as OAuthConfig,
    ]);
  });
  after(() => rg.close());

  it("v4's own KeycloakProvider object signs in against a real OpenID Provider", async () => {
    const browser = new Browser();
    const { authorizationUrl, callback } = await authorizeAt(rg, browser, 'idp', 'vera');
    const params = new URL(authorizationUrl).searchParams;
    assert.equal(params.get('scope'), 'openid email profile');
    assert.equal(params.get('code_challenge_method'), 'S256', "v4's checks: pkce and state");
    assert.equal(params.get('nonce'), null);
    const done = await browser.fetch(rg.local(callback));
    assert.equal(errorCode(done.headers.get('location')), null);
    const session = (await sessionOf(rg, browser)) as { user?: { email?: string; name?: string } };
    assert.equal(session.user?.email, 'vera@example.com');
  });

  it('a hand-written v4 provider with a userinfo.request hook and client.userinfo', async () => {
    const browser = new Browser();
    const { authorizationUrl, callback } = await authorizeAt(rg, browser, 'plain', 'walt');
    assert.equal(new URL(authorizationUrl).searchParams.get('scope'), 'api:read');
    const done = await browser.fetch(rg.local(callback));
    assert.equal(errorCode(done.headers.get('location')), null);
    assert.deepEqual(hookCalls, ['userinfo.request']);
    const session = (await sessionOf(rg, browser)) as { user?: { email?: string; name?: string } };
    assert.deepEqual(session.user, { name: 'walt', email: 'walt@example.com', image: null });
  });
});
