// Kakao Login: OAuth 2.0 (client secret in the body); the profile from kapi.kakao.com/v2/user/me.
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://developers.kakao.com/docs/latest/en/kakaologin/rest-api#req-user-info */
export interface KakaoProfile extends Profile {
  id: number;
  kakao_account?: {
    email?: string;
    profile?: { nickname?: string; profile_image_url?: string };
  };
}

/**
 * `Kakao({ clientId: '<REST API key>', clientSecret })`. The consent items (nickname, image, email)
 * are configured on the app, so no `scope` is sent; `account_email` needs a business app.
 */
export default function Kakao<P extends KakaoProfile = KakaoProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'kakao',
      name: 'Kakao',
      type: 'oauth',
      authorization: 'https://kauth.kakao.com/oauth/authorize',
      token: 'https://kauth.kakao.com/oauth/token',
      client: { token_endpoint_auth_method: 'client_secret_post' },
      userinfo: 'https://kapi.kakao.com/v2/user/me',
      checks: ['state'],
      profile: (profile) => ({
        id: String(profile.id),
        name: profile.kakao_account?.profile?.nickname ?? null,
        email: profile.kakao_account?.email ?? null,
        image: profile.kakao_account?.profile?.profile_image_url ?? null,
      }),
      style: { bg: '#FEE500', text: '#000' },
    },
    options,
  );
}
