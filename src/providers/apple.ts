// Sign in with Apple: OpenID Connect with response_mode=form_post; the name arrives once, in the POSTed `user` field.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developer.apple.com/documentation/signinwithapple/authenticating-users-with-sign-in-with-apple */
export interface AppleProfile extends Profile {
  sub: string;
  email?: string;
  email_verified?: boolean | 'true' | 'false';
  is_private_email?: boolean | 'true' | 'false';
  /** The form_post `user` field, first authorization only: `{ name: { firstName, lastName }, email }`. */
  user?: { name?: { firstName?: string; lastName?: string }; email?: string };
}

/**
 * `Apple({ clientId: '<Services ID>', clientSecret: '<signed client-secret JWT>' })`. Apple requires
 * `response_mode=form_post` when `name`/`email` are requested, so the response is a cross-site POST:
 * gatehouse re-submits it from its own origin to get the SameSite=Lax check cookies back (docs/oauth.md).
 * Apple sends the name only on the first authorization; store it then.
 */
export default function Apple<P extends AppleProfile = AppleProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'apple',
      name: 'Apple',
      type: 'oidc',
      issuer: 'https://appleid.apple.com',
      authorization: { params: { scope: 'name email', response_mode: 'form_post' } },
      client: { token_endpoint_auth_method: 'client_secret_post' },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      profile(profile) {
        const name = [profile.user?.name?.firstName, profile.user?.name?.lastName].filter(Boolean).join(' ');
        return { id: profile.sub, name: name || null, email: profile.email ?? null, image: null };
      },
      style: { bg: '#000', text: '#fff' },
    },
    options,
  );
}
