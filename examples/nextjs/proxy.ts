// Only signed-in visitors reach /dashboard; others go to the sign-in page and come back after it.
import { withAuth } from 'gatehouse-auth/next/middleware';

export default withAuth({
  callbacks: {
    authorized: ({ token }) => Boolean(token?.email),
  },
});

export const config = { matcher: ['/dashboard/:path*'] };
