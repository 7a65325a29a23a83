// The generic OpenID Connect provider: endpoints from the issuer's discovery document, ID token validated, nonce and PKCE on.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/**
 * `OIDC({ id: 'corp', name: 'Corp SSO', issuer: 'https://sso.example.com', clientId, clientSecret })`.
 * Discovery runs once per `createAuth` instance, on first use. The profile comes from the ID token's
 * claims (`{id: sub, name, email, image: picture}` unless `profile` is given); set `idToken: false` to
 * read the userinfo endpoint instead.
 */
export default function OIDC<P extends Profile = Profile>(options: OAuthUserConfig<P> & { issuer: string; id?: string; name?: string }): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'oidc',
      name: 'OpenID Connect',
      type: 'oidc',
      authorization: { params: { scope: 'openid profile email' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
    },
    options,
  );
}
