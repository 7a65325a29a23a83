// Express 5 with gatehouse: the auth API under /api/auth, a page and a JSON route that read the session.
import express from 'express';
import { createAuth } from 'gatehouse-auth';
import { authHandler, getSession } from 'gatehouse-auth/express';
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

const app = express();
// Parsers the rest of the app uses may run first: gatehouse re-reads what they parsed.
app.use(express.urlencoded({ extended: false }), express.json());
app.use(authHandler(auth));
app.get('/api/me', async (req, res) => {
  res.json({ session: await getSession(auth, req) });
});
app.get('/', async (req, res) => {
  res.type('html').send(page(await getSession(auth, req)));
});

app.listen(port, '127.0.0.1', () => console.log(`Express example on http://127.0.0.1:${port}  (sign in as ann@example.com / ann)`));

function page(session) {
  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = session
    ? `<p>Signed in as <strong>${escape(session.user?.email)}</strong>.</p><p><a href="/api/auth/signout">Sign out</a></p>`
    : `<p>Not signed in.</p><p><a href="/api/auth/signin">Sign in</a> (ann@example.com / ann)</p>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse + Express</title></head><body><h1>gatehouse + Express</h1>${body}</body></html>`;
}
