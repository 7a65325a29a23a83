// Dropbox: OAuth 2.0 with PKCE and offline access; the profile from users/get_current_account (a POST without body).
import type { OAuthConfig, Profile } from '../types.js';
import { fetchOf, withUserOptions, type OAuthUserConfig, type UserinfoContext } from './oauth.js';

/** https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account */
export interface DropboxProfile extends Profile {
  account_id: string;
  /** Dropbox's `name` is an object, `{ display_name, given_name, surname, … }`. */
  name?: never;
  email?: string;
  email_verified?: boolean;
  profile_photo_url?: string;
}

/** `Dropbox({ clientId: '<App key>', clientSecret: '<App secret>' })`; scope `account_info.read`, `token_access_type=offline`. */
export default function Dropbox<P extends DropboxProfile = DropboxProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  const fetchImpl = fetchOf(options);
  return withUserOptions<P>(
    {
      id: 'dropbox',
      name: 'Dropbox',
      type: 'oauth',
      authorization: { url: 'https://www.dropbox.com/oauth2/authorize', params: { token_access_type: 'offline', scope: 'account_info.read' } },
      token: 'https://api.dropboxapi.com/oauth2/token',
      userinfo: {
        url: 'https://api.dropboxapi.com/2/users/get_current_account',
        // An RPC endpoint: POST, no body, no Content-Type (v4 sent a GET, which Dropbox rejects).
        async request({ tokens }: UserinfoContext) {
          const response = await fetchImpl('https://api.dropboxapi.com/2/users/get_current_account', { method: 'POST', headers: { Authorization: `Bearer ${tokens.access_token}` } });
          if (!response.ok) throw new TypeError(`Dropbox get_current_account answered HTTP ${response.status}`);
          return (await response.json()) as Profile;
        },
      },
      checks: ['state', 'pkce'],
      profile: (profile) => ({ id: profile.account_id, name: (profile['name'] as { display_name?: string } | undefined)?.display_name ?? null, email: profile.email ?? null, image: profile.profile_photo_url ?? null }),
      style: { bg: '#0061FE', text: '#fff' },
    },
    options,
  );
}
