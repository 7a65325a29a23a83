// ZITADEL: OpenID Connect from the issuer you pass; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

export interface ZitadelProfile extends Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  preferred_username?: string;
  nickname?: string;
}

/**
 * `Zitadel({ clientId, clientSecret, issuer: 'https://{instance}.zitadel.cloud' })`.
 * Discovery runs once per instance, on first use.
 */
export default function Zitadel<P extends ZitadelProfile = ZitadelProfile>(options: OAuthUserConfig<P> & { issuer: string }): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'zitadel',
      name: 'ZITADEL',
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
