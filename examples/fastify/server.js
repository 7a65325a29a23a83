// Fastify 5 with gatehouse: the auth API as a plugin under /api/auth, a page and a JSON route that read the session.
import Fastify from 'fastify';
import { createAuth } from 'gatehouse-auth';
import { authPlugin, getSession } from 'gatehouse-auth/fastify';
import Credentials from 'gatehouse-auth/providers/credentials';

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

const app = Fastify();
// Encapsulated: its raw-body parser applies to /api/auth only; the app's JSON parsing is unchanged.
await app.register(authPlugin(auth));
app.get('/api/me', async (request) => ({ session: await getSession(auth, request) }));
app.get('/', async (request, reply) => reply.type('text/html').send(page(await getSession(auth, request))));

await app.listen({ port, host: '127.0.0.1' });
console.log(`Fastify example on http://127.0.0.1:${port}  (sign in as ann@example.com / ann)`);

function page(session) {
  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = session
    ? `<p>Signed in as <strong>${escape(session.user?.email)}</strong>.</p><p><a href="/api/auth/signout">Sign out</a></p>`
    : `<p>Not signed in.</p><p><a href="/api/auth/signin">Sign in</a> (ann@example.com / ann)</p>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse + Fastify</title></head><body><h1>gatehouse + Fastify</h1>${body}</body></html>`;
}
