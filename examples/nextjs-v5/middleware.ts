// Only signed-in visitors reach /dashboard (callbacks.authorized in auth.ts); others go to /login and come back. Runs on the Edge runtime.
export { auth as middleware } from '@/auth';

export const config = { matcher: ['/dashboard/:path*'] };
