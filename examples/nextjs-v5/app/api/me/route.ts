// A route handler wrapped by auth(): req.auth is the session, or null.
import { auth } from '@/auth';

export const GET = auth((req) => {
  if (!req.auth?.user) return Response.json({ message: 'Not signed in' }, { status: 401 });
  return Response.json({ email: req.auth.user.email, name: req.auth.user.name });
});
