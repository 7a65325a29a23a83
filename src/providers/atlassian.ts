// Atlassian (Jira, Confluence): OAuth 2.0 (3LO); the profile from api.atlassian.com/me.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/ */
export interface AtlassianProfile extends Profile {
  account_id: string;
  name?: string;
  email?: string;
  picture?: string;
}

/**
 * `Atlassian({ clientId, clientSecret })`; scope `read:me` (the User Identity API, needed for /me;
 * v4 set no scope and the request failed without one). Add product scopes and `offline_access` as needed.
 */
export default function Atlassian<P extends AtlassianProfile = AtlassianProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'atlassian',
      name: 'Atlassian',
      type: 'oauth',
      authorization: { url: 'https://auth.atlassian.com/authorize', params: { audience: 'api.atlassian.com', prompt: 'consent', scope: 'read:me' } },
      token: 'https://auth.atlassian.com/oauth/token',
      // The token request carries client_id and client_secret in the body (3LO guide).
      client: { token_endpoint_auth_method: 'client_secret_post' },
      userinfo: 'https://api.atlassian.com/me',
      checks: ['state'],
      profile: (profile) => ({ id: profile.account_id, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#fff', text: '#0052cc' },
    },
    options,
  );
}
