// Zero-logout with database sessions: next-auth v4's Pages handler and @auth/pg-adapter sign a user in with OpenID Connect; gatehouse-auth/next on the same PostgreSQL keeps them signed in.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresAdapter, type SqlAdapter } from '../../src/adapters/postgres.js';
import type { Adapter } from '../../src/adapters/types.js';
import NextAuth, { getServerSession } from '../../src/integrations/next.js';
import type { AuthConfig } from '../../src/types.js';
import { createPgFixture, type PgFixture } from '../adapters/pg-fixture.js';
import { POSTGRES, serviceSkipReason } from '../adapters/services.js';
import { IdpBrowser, startIdp, type Idp } from '../oauth/idp.js';
import { peerRequire } from '../helpers/peers.js';
import { Browser } from '../helpers/server.js';
import { listen } from './listen.js';
import { asPagesApiRequest, catchAll } from './next-like.js';
import type { RunningApp } from './suite.js';

const SECRET = 'database-migration-secret-0123456789abcdef';
const PG_ADAPTER = new URL('../peers-adapters/node_modules/@auth/pg-adapter/index.js', import.meta.url);

/** The schema @auth/pg-adapter documents, as a v4 app using it has (SERIAL ids, raw session tokens). */
const AUTH_PG_SCHEMA = `
  CREATE TABLE users (id SERIAL, name VARCHAR(255), email VARCHAR(255) UNIQUE, "emailVerified" TIMESTAMPTZ, image TEXT, PRIMARY KEY (id));
  CREATE TABLE accounts (
    id SERIAL, "userId" INTEGER NOT NULL REFERENCES users ON DELETE CASCADE, type VARCHAR(255) NOT NULL,
    provider VARCHAR(255) NOT NULL, "providerAccountId" VARCHAR(255) NOT NULL, refresh_token TEXT, access_token TEXT,
    expires_at BIGINT, id_token TEXT, scope TEXT, session_state TEXT, token_type TEXT,
    PRIMARY KEY (id), UNIQUE (provider, "providerAccountId"));
  CREATE TABLE sessions (
    id SERIAL, "userId" INTEGER NOT NULL REFERENCES users ON DELETE CASCADE, expires TIMESTAMPTZ NOT NULL,
    "sessionToken" VARCHAR(255) UNIQUE NOT NULL, PRIMARY KEY (id));
  CREATE TABLE verification_token (identifier TEXT NOT NULL, expires TIMESTAMPTZ NOT NULL, token TEXT NOT NULL, PRIMARY KEY (identifier, token));
`;

type PagesHandler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
type V4NextAuth = (req: IncomingMessage, res: ServerResponse, options: unknown) => Promise<unknown>;

/** The helpers Next adds to an API route's response, which v4's handler calls. */
function withNextResponseHelpers(res: ServerResponse): ServerResponse {
  return Object.assign(res, {
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    json(body: unknown) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    },
    send(body: unknown) {
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    },
  });
}

function appOptions(idp: Idp, adapter: Adapter): AuthConfig {
  return {
    secret: SECRET,
    adapter,
    providers: [
      {
        id: 'oidc',
        name: 'Test IdP',
        type: 'oauth',
        wellKnown: `${idp.issuer}/.well-known/openid-configuration`,
        clientId: 'migration-app',
        clientSecret: 'migration-app-secret',
        authorization: { params: { scope: 'openid email profile' } },
        idToken: true,
        checks: ['pkce', 'state'],
        profile: (profile: { sub: string; name?: string; email?: string; picture?: string }) => ({
          id: profile.sub,
          name: profile.name ?? null,
          email: profile.email ?? null,
          image: profile.picture ?? null,
        }),
      },
    ],
  };
}

