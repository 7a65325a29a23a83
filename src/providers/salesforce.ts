// Salesforce: OAuth 2.0 web server flow with PKCE; the profile from /services/oauth2/userinfo.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm */
export interface SalesforceProfile extends Profile {
  user_id: string;
  name?: string;
  email?: string;
  picture?: string;
}

/**
 * `Salesforce({ clientId: '<consumer key>', clientSecret, issuer? })`. `issuer` picks the login host
 * (default `https://login.salesforce.com`; `https://test.salesforce.com` or a My Domain URL). Scopes
 * come from the connected app. Salesforce recommends PKCE with this flow (v4 turned every check off).
 */
export default function Salesforce<P extends SalesforceProfile = SalesforceProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  const host = (options.issuer ?? 'https://login.salesforce.com').replace(/\/$/, '');
  return withUserOptions<P>(
    {
      id: 'salesforce',
      name: 'Salesforce',
      type: 'oauth',
      issuer: host,
      authorization: { url: `${host}/services/oauth2/authorize`, params: { display: 'page' } },
      token: `${host}/services/oauth2/token`,
      userinfo: `${host}/services/oauth2/userinfo`,
      idToken: false,
      checks: ['state', 'pkce'],
      profile: (profile) => ({ id: profile.user_id, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#00a1e0', text: '#fff' },
    },
    { ...options, issuer: host },
  );
}
