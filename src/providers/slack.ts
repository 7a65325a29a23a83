// Slack: "Sign in with Slack" (OpenID Connect at https://slack.com); the profile is the ID token's claims.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://docs.slack.dev/authentication/sign-in-with-slack */
export interface SlackProfile extends Profile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  'https://slack.com/team_id'?: string;
}

/** `Slack({ clientId, clientSecret })`; scopes `openid profile email`. */
export default function Slack<P extends SlackProfile = SlackProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'slack',
      name: 'Slack',
      type: 'oidc',
      issuer: 'https://slack.com',
      authorization: { params: { scope: 'openid profile email' } },
      // Slack's discovery document lists no PKCE methods; state and nonce it supports.
      checks: ['state', 'nonce'],
      idToken: true,
      profile: (profile) => ({ id: profile.sub, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null }),
      style: { bg: '#000', text: '#fff' },
    },
    options,
  );
}