const peerSkip = existsSync(PG_ADAPTER) ? undefined : '@auth/pg-adapter is not installed: run `npm install` in test/peers-adapters';
const serverSkip = await serviceSkipReason(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port} (database ${POSTGRES.database})`, async () => {
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.end();
});
if (peerSkip && process.env.GATEHOUSE_REQUIRE_SERVICES === '1') throw new Error(`GATEHOUSE_REQUIRE_SERVICES=1 and ${peerSkip}`);
const skip = serverSkip ?? peerSkip;
if (skip) console.warn(`\n${'!'.repeat(72)}\n!! database migration test SKIPPED: ${skip}\n${'!'.repeat(72)}\n`);

describe('zero-logout migration with database sessions (next-auth v4 + @auth/pg-adapter → gatehouse-auth/next + gatehouse-auth/adapters/postgres)', { skip: skip ?? false }, () => {
  let fixture: PgFixture;
  let pool: pg.Pool;
  let ours: SqlAdapter;
  let idp: Idp;
  let app: RunningApp;
  let serve: PagesHandler = async () => undefined;
  let gatehouseOptions: AuthConfig;
  const previousUrl = process.env.NEXTAUTH_URL;

  before(async () => {
    fixture = await createPgFixture();
    await fixture.admin.query(AUTH_PG_SCHEMA);
    pool = new pg.Pool(fixture.connection);
    pool.on('error', () => undefined);
    ours = postgresAdapter(fixture.connection);
    // One server; "stopping v4 and starting gatehouse" swaps what answers on the same origin.
    app = await listen(
      createServer((req, res) => {
        void (async () => {
          const url = new URL(req.url ?? '/', 'http://127.0.0.1');
          const segments = catchAll(url);
          if (segments) return serve(await asPagesApiRequest(req, url, segments), withNextResponseHelpers(res));
          if (url.pathname === '/me') {
            const session = await getServerSession(req, res, gatehouseOptions);
            return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session }));
          }
          res.writeHead(404).end();
        })();
      }),
    );
    process.env.NEXTAUTH_URL = app.origin;
    idp = await startIdp([{ client_id: 'migration-app', client_secret: 'migration-app-secret', redirect_uris: [`${app.origin}/api/auth/callback/oidc`] }]);
  });
  after(async () => {
    if (previousUrl === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = previousUrl;
    await app?.close();
    await idp?.stop();
    await ours?.close();
    await pool?.end();
    await fixture?.drop();
  });

  test('signed in on v4 (OpenID Connect, session row in PostgreSQL), still signed in on gatehouse; the row is then hashed', async () => {
    const { default: PostgresAdapter } = (await import(PG_ADAPTER.href)) as { default: (pool: pg.Pool) => Adapter };
    const v4 = peerRequire<{ default: V4NextAuth }>('next-auth').default;
    const v4Options = appOptions(idp, PostgresAdapter(pool));
    serve = (req, res) => v4(req, res, v4Options);

    const browser = new Browser();
    const base = `${app.origin}/api/auth`;
    const csrfToken = await browser.csrfToken(base);
    const start = await browser.fetch(`${base}/signin/oidc`, { method: 'POST', form: { csrfToken, callbackUrl: `${app.origin}/`, json: 'true' } });
    const { url: authorization } = (await start.json()) as { url: string };
    const { location } = await new IdpBrowser().authorize(authorization, 'zoe', `${base}/callback/oidc`);
    const callback = await browser.fetch(location!);
    assert.equal(callback.status, 302);
    assert.equal(callback.headers.get('location'), `${app.origin}/`);
    const token = browser.jar.get('next-auth.session-token')!;
    assert.match(token, /^[0-9a-f-]{36}$/, 'v4 wrote a database session: the cookie is its raw token');
    assert.deepEqual((await fixture.admin.query('SELECT "sessionToken" FROM sessions')).rows, [{ sessionToken: token }]);
    const onV4 = (await (await browser.fetch(`${base}/session`)).json()) as { user: unknown; expires: string };
    assert.ok(onV4.user);

    // The switch: same secret, same database, the adapter import changed.
    gatehouseOptions = appOptions(idp, ours);
    serve = NextAuth(gatehouseOptions);

    const onGatehouse = (await (await browser.fetch(`${base}/session`)).json()) as { user: unknown; expires: string };
    assert.deepEqual(onGatehouse.user, onV4.user);
    assert.equal(browser.jar.get('next-auth.session-token'), token, 'the same cookie keeps working');
    const me = (await (await browser.fetch(`${app.origin}/me`)).json()) as { session: { user: unknown } | null };
    assert.deepEqual(me.session?.user, onV4.user);
    const { rows } = await fixture.admin.query<{ sessionToken: string }>('SELECT "sessionToken" FROM sessions');
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.sessionToken, /^sha256:[0-9a-f]{64}$/, 'upgraded to the hash on first use');

    const signOutToken = await browser.csrfToken(base);
    const signOut = await browser.fetch(`${base}/signout`, { method: 'POST', form: { csrfToken: signOutToken, json: 'true' } });
    assert.equal(signOut.status, 200);
    assert.equal((await fixture.admin.query('SELECT 1 FROM sessions')).rowCount, 0);
    assert.deepEqual(await (await browser.fetch(`${base}/session`)).json(), {});
  });
});
