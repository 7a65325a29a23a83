// Spotify: OAuth 2.0 authorization code; the profile from /v1/me.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile */
export interface SpotifyProfile extends Profile {
  id: string;
  display_name: string | null;
  email?: string;
  images?: Array<{ url: string }>;
}

/** `Spotify({ clientId, clientSecret })`; scope `user-read-email`. */
export default function Spotify<P extends SpotifyProfile = SpotifyProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'spotify',
      name: 'Spotify',
      type: 'oauth',
      authorization: { url: 'https://accounts.spotify.com/authorize', params: { scope: 'user-read-email' } },
      token: 'https://accounts.spotify.com/api/token',
      userinfo: 'https://api.spotify.com/v1/me',
      // Spotify documents PKCE for clients without a secret; confidential clients use state.
      checks: ['state'],
      profile: (profile) => ({ id: profile.id, name: profile.display_name, email: profile.email ?? null, image: profile.images?.[0]?.url ?? null }),
      style: { bg: '#000', text: '#fff' },
    },
    options,
  );
}
