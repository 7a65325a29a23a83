// GitLab: OAuth 2.0 with PKCE against gitlab.com (override the URLs for a self-managed instance).
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://docs.gitlab.com/api/users/#for-normal-users-1 */
export interface GitLabProfile extends Profile {
  id: number;
  username: string;
  name: string;
  email: string;
  avatar_url: string;
}

/** `GitLab({ clientId, clientSecret })`; scope `read_user` (GET /api/v4/user). */
export default function GitLab<P extends GitLabProfile = GitLabProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'gitlab',
      name: 'GitLab',
      type: 'oauth',
      authorization: { url: 'https://gitlab.com/oauth/authorize', params: { scope: 'read_user' } },
      token: 'https://gitlab.com/oauth/token',
      userinfo: 'https://gitlab.com/api/v4/user',
      checks: ['state', 'pkce'],
      profile: (profile) => ({ id: String(profile.id), name: profile.name ?? profile.username, email: profile.email, image: profile.avatar_url }),
      style: { bg: '#FC6D26', text: '#fff' },
    },
    options,
  );
}
