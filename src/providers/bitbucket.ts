// Bitbucket Cloud: OAuth 2.0; the profile from /2.0/user, the email from /2.0/user/emails (primary and confirmed).
import type { OAuthConfig, Profile } from '../types.js';
import { fetchOf, withUserOptions, type OAuthUserConfig, type UserinfoContext } from './oauth.js';

/** https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-get */
export interface BitbucketProfile extends Profile {
  uuid: string;
  account_id?: string;
  display_name?: string;
  username?: string;
  links?: { avatar?: { href?: string } };
  email?: string | null;
}

interface BitbucketEmails {
  values?: Array<{ email: string; is_primary: boolean; is_confirmed: boolean }>;
}

/** `Bitbucket({ clientId: '<consumer key>', clientSecret: '<consumer secret>' })`; scopes `account email`. */
export default function Bitbucket<P extends BitbucketProfile = BitbucketProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  const fetchImpl = fetchOf(options);
  return withUserOptions<P>(
    {
      id: 'bitbucket',
      name: 'Bitbucket',
      type: 'oauth',
      authorization: { url: 'https://bitbucket.org/site/oauth2/authorize', params: { scope: 'account email' } },
      token: 'https://bitbucket.org/site/oauth2/access_token',
      userinfo: {
        url: 'https://api.bitbucket.org/2.0/user',
        async request({ tokens, client }: UserinfoContext) {
          const profile = (await client.userinfo(tokens.access_token ?? '')) as BitbucketProfile;
          const response = await fetchImpl('https://api.bitbucket.org/2.0/user/emails', { headers: { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/json' } });
          if (response.ok) {
            const emails = (await response.json()) as BitbucketEmails;
            profile.email = emails.values?.find((e) => e.is_primary && e.is_confirmed)?.email ?? null;
          }
          return profile;
        },
      },
      checks: ['state'],
      profile: (profile) => ({ id: profile.uuid, name: profile.display_name ?? profile.username ?? null, email: profile.email ?? null, image: profile.links?.avatar?.href ?? null }),
      style: { bg: '#205081', text: '#fff' },
    },
    options,
  );
}
