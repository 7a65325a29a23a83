// GitHub: OAuth 2.0 with PKCE; the profile from /user, the email from /user/emails when the public one is hidden.
import type { OAuthConfig, Profile } from '../types.js';
import { fetchOf, withUserOptions, type OAuthUserConfig, type UserinfoContext } from './oauth.js';

/** https://docs.github.com/en/rest/users/users#get-the-authenticated-user */
export interface GitHubProfile extends Profile {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  avatar_url: string;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * `GitHub({ clientId, clientSecret })`. Scopes `read:user user:email`. A user who keeps their email
 * private has `email: null` on /user; the primary verified address then comes from /user/emails
 * (v4 took the primary one even when unverified).
 */
export default function GitHub<P extends GitHubProfile = GitHubProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  const fetchImpl = fetchOf(options);
  return withUserOptions<P>(
    {
      id: 'github',
      name: 'GitHub',
      type: 'oauth',
      issuer: 'https://github.com/login/oauth',
      authorization: { url: 'https://github.com/login/oauth/authorize', params: { scope: 'read:user user:email' } },
      token: 'https://github.com/login/oauth/access_token',
      userinfo: {
        url: 'https://api.github.com/user',
        async request({ tokens, client }: UserinfoContext) {
          const profile = (await client.userinfo(tokens.access_token ?? '')) as GitHubProfile;
          if (!profile.email && tokens.access_token) {
            const response = await fetchImpl('https://api.github.com/user/emails', {
              headers: { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/vnd.github+json', 'User-Agent': 'gatehouse' },
            });
            if (response.ok) {
              const emails = (await response.json()) as GitHubEmail[];
              profile.email = (emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified))?.email ?? null;
            }
          }
          return profile;
        },
      },
      // PKCE since July 2025 (github.blog changelog 2025-07-14), S256 only.
      checks: ['state', 'pkce'],
      profile: (profile) => ({ id: String(profile.id), name: profile.name ?? profile.login, email: profile.email, image: profile.avatar_url }),
      style: { bg: '#24292f', text: '#fff' },
    },
    options,
  );
}
