// authentik: OpenID Connect from the issuer you pass; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

export interface AuthentikProfile extends Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  preferred_username?: string;
  nickname?: string;
}

/**
 * `Authentik({ clientId, clientSecret, issuer: 'https://authentik.example.com/application/o/{slug}/' })`.
 * authentik's issuer ends in a slash; either spelling is accepted.
 * Discovery runs once per instance, on first use.
 */
export default function Authentik<P extends AuthentikProfile = AuthentikProfile>(options: OAuthUserConfig<P> & { issuer: string }): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'authentik',
      name: 'authentik',
      type: 'oidc',
      authorization: { params: { scope: 'openid email profile' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name ?? profile.preferred_username ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#fd4b2d', text: '#fff' },
    },
    options,
  );
}
