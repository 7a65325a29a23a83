// Okta: OpenID Connect from the issuer you pass; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

export interface OktaProfile extends Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  preferred_username?: string;
  nickname?: string;
}

/**
 * `Okta({ clientId, clientSecret, issuer: 'https://{domain}.okta.com/oauth2/default, or the org server https://{domain}.okta.com' })`.
 * Discovery runs once per instance, on first use.
 */
export default function Okta<P extends OktaProfile = OktaProfile>(options: OAuthUserConfig<P> & { issuer: string }): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'okta',
      name: 'Okta',
      type: 'oidc',
      authorization: { params: { scope: 'openid email profile' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name ?? profile.preferred_username ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#000', text: '#fff' },
    },
    options,
  );
}
