// The gatehouse demo: a node:http app on 127.0.0.1, on the embedded SQLite default with database
// sessions, a credentials demo user (password hashed with scrypt) and email magic links.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createAuth } from 'gatehouse-auth';
import sqliteAdapter from 'gatehouse-auth/adapters/sqlite';
import { getSession, toNodeHandler } from 'gatehouse-auth/node';
import { hashPassword, verifyPassword } from 'gatehouse-auth/password';
import Credentials from 'gatehouse-auth/providers/credentials';
import Email from 'gatehouse-auth/providers/email';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://127.0.0.1:${port}`;
const DEMO_EMAIL = 'demo@example.com';

// One file under the project, created on first run (demo/data/ is git-ignored).
const file = process.env.DEMO_DATABASE || fileURLToPath(new URL('./data/gatehouse.sqlite', import.meta.url));
const adapter = sqliteAdapter(file);
await adapter.migrate();

// Passwords are the app's business, not the auth schema's: a table of our own beside gatehouse's.
// A second connection to the same WAL file is fine; better-sqlite3 is synchronous.
const db = new Database(file, { timeout: 5000 });
db.exec('CREATE TABLE IF NOT EXISTS demo_passwords (user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, hash TEXT NOT NULL)');
const getHash = db.prepare('SELECT hash FROM demo_passwords WHERE user_id = ?').pluck();
const setHash = db.prepare('INSERT OR REPLACE INTO demo_passwords (user_id, hash) VALUES (?, ?)');

const demoUser =
  (await adapter.getUserByEmail(DEMO_EMAIL)) ??
  (await adapter.createUser({ name: 'Demo User', email: DEMO_EMAIL, emailVerified: null, image: null }));
if (!getHash.get(demoUser.id)) setHash.run(demoUser.id, await hashPassword('demo'));

// Without EMAIL_SERVER (e.g. smtp://user:pass@smtp.example.com:587) the link goes to this console.
const email = process.env.EMAIL_SERVER
  ? Email({ server: process.env.EMAIL_SERVER, from: process.env.EMAIL_FROM || 'gatehouse demo <no-reply@example.com>' })
  : Email({
      sendVerificationRequest: ({ identifier, url }) => {
        console.log(`\nMagic link for ${identifier} (no EMAIL_SERVER set, so it is printed here):\n  ${url}\n`);
      },
    });

const auth = createAuth({
  url: process.env.NEXTAUTH_URL || `${origin}/api/auth`,
  // A fixed secret keeps demo sessions across restarts; real apps set AUTH_SECRET.
  secret: process.env.AUTH_SECRET || 'gatehouse-demo-secret-not-for-production',
  adapter, // an adapter makes database sessions the default, as in next-auth v4
  providers: [
    Credentials({
      name: 'Demo account',
      credentials: {
        email: { label: 'Email', type: 'email', value: DEMO_EMAIL, autocomplete: 'username' },
        password: { label: 'Password (demo)', type: 'password', autocomplete: 'current-password' },
      },
      async authorize({ email: address, password }) {
        const user = address ? await adapter.getUserByEmail(address.trim().toLowerCase()) : null;
        // verifyPassword runs the hash even without a stored one, so a missing user costs the same time.
        const ok = await verifyPassword(password ?? '', user ? getHash.get(user.id) : null);
        return ok && user ? user : null;
      },
    }),
    email,
  ],
});

const authHandler = toNodeHandler(auth);
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = createServer(async (req, res) => {
  if (req.url?.startsWith('/api/auth/') || req.url === '/api/auth') return authHandler(req, res);
  if (req.url !== '/') {
    res.writeHead(404).end('Not found');
    return;
  }
  let session = null;
  try {
    session = await getSession(auth, req);
  } catch (error) {
    console.error('session lookup failed:', error);
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('The session store is unavailable.');
    return;
  }
  const body = session
    ? `<p>Signed in as <strong>${escape(session.user?.name ?? session.user?.email)}</strong> (${escape(session.user?.email)}).</p>
       <pre>${escape(JSON.stringify(session, null, 2))}</pre>
       <p><a href="/api/auth/signout">Sign out</a></p>`
    : `<p>You are not signed in.</p>
       <p><a href="/api/auth/signin">Sign in</a> with demo@example.com / <code>demo</code>, or with any address by
       email: the magic link is printed in the server's console.</p>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}pre{background:#f5f7fa;padding:1rem;border-radius:.5rem}</style>
</head><body><h1>gatehouse demo</h1>${body}<p>Session JSON: <a href="/api/auth/session">/api/auth/session</a></p></body></html>`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`gatehouse demo on ${origin}  (sign in with demo@example.com / demo, or by email link)`);
  console.log(`data: ${file}`);
});

const shutdown = () => server.close(() => adapter.close().then(() => db.close()).then(() => process.exit(0)));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
