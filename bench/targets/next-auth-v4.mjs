// next-auth 4.24.15 through its Pages Router API handler NextAuth(req, res, options), behind a shim doing what Next's API resolver does first.
import { createRequire } from 'node:module';
import { decode as decodeForm } from 'node:querystring';
import { authorize, OIDC, SECRET, serve, USER } from '../lib/shared.mjs';
import { countAdapterCalls, countedPostgres, countedSqlite, createMeasuredSession } from '../lib/sql-count.mjs';

const require = createRequire(import.meta.url);
const NextAuth = require('next-auth').default;
const Credentials = require('next-auth/providers/credentials').default;
// next-auth's own cookie dependency, as Next's req.cookies parser would give.
const { parse: parseCookie } = require(require.resolve('cookie', { paths: [require.resolve('next-auth')] }));

const mode = process.env.BENCH_SESSION ?? 'jwt';
const BASE = '/api/auth/';

function providers() {
  return [
    Credentials({ name: 'Password', credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } }, authorize }),
    // v4 has no "oidc" type: an OAuth provider with idToken is its OpenID Connect client.
    {
      id: OIDC.id,
      name: OIDC.name,
      type: 'oauth',
      idToken: true,
      issuer: OIDC.issuer,
      clientId: OIDC.clientId,
      clientSecret: OIDC.clientSecret,
      authorization: { url: OIDC.authorization, params: { scope: 'openid profile email' } },
      token: OIDC.token,
      userinfo: OIDC.userinfo,
      jwks_endpoint: OIDC.jwks_endpoint,
      checks: ['pkce', 'state', 'nonce'],
      profile: (p) => ({ id: p.sub, name: p.name, email: p.email, image: p.picture }),
    },
  ];
}

/** Next's API resolver parses JSON and url-encoded bodies (1 MB limit) before the route runs. */
async function readBody(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1024 * 1024) throw new Error('Body exceeded 1mb limit');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return text ? JSON.parse(text) : {};
  if (type.includes('application/x-www-form-urlencoded')) return decodeForm(text);
  return text;
}

/** Next's res.send: objects become JSON with a length (Next also adds an ETag, left out: it would only slow v4 down). */
function send(res, body) {
  if (body === null || body === undefined) return void res.end();
  const jsonLike = typeof body === 'object' && !Buffer.isBuffer(body);
  const text = jsonLike ? JSON.stringify(body) : body;
  if (jsonLike) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function nextApiRoute(options) {
  return async (req, res) => {
    try {
      const url = new URL(req.url, 'http://n');
      const query = Object.fromEntries(url.searchParams);
      // The catch-all [...nextauth] segments.
      query.nextauth = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length).split('/').filter(Boolean).map(decodeURIComponent) : [];
      req.query = query;
      req.cookies = parseCookie(req.headers.cookie ?? '');
      req.body = await readBody(req);
      res.status = (code) => ((res.statusCode = code), res);
      res.send = (body) => send(res, body);
      res.json = (body) => send(res, body ?? null);
      await NextAuth(req, res, options);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  };
}

await serve(async () => {
  if (mode === 'jwt') return { handler: nextApiRoute({ secret: SECRET, providers: providers() }) };
  // Database sessions on gatehouse's SQL adapter: it implements v4's adapter methods, so both libraries run the same SQL store.
  const store = mode === 'sqlite' ? countedSqlite() : await countedPostgres();
  const { sqliteAdapter } = await import('../../dist/adapters/sqlite.js');
  const { postgresAdapter } = await import('../../dist/adapters/postgres.js');
  const raw = mode === 'sqlite' ? sqliteAdapter(store.db) : postgresAdapter(store.pool);
  await raw.migrate();
  await store.seed();
  const sessionToken = await createMeasuredSession(raw, USER);
  const counted = countAdapterCalls(raw);
  store.reset();
  return {
    handler: nextApiRoute({ secret: SECRET, providers: providers(), adapter: counted.adapter, session: { strategy: 'database' } }),
    info: { sessionToken },
    reset() {
      store.reset();
      counted.reset();
    },
    async stats(requests) {
      return { adapterCalls: { ...counted.calls }, sql: await store.stats(requests) };
    },
    close: () => store.close(),
  };
});
