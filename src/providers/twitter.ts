// X (Twitter): OAuth 2.0 authorization code with PKCE; the profile from /2/users/me. OAuth 1.0a is not supported.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://docs.x.com/x-api/users/get-my-user */
export interface TwitterProfile extends Profile {
  data: { id: string; name: string; username: string; profile_image_url?: string };
}

/**
 * `Twitter({ clientId, clientSecret, version: '2.0' })` (v4's option; `'2.0'` is the default here).
 * Scopes `users.read tweet.read offline.access`. X returns no email, so `email` is null.
 */
export default function Twitter<P extends TwitterProfile = TwitterProfile>(options: OAuthUserConfig<P> & { version?: string }): OAuthConfig<P> {
  if (options.version !== undefined && options.version !== '2.0') {
    throw new TypeError(`gatehouse: Twitter \`version\` is "${options.version}". Only OAuth 2.0 is supported: create an OAuth 2.0 client in the X developer console and pass version "2.0" (or leave it out).`);
  }
  return withUserOptions<P>(
    {
      id: 'twitter',
      name: 'Twitter',
      type: 'oauth',
      authorization: { url: 'https://x.com/i/oauth2/authorize', params: { scope: 'users.read tweet.read offline.access' } },
      // Confidential clients authenticate with HTTP Basic (X docs, "Confidential clients").
      token: 'https://api.x.com/2/oauth2/token',
      userinfo: { url: 'https://api.x.com/2/users/me', params: { 'user.fields': 'profile_image_url' } },
      checks: ['state', 'pkce'],
      profile: ({ data }) => ({ id: data.id, name: data.name, email: null, image: data.profile_image_url ?? null }),
      style: { bg: '#000', text: '#fff' },
    },
    options,
  );
}
