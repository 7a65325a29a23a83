// Facebook Login: OAuth 2.0 against a pinned Graph API version; the profile from /me with the fields asked for.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developers.facebook.com/docs/graph-api/reference/user */
export interface FacebookProfile extends Profile {
  id: string;
  name?: string;
  email?: string;
  picture?: { data?: { url?: string } };
}

/**
 * The Graph API version the endpoints name (the manual login flow guide pins one; a version stays
 * available about two years after its release). Override `authorization`/`token`/`userinfo` to move on.
 */
export const FACEBOOK_GRAPH_VERSION = 'v26.0';

/** `Facebook({ clientId: '<App ID>', clientSecret: '<App secret>' })`; permission `email`. */
export default function Facebook<P extends FacebookProfile = FacebookProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  const v = FACEBOOK_GRAPH_VERSION;
  return withUserOptions<P>(
    {
      id: 'facebook',
      name: 'Facebook',
      type: 'oauth',
      authorization: { url: `https://www.facebook.com/${v}/dialog/oauth`, params: { scope: 'email' } },
      // The code exchange takes client_id and client_secret as parameters (manual flow guide).
      token: `https://graph.facebook.com/${v}/oauth/access_token`,
      client: { token_endpoint_auth_method: 'client_secret_post' },
      userinfo: { url: `https://graph.facebook.com/${v}/me`, params: { fields: 'id,name,email,picture' } },
      checks: ['state'],
      profile: (profile) => ({ id: profile.id, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture?.data?.url ?? null }),
      style: { bg: '#006aff', text: '#fff' },
    },
    options,
  );
}
