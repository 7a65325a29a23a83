// Microsoft Entra ID (formerly Azure AD): OpenID Connect, any tenant or one; the photo from Microsoft Graph.
import { base64Encode } from '../core/crypto.js';
import type { OAuthConfig, Profile } from '../types.js';
import { fetchOf, withUserOptions, type OAuthUserConfig } from './oauth.js';

/** https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference */
export interface MicrosoftEntraIDProfile extends Profile {
  sub: string;
  oid?: string;
  tid?: string;
  name?: string;
  email?: string;
  preferred_username?: string;
}

export type MicrosoftEntraIDOptions<P extends MicrosoftEntraIDProfile> = OAuthUserConfig<P> & {
  /** v4's `azure-ad` option: a tenant id or domain, `common` (default), `organizations` or `consumers`. */
  tenantId?: string;
  /** Size of the Graph photo put in `image` as a data URL; 0 to skip the request. Default 48 (small enough for a JWT cookie). */
  profilePhotoSize?: 0 | 48 | 64 | 96 | 120 | 240 | 360 | 432 | 504 | 648;
};

/**
 * `MicrosoftEntraID({ clientId, clientSecret, tenantId })`, or `issuer:
 * 'https://login.microsoftonline.com/<tenant>/v2.0'`. With `common`/`organizations` the issuer in each
 * ID token is that user's tenant; gatehouse checks it against the `{tenantid}` template with the
 * token's own `tid`, as Microsoft documents for multi-tenant apps. v4 called this provider `azure-ad`:
 * pass `id: 'azure-ad'` to keep its callback URL.
 */
export default function MicrosoftEntraID<P extends MicrosoftEntraIDProfile = MicrosoftEntraIDProfile>(options: MicrosoftEntraIDOptions<P>): OAuthConfig<P> {
  const { tenantId, profilePhotoSize = 48, ...rest } = options;
  const issuer = rest.issuer ?? `https://login.microsoftonline.com/${tenantId ?? 'common'}/v2.0`;
  const fetchImpl = fetchOf(options);
  return withUserOptions<P>(
    {
      id: 'microsoft-entra-id',
      name: 'Microsoft Entra ID',
      type: 'oidc',
      issuer,
      // `appid` makes the keys document include app-specific signing keys (Entra docs, "signing key rollover").
      wellKnown: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration?appid=${encodeURIComponent(options.clientId)}`,
      authorization: { params: { scope: 'openid profile email User.Read' } },
      checks: ['state', 'pkce', 'nonce'],
      idToken: true,
      async profile(profile, tokens) {
        let image: string | null = null;
        if (profilePhotoSize && typeof tokens.access_token === 'string') {
          try {
            const response = await fetchImpl(`https://graph.microsoft.com/v1.0/me/photos/${profilePhotoSize}x${profilePhotoSize}/$value`, {
              headers: { Authorization: `Bearer ${tokens.access_token}` },
            });
            if (response.ok) image = `data:image/jpeg;base64,${base64Encode(new Uint8Array(await response.arrayBuffer()))}`;
          } catch {
            image = null;
          }
        }
        return { id: profile.sub, name: profile.name ?? null, email: profile.email ?? profile.preferred_username ?? null, image };
      },
      style: { bg: '#0072c6', text: '#fff' },
    },
    { ...rest, issuer } as OAuthUserConfig<P>,
  );
}
