// Twitch: OpenID Connect at https://id.twitch.tv/oauth2; email and picture asked for through the `claims` parameter.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/#requesting-claims */
export interface TwitchProfile extends Profile {
  sub: string;
  preferred_username: string;
  email?: string;
  picture?: string;
}

/** `Twitch({ clientId, clientSecret })`; scopes `openid user:read:email`. */
export default function Twitch<P extends TwitchProfile = TwitchProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'twitch',
      name: 'Twitch',
      type: 'oidc',
      issuer: 'https://id.twitch.tv/oauth2',
      authorization: {
        params: { scope: 'openid user:read:email', claims: JSON.stringify({ id_token: { email: null, picture: null, preferred_username: null } }) },
      },
      // Twitch takes client_id and client_secret in the token request body.
      client: { token_endpoint_auth_method: 'client_secret_post' },
      checks: ['state', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.preferred_username, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#65459B', text: '#fff' },
    },
    options,
  );
}
