// The auth API at /api/auth/*, App Router style.
import NextAuth from 'gatehouse-auth/next';
import { authOptions } from '@/lib/auth';

const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
