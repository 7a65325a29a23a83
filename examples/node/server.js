// node:http with gatehouse: the auth API under /api/auth, a page and a JSON route that read the session.
import { createServer } from 'node:http';
import { createAuth } from 'gatehouse-auth';
import { getSession, toNodeHandler } from 'gatehouse-auth/node';
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

const authApi = toNodeHandler(auth);

createServer(async (req, res) => {
  const path = req.url?.split('?')[0] ?? '/';
  if (path === '/api/auth' || path.startsWith('/api/auth/')) return authApi(req, res);
  if (path === '/api/me') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ session: await getSession(auth, req) }));
  }
  if (path !== '/') return res.writeHead(404).end('Not found');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(page(await getSession(auth, req)));
}).listen(port, '127.0.0.1', () => console.log(`node:http example on http://127.0.0.1:${port}  (sign in as ann@example.com / ann)`));

function page(session) {
  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = session
    ? `<p>Signed in as <strong>${escape(session.user?.email)}</strong>.</p><p><a href="/api/auth/signout">Sign out</a></p>`
    : `<p>Not signed in.</p><p><a href="/api/auth/signin">Sign in</a> (ann@example.com / ann)</p>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse + node:http</title></head><body><h1>gatehouse + node:http</h1>${body}</body></html>`;
}
