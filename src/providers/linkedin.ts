// LinkedIn: "Sign In with LinkedIn using OpenID Connect"; the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2 */
export interface LinkedInProfile extends Profile {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
}

/**
 * `LinkedIn({ clientId, clientSecret })`; scopes `openid profile email`. v4's preset still called the
 * retired `/v2/me` and `emailAddress` APIs; this one is the OpenID Connect product LinkedIn replaced them with.
 */
export default function LinkedIn<P extends LinkedInProfile = LinkedInProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'linkedin',
      name: 'LinkedIn',
      type: 'oidc',
      issuer: 'https://www.linkedin.com/oauth',
      wellKnown: 'https://www.linkedin.com/oauth/.well-known/openid-configuration',
      authorization: { params: { scope: 'openid profile email' } },
      client: { token_endpoint_auth_method: 'client_secret_post' },
      checks: ['state'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#069', text: '#fff' },
    },
    options,
  );
}
