// Auth0: OpenID Connect from the issuer you pass; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

export interface Auth0Profile extends Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  preferred_username?: string;
  nickname?: string;
}

/**
 * `Auth0({ clientId, clientSecret, issuer: 'https://{tenant}.auth0.com/' })`.
 * Auth0's issuer ends in a slash; either spelling is accepted.
 * Discovery runs once per instance, on first use. The name is v4's choice, `nickname` (then `name`).
 */
export default function Auth0<P extends Auth0Profile = Auth0Profile>(options: OAuthUserConfig<P> & { issuer: string }): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'auth0',
      name: 'Auth0',
      type: 'oidc',
      authorization: { params: { scope: 'openid email profile' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.nickname ?? profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#EB5424', text: '#fff' },
    },
    options,
  );
}
