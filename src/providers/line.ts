// LINE Login v2.1: OpenID Connect at https://access.line.me; web-login ID tokens are HS256, MACed with the channel secret.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developers.line.biz/en/docs/line-login/verify-id-token/#payload */
export interface LineProfile extends Profile {
  sub: string;
  name?: string;
  picture?: string;
  email?: string;
}

/**
 * `LINE({ clientId: '<Channel ID>', clientSecret: '<Channel secret>' })`; scopes `openid profile` (add
 * `email` once the channel has that permission). The discovery document lists ES256, which LIFF and the
 * SDKs use; the web login flow signs with HS256, so that is the expected algorithm here.
 */
export default function LINE<P extends LineProfile = LineProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'line',
      name: 'LINE',
      type: 'oidc',
      issuer: 'https://access.line.me',
      authorization: { params: { scope: 'openid profile' } },
      // The token endpoint takes the channel secret in the body, not as HTTP Basic.
      client: { token_endpoint_auth_method: 'client_secret_post', id_token_signed_response_alg: 'HS256' },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#00C300', text: '#fff' },
    },
    options,
  );
}
