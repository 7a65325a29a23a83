// The gatehouse demo: a node:http app on 127.0.0.1, on the embedded SQLite default with database
// sessions: email+password accounts (a demo user, sign-up, reset), email magic links, and a second
// factor (TOTP with backup codes) that each user turns on from the account-security page.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createAuth } from 'gatehouse-auth';
import sqliteAdapter from 'gatehouse-auth/adapters/sqlite';
import { getSession, toNodeHandler } from 'gatehouse-auth/node';
import { hashPassword } from 'gatehouse-auth/password';
import Email from 'gatehouse-auth/providers/email';
import Password from 'gatehouse-auth/providers/password';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://127.0.0.1:${port}`;
const DEMO_EMAIL = 'demo@example.com';

// One file under the project, created on first run (demo/data/ is git-ignored).
const file = process.env.DEMO_DATABASE || fileURLToPath(new URL('./data/gatehouse.sqlite', import.meta.url));
const adapter = sqliteAdapter(file);
await adapter.migrate();

// Seeded once: a verified address with the password `demo`, in gatehouse's own password table.
const demoUser = (await adapter.getUserByEmail(DEMO_EMAIL)) ?? (await adapter.createUser({ name: 'Demo User', email: DEMO_EMAIL, emailVerified: new Date(), image: null }));
// A data file from an older demo has the user unverified, which the Password provider would refuse.
if (!demoUser.emailVerified) await adapter.updateUser({ id: demoUser.id, emailVerified: new Date() });
if (!(await adapter.getPassword(demoUser.id))) await adapter.setPassword(demoUser.id, await hashPassword('demo'));

/** Without EMAIL_SERVER (e.g. smtp://user:pass@smtp.example.com:587) every mail's link goes to this console. */
const print = (what, identifier, url) => console.log(`\n${what} for ${identifier} (no EMAIL_SERVER set, so it is printed here):\n  ${url}\n`);
const server = process.env.EMAIL_SERVER;
const from = process.env.EMAIL_FROM || 'gatehouse demo <no-reply@example.com>';

const auth = createAuth({
  url: process.env.NEXTAUTH_URL || `${origin}/api/auth`,
  // A fixed secret keeps demo sessions across restarts; real apps set AUTH_SECRET.
  secret: process.env.AUTH_SECRET || 'gatehouse-demo-secret-not-for-production',
  adapter, // an adapter makes database sessions the default, as in next-auth v4
  providers: [
    // Sign-up, verification, sign-in, forgot/reset and change; the mails' links are printed without EMAIL_SERVER.
    server ? Password({ server, from }) : Password({ from, sendVerificationRequest: ({ kind, identifier, url }) => print(`Password mail (${kind})`, identifier, url) }),
    server ? Email({ server, from }) : Email({ sendVerificationRequest: ({ identifier, url }) => print('Magic link', identifier, url) }),
  ],
  // A second factor for whoever turns it on at /api/auth/security.
  twoFactor: { issuer: 'gatehouse demo' },
});

const authHandler = toNodeHandler(auth);
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const httpServer = createServer(async (req, res) => {
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
       <p><a href="/api/auth/security">Account security</a> (an authenticator app as a second factor, backup codes) ·
       <a href="/api/auth/password/change">Change password</a> · <a href="/api/auth/signout">Sign out</a></p>`
    : `<p>You are not signed in.</p>
       <p><a href="/api/auth/signin">Sign in</a> with demo@example.com / <code>demo</code>, <a href="/api/auth/signup">create
       an account</a>, or sign in with any address by email: without EMAIL_SERVER the links are printed in the
       server's console.</p>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>gatehouse demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}pre{background:#f5f7fa;padding:1rem;border-radius:.5rem}</style>
</head><body><h1>gatehouse demo</h1>${body}<p>Session JSON: <a href="/api/auth/session">/api/auth/session</a></p></body></html>`);
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log(`gatehouse demo on ${origin}  (sign in with demo@example.com / demo, sign up, or by email link)`);
  console.log(`data: ${file}`);
});

const shutdown = () => httpServer.close(() => adapter.close().then(() => process.exit(0)));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
