// Discord: OAuth 2.0; the profile from /users/@me, the avatar URL built from its hash (or the default avatar).
import type { OAuthConfig, Profile } from '../types.js';
import { withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://discord.com/developers/docs/resources/user#user-object */
export interface DiscordProfile extends Profile {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  email?: string | null;
  verified?: boolean;
}

/**
 * The CDN image of a user (https://discord.com/developers/docs/reference#image-formatting): their
 * avatar (`a_` hashes are animated), else the default one, indexed by `(id >> 22) % 6` for
 * accounts on the new username system (discriminator "0") and `discriminator % 5` for the rest.
 */
export function discordAvatarUrl(profile: Pick<DiscordProfile, 'id' | 'avatar' | 'discriminator'>): string {
  if (profile.avatar) {
    const format = profile.avatar.startsWith('a_') ? 'gif' : 'png';
    return `https://cdn.discordapp.com/avatars/${profile.id}/${profile.avatar}.${format}`;
  }
  const index = profile.discriminator === '0' || !profile.discriminator ? Number((BigInt(profile.id) >> 22n) % 6n) : Number(profile.discriminator) % 5;
  return `https://cdn.discordapp.com/embed/avatars/${index}.png`;
}

/** `Discord({ clientId, clientSecret })`; scopes `identify email`. */
export default function Discord<P extends DiscordProfile = DiscordProfile>(options: OAuthUserConfig<P>): OAuthConfig<P> {
  return withUserOptions<P>(
    {
      id: 'discord',
      name: 'Discord',
      type: 'oauth',
      authorization: { url: 'https://discord.com/oauth2/authorize', params: { scope: 'identify email' } },
      token: 'https://discord.com/api/oauth2/token',
      userinfo: 'https://discord.com/api/users/@me',
      checks: ['state'],
      profile: (profile) => ({ id: profile.id, name: profile.global_name ?? profile.username, email: profile.email ?? null, image: discordAvatarUrl(profile) }),
      style: { bg: '#5865F2', text: '#fff' },
    },
    options,
  );
}
