// OAuth misconfiguration is a TypeError at createAuth naming the option, not a failure on the first sign-in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAuth } from '../../src/index.js';
import OAuth from '../../src/providers/oauth.js';
import OIDC from '../../src/providers/oidc.js';
import Okta from '../../src/providers/okta.js';
import type { Provider } from '../../src/types.js';
import { SECRET } from '../helpers/server.js';

const make = (provider: Provider) => () => createAuth({ secret: SECRET, url: 'https://app.example.com/api/auth', providers: [provider] });

describe('OAuth provider validation at createAuth', () => {
  it('a missing client id', () => {
    assert.throws(make(OIDC({ issuer: 'https://idp.example.com', clientId: '' })), /`clientId` is missing/);
  });

  it('an OAuth 2.0 provider with neither endpoints nor an issuer to discover', () => {
    assert.throws(make(OAuth({ id: 'x', clientId: 'a', clientSecret: 'b' })), /`authorization \/ token` is missing/);
    assert.throws(make(Okta({ clientId: 'a', clientSecret: 'b', issuer: undefined as unknown as string })), /`authorization \/ token` is missing. Set `issuer`/);
  });

  it('a public client without PKCE', () => {
    assert.throws(make(OAuth({ id: 'x', clientId: 'a', authorization: 'https://idp.example.com/a', token: 'https://idp.example.com/t', checks: ['state'] })), /lacks "pkce"/);
  });

  it('a confidential method without a secret', () => {
    assert.throws(make(OIDC({ issuer: 'https://idp.example.com', clientId: 'a', client: { token_endpoint_auth_method: 'client_secret_post' } })), /`clientSecret` is missing/);
  });

  it('an unknown check', () => {
    assert.throws(make(OIDC({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 'b', checks: ['state', 'magic' as 'state'] })), /`checks` contains "magic"/);
  });

  it('plain http off loopback needs dangerouslyAllowInsecureHttp; loopback does not', () => {
    assert.throws(make(OIDC({ issuer: 'http://keycloak:8080/realms/x', clientId: 'a', clientSecret: 'b' })), /plain http \(keycloak:8080\).*dangerouslyAllowInsecureHttp/);
    const warnings: string[] = [];
    createAuth({
      secret: SECRET,
      url: 'https://app.example.com/api/auth',
      logger: { warn: (code) => warnings.push(code) },
      providers: [OIDC({ issuer: 'http://keycloak:8080/realms/x', clientId: 'a', clientSecret: 'b', dangerouslyAllowInsecureHttp: true })],
    });
    assert.ok(warnings.includes('OAUTH_INSECURE_HTTP'), 'the opt-out is loud');
    assert.doesNotThrow(make(OIDC({ issuer: 'http://127.0.0.1:9999', clientId: 'a', clientSecret: 'b' })));
  });

  it('a nonce check on a provider that is not OpenID Connect', () => {
    assert.throws(
      make(OAuth({ id: 'x', clientId: 'a', clientSecret: 'b', authorization: 'https://idp.example.com/a', token: 'https://idp.example.com/t', checks: ['state', 'nonce'] })),
      /contains "nonce" but the provider is not OpenID Connect/,
    );
  });

  it('an OpenID Connect provider without discovery needs its issuer and keys', () => {
    const endpoints = { authorization: 'https://idp.example.com/a', token: 'https://idp.example.com/t' };
    assert.throws(make(OAuth({ id: 'x', clientId: 'a', clientSecret: 'b', idToken: true, ...endpoints })), /`issuer` is missing/);
    assert.throws(make(OAuth({ id: 'x', clientId: 'a', clientSecret: 'b', idToken: true, issuer: 'https://idp.example.com', ...endpoints })), /`jwks_endpoint` is missing/);
    assert.doesNotThrow(make(OAuth({ id: 'x', clientId: 'a', clientSecret: 'b', idToken: true, issuer: 'https://idp.example.com', jwks_endpoint: 'https://idp.example.com/keys', ...endpoints })));
  });

  it('OAuth 1.0a configs are refused with a pointer to OAuth 2.0', () => {
    assert.throws(make({ id: 'legacy', name: 'Legacy', type: 'oauth', version: '1.0A', clientId: 'a', clientSecret: 'b', authorization: 'https://x.example/a', token: 'https://x.example/t' }), /OAuth 1.0a/);
  });
});
