// The next-auth options object, shared by the API route, getServerSession calls and nothing else.
import type { NextAuthOptions } from 'gatehouse-auth/next';
import CredentialsProvider from 'gatehouse-auth/providers/credentials';

// A stand-in for a user table: ann@example.com / ann.
const USERS = [{ id: '1', name: 'Ann Example', email: 'ann@example.com', password: 'ann' }];

interface OidcProfile {
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
}

export const authOptions: NextAuthOptions = {
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email', placeholder: 'ann@example.com' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials) {
        const user = USERS.find((u) => u.email === credentials?.email && u.password === credentials?.password);
        return user ? { id: user.id, name: user.name, email: user.email } : null;
      },
    }),
    // Any OpenID Connect provider, configured the way next-auth v4's docs show for one without a preset.
    ...(process.env.OIDC_ISSUER
      ? [
          {
            id: 'oidc',
            name: process.env.OIDC_NAME ?? 'OpenID Connect',
            type: 'oauth' as const,
            wellKnown: `${process.env.OIDC_ISSUER}/.well-known/openid-configuration`,
            clientId: process.env.OIDC_CLIENT_ID,
            clientSecret: process.env.OIDC_CLIENT_SECRET,
            authorization: { params: { scope: 'openid email profile' } },
            idToken: true,
            checks: ['pkce' as const, 'state' as const],
            profile(profile: OidcProfile) {
              return { id: profile.sub, name: profile.name ?? null, email: profile.email ?? null, image: profile.picture ?? null };
            },
          },
        ]
      : []),
  ],
};
