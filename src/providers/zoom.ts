// Zoom: OAuth 2.0 with PKCE; the profile from api.zoom.us/v2/users/me.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId} */
export interface ZoomProfile extends Profile {
  id: string;
  first_name?: string;
  last_name?: string;
  display_name?: string;
  email?: string;
  pic_url?: string;
}

/**
 * `Zoom({ clientId, clientSecret })`. Zoom grants the scopes configured on the app (granular
 * `user:read:user`, or classic `user:read`), so no `scope` is sent; add one to narrow it.
 */
export default function Zoom<P extends ZoomProfile = ZoomProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'zoom',
      name: 'Zoom',
      type: 'oauth',
      authorization: 'https://zoom.us/oauth/authorize',
      token: 'https://zoom.us/oauth/token',
      userinfo: 'https://api.zoom.us/v2/users/me',
      checks: ['state', 'pkce'],
      profile: (profile) => ({
        id: profile.id,
        name: profile.display_name ?? ([profile.first_name, profile.last_name].filter(Boolean).join(' ') || null),
        email: profile.email ?? null,
        image: profile.pic_url ?? null,
      }),
      style: { bg: '#0b5cff', text: '#fff' },
    },
    options,
  );
}
