// Hono 4 on Node with gatehouse: the auth API under /api/auth, and a middleware that puts the session on the context.
import { serve } from '@hono/node-server';
import { createAuth } from 'gatehouse-auth';
import { authHandler, sessionMiddleware } from 'gatehouse-auth/hono';
import Credentials from 'gatehouse-auth/providers/credentials';
import { Hono } from 'hono';

const port = Number(process.env.PORT ?? 3000);

// The secret comes from AUTH_SECRET (or NEXTAUTH_SECRET); without one, development runs get a random
// per-process secret and a warning, and production refuses to start.
const auth = createAuth({
  url: process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${port}/api/auth`,
  providers: [
    Credentials({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      // Your user lookup goes here; this demo knows one user.
      authorize: ({ email, password }) => (email === 'ann@example.com' && password === 'ann' ? { id: '1', name: 'Ann Example', email } : null),
    }),
  ],
});

const app = new Hono();
app.all('/api/auth/*', authHandler(auth));
// Every other route gets c.get('session'): the session, or null.
app.use('*', sessionMiddleware(auth));
app.get('/api/me', (c) => c.json({ session: c.get('session') }));
app.get('/', (c) => c.html(page(c.get('session'))));

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`Hono example on http://127.0.0.1:${port}  (sign in as ann@example.com / ann)`));

function page(session) {
  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = session
    ? `<p>Signed in as <strong>${escape(session.user?.email)}</strong>.</p><p><a href="/api/auth/signout">Sign out</a></p>`
    : `<p>Not signed in.</p><p><a href="/api/auth/signin">Sign in</a> (ann@example.com / ann)</p>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse + Hono</title></head><body><h1>gatehouse + Hono</h1>${body}</body></html>`;
}
