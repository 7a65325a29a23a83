// Google: OpenID Connect from https://accounts.google.com; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload */
export interface GoogleProfile extends Profile {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  picture: string;
  hd?: string;
}

/**
 * `Google({ clientId, clientSecret })`. For a refresh token add
 * `authorization: { params: { access_type: 'offline', prompt: 'consent' } }`.
 */
export default function Google<P extends GoogleProfile = GoogleProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'google',
      name: 'Google',
      type: 'oidc',
      issuer: 'https://accounts.google.com',
      authorization: { params: { scope: 'openid email profile' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name, email: profile.email, image: profile.picture }),
      style: { bg: '#fff', text: '#000' },
    },
    options,
  );
}
