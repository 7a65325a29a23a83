// Naver Login: OAuth 2.0 (client secret in the body); the profile is the `response` object of openapi.naver.com/v1/nid/me.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developers.naver.com/docs/login/profile/profile.md */
export interface NaverProfile extends Profile {
  resultcode: string;
  message: string;
  response: { id: string; nickname?: string; name?: string; email?: string; profile_image?: string };
}

/** `Naver({ clientId, clientSecret })`; the profile items are chosen on the app, so no `scope` is sent. */
export default function Naver<P extends NaverProfile = NaverProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'naver',
      name: 'Naver',
      type: 'oauth',
      authorization: 'https://nid.naver.com/oauth2.0/authorize',
      token: 'https://nid.naver.com/oauth2.0/token',
      client: { token_endpoint_auth_method: 'client_secret_post' },
      userinfo: 'https://openapi.naver.com/v1/nid/me',
      checks: ['state'],
      profile: ({ response }) => ({ id: response.id, name: response.nickname ?? response.name ?? null, email: response.email ?? null, image: response.profile_image ?? null }),
      style: { bg: '#03C75A', text: '#fff' },
    },
    options,
  );
}
