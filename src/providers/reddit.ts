// Reddit: OAuth 2.0 (HTTP Basic at the token endpoint); the profile from oauth.reddit.com/api/v1/me.
import type { OAuthConfig, Profile } from '../types.js';
import { fetchOf, withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://www.reddit.com/dev/api#GET_api_v1_me */
export interface RedditProfile extends Profile {
  id: string;
  name: string;
  icon_img?: string;
}

/**
 * `Reddit({ clientId, clientSecret })`; scope `identity`. Add `authorization: { params: { duration:
 * 'permanent' } }` for a refresh token. Reddit refuses generic user agents, so requests carry
 * `User-Agent: gatehouse` unless the `fetch` you pass sets one.
 */
export default function Reddit<P extends RedditProfile = RedditProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  const base = fetchOf(options);
  const withAgent = (input: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', 'gatehouse');
    return base(input, { ...init, headers });
  };
  return withUserOptions<P>(
    {
      id: 'reddit',
      name: 'Reddit',
      type: 'oauth',
      authorization: { url: 'https://www.reddit.com/api/v1/authorize', params: { scope: 'identity' } },
      token: 'https://www.reddit.com/api/v1/access_token',
      userinfo: 'https://oauth.reddit.com/api/v1/me',
      checks: ['state'],
      // `icon_img` comes HTML-escaped (`&amp;`) in Reddit's JSON.
      profile: (profile) => ({ id: profile.id, name: profile.name, email: null, image: profile.icon_img ? profile.icon_img.replace(/&amp;/g, '&') : null }),
      style: { bg: '#FF4500', text: '#fff' },
    },
    { ...options, fetch: withAgent },
  );
}
