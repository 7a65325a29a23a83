// The gatehouse demo: a node:http app on 127.0.0.1 with a credentials demo user and a page that shows the session.
import { createServer } from 'node:http';
import { createAuth } from 'gatehouse';
import { getSession, toNodeHandler } from 'gatehouse/node';
import Credentials from 'gatehouse/providers/credentials';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://127.0.0.1:${port}`;

const auth = createAuth({
  url: process.env.NEXTAUTH_URL ?? `${origin}/api/auth`,
  // A fixed secret keeps demo sessions across restarts; real apps set AUTH_SECRET.
  secret: process.env.AUTH_SECRET ?? 'gatehouse-demo-secret-not-for-production',
  providers: [
    Credentials({
      name: 'Demo account',
      credentials: {
        email: { label: 'Email', type: 'email', value: 'demo@example.com', autocomplete: 'username' },
        password: { label: 'Password (demo)', type: 'password', autocomplete: 'current-password' },
      },
      authorize: ({ email, password }) =>
        email === 'demo@example.com' && password === 'demo' ? { id: 'demo', name: 'Demo User', email: 'demo@example.com' } : null,
    }),
  ],
});

const authHandler = toNodeHandler(auth);
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = createServer(async (req, res) => {
  if (req.url?.startsWith('/api/auth/') || req.url === '/api/auth') return authHandler(req, res);
  if (req.url !== '/' && req.url !== '/favicon.ico') {
    res.writeHead(404).end('Not found');
    return;
  }
  const session = await getSession(auth, req);
  const body = session
    ? `<p>Signed in as <strong>${escape(session.user?.name)}</strong> (${escape(session.user?.email)}).</p>
       <pre>${escape(JSON.stringify(session, null, 2))}</pre>
       <p><a href="/api/auth/signout">Sign out</a></p>`
    : `<p>You are not signed in.</p><p><a href="/api/auth/signin">Sign in</a> with demo@example.com / <code>demo</code>.</p>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}pre{background:#f5f7fa;padding:1rem;border-radius:.5rem}</style>
</head><body><h1>gatehouse demo</h1>${body}<p>Session JSON: <a href="/api/auth/session">/api/auth/session</a></p></body></html>`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`gatehouse demo on ${origin}  (sign in with demo@example.com / demo)`);
});
