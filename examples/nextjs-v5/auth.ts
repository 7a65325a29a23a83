// The whole auth setup, the v5 way: one NextAuth(config) call whose results the route, the middleware, pages and server actions import.
import NextAuth from 'gatehouse-auth/next';
import Credentials from 'gatehouse-auth/providers/credentials';

// A stand-in for a user table: ann@example.com / ann.
const USERS = [{ id: '1', name: 'Ann Example', email: 'ann@example.com', password: 'ann' }];

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [
    Credentials({
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials) {
        const user = USERS.find((u) => u.email === credentials?.email && u.password === credentials?.password);
        return user ? { id: user.id, name: user.name, email: user.email } : null;
      },
    }),
  ],
  // The app's own sign-in page, with a server action form (app/login/page.tsx).
  pages: { signIn: '/login' },
  callbacks: {
    // What the middleware lets through: signed-in visitors only (its matcher picks the paths).
    authorized: ({ auth: session }) => Boolean(session?.user),
  },
});
