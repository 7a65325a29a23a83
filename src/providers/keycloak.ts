// Keycloak: OpenID Connect from the issuer you pass; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

export interface KeycloakProfile extends Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  preferred_username?: string;
  nickname?: string;
}

/**
 * `Keycloak({ clientId, clientSecret, issuer: 'https://{host}/realms/{realm}' })`.
 * Discovery runs once per instance, on first use.
 */
export default function Keycloak<P extends KeycloakProfile = KeycloakProfile>(options: OAuthUserConfig<P> & { issuer: string }): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'keycloak',
      name: 'Keycloak',
      type: 'oidc',
      authorization: { params: { scope: 'openid email profile' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name ?? profile.preferred_username ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#fff', text: '#000' },
    },
    options,
  );
}
