// Zero logout from next-auth v5: session cookies minted by the published @auth/core (its real handler and its own `encode`) and session rows its pg adapter wrote are read by gatehouse and re-issued under gatehouse's cookie name.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import memoryAdapter from '../../src/adapters/memory.js';
import { postgresAdapter, type SqlAdapter } from '../../src/adapters/postgres.js';
import type { Adapter } from '../../src/adapters/types.js';
import { createAuth, type Auth } from '../../src/index.js';
import { encode, getToken } from '../../src/jwt.js';
import Credentials from '../../src/providers/credentials.js';
import type { AuthConfig } from '../../src/types.js';
import { createPgFixture, type PgFixture } from '../adapters/pg-fixture.js';
import { POSTGRES, serviceSkipReason } from '../adapters/services.js';
import { requireServices } from '../helpers/chromium.js';

const SECRET = 'v5-zero-logout-secret-0123456789abcdef';
const OLD_SECRET = 'v5-zero-logout-old-secret-0123456789abcdef';

const v5Require = createRequire(new URL('../peers-v5/package.json', import.meta.url));
const coreUrl = new URL('../peers-v5/node_modules/@auth/core/', import.meta.url);
const coreDir = existsSync(new URL('jwt.js', coreUrl)) ? coreUrl.href.replace(/\/$/, '') : undefined;
const missing = coreDir ? undefined : '@auth/core (next-auth v5 beta) is not installed in test/peers-v5 (node scripts/ensure-peers.mjs): the v5 session tests did NOT run';
if (missing && requireServices()) throw new Error(`${missing}, and GATEHOUSE_REQUIRE_SERVICES=1 requires it`);
if (missing) console.warn(`\n*** SKIPPED: ${missing} ***\n`);

interface V5Jwt {
  encode(params: { token: Record<string, unknown>; secret: string | string[]; salt: string; maxAge?: number }): Promise<string>;
  decode(params: { token: string; secret: string | string[]; salt: string }): Promise<Record<string, unknown> | null>;
  getToken(params: { req: Request; secret: string | string[]; secureCookie?: boolean; cookieName?: string; salt?: string }): Promise<Record<string, unknown> | null>;
}
type V5Auth = (request: Request, config: Record<string, unknown>) => Promise<Response>;

const load = async <T>(path: string): Promise<T> => (await import(`${coreDir}/${path}`)) as T;

/** The Set-Cookie headers of a response as name → value (an expired cookie as ''). */
function setCookies(response: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line) ? '' : decodeURIComponent(pair!.slice(eq + 1)));
  }
  return out;
}

const cookieHeader = (cookies: Map<string, string>) =>
  [...cookies]
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

function gatehouse(overrides: Partial<AuthConfig> = {}): Auth {
  return createAuth({
    secret: SECRET,
    url: 'http://localhost:3000/api/auth',
    logger: { error: (c: string, m: unknown) => process.env.DEBUG_V5 && console.error(c, m), warn: () => {}, debug: () => {} },
    providers: [Credentials({ credentials: {}, authorize: () => null })],
    ...overrides,
  });
}

async function sessionOf(auth: Auth, cookie: string, origin = 'http://localhost:3000') {
  const response = await auth.handler(new Request(`${origin}/api/auth/session`, { headers: { cookie } }));
  assert.equal(response.status, 200, await response.clone().text());
  return { body: (await response.json()) as { user?: Record<string, unknown>; expires?: string }, cookies: setCookies(response) };
}

describe('v5 session cookies (published @auth/core) read by gatehouse', { skip: missing }, () => {
  let jwt: V5Jwt;
  before(async () => {
    jwt = await load<V5Jwt>('jwt.js');
  });

  test('a JWT session from the real v5 handler (credentials sign-in) stays signed in, and moves to next-auth.session-token', async () => {
    const { Auth } = await load<{ Auth: V5Auth }>('index.js');
    const { default: V5Credentials } = await load<{ default: (options: unknown) => unknown }>('providers/credentials.js');
    const config = {
      secret: SECRET,
      trustHost: true,
      basePath: '/api/auth',
      providers: [V5Credentials({ credentials: { username: {} }, authorize: (c: { username?: string }) => (c.username === 'ann' ? { id: 'u1', name: 'Ann', email: 'ann@example.com' } : null) })],
    };
    const csrf = await Auth(new Request('http://localhost:3000/api/auth/csrf'), config);
    const jar = setCookies(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await Auth(
      new Request('http://localhost:3000/api/auth/callback/credentials', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
        body: new URLSearchParams({ csrfToken, username: 'ann', callbackUrl: 'http://localhost:3000/' }),
      }),
      config,
    );
    assert.equal(signIn.status, 302);
    for (const [k, v] of setCookies(signIn)) jar.set(k, v);
    assert.ok(jar.get('authjs.session-token'), 'v5 wrote its session cookie');
    const onV5 = (await (await Auth(new Request('http://localhost:3000/api/auth/session', { headers: { cookie: cookieHeader(jar) } }), config)).json()) as { user: unknown };

    const auth = gatehouse();
    const first = await sessionOf(auth, cookieHeader(jar));
    assert.deepEqual(first.body.user, onV5.user);
    assert.deepEqual(first.body.user, { name: 'Ann', email: 'ann@example.com' });
    assert.equal(first.cookies.get('authjs.session-token'), '', "v5's cookie is cleared");
    const reissued = first.cookies.get('next-auth.session-token');
    assert.ok(reissued, "re-issued under gatehouse's name");
    // The re-issued cookie alone is the session now, in gatehouse's (v4's) format.
    assert.match(reissued, /^eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0\./);
    const second = await sessionOf(auth, `next-auth.session-token=${reissued}`);
    assert.deepEqual(second.body.user, onV5.user);
    assert.equal(second.cookies.size, 0, 'nothing more to re-issue');
  });

  test('chunked v5 cookies (authjs.session-token.0, .1) are joined, and every chunk is cleared', async () => {
    const big = 'x'.repeat(6000);
    const token = await jwt.encode({ token: { sub: 'u2', name: 'Bo', email: 'bo@example.com', big }, secret: SECRET, salt: 'authjs.session-token' });
    const { SessionStore } = await load<{ SessionStore: new (option: unknown, cookies: unknown, logger: unknown) => { chunk(value: string, options: unknown): Array<{ name: string; value: string }> } }>(
      'lib/utils/cookie.js',
    );
    const chunks = new SessionStore({ name: 'authjs.session-token', options: { path: '/' } }, {}, console).chunk(token, {});
    assert.ok(chunks.length >= 2, 'v5 split it');
    const auth = gatehouse();
    const { body, cookies } = await sessionOf(auth, chunks.map((c) => `${c.name}=${c.value}`).join('; '));
    assert.equal(body.user?.name, 'Bo');
    for (const c of chunks) assert.equal(cookies.get(c.name), '', `${c.name} cleared`);
    assert.ok(cookies.get('next-auth.session-token.0'), 'written in gatehouse chunks under its own name');
  });

  test('https: only __Secure-authjs.session-token counts (salted with that name)', async () => {
    const auth = gatehouse({ url: 'https://app.example.com/api/auth' });
    const secure = await jwt.encode({ token: { sub: 'u3', name: 'Cy' }, secret: SECRET, salt: '__Secure-authjs.session-token' });
    const ok = await sessionOf(auth, `__Secure-authjs.session-token=${secure}`, 'https://app.example.com');
    assert.equal(ok.body.user?.name, 'Cy');
    assert.ok(ok.cookies.get('__Secure-next-auth.session-token'));
    assert.equal(ok.cookies.get('__Secure-authjs.session-token'), '');
    const plain = await jwt.encode({ token: { sub: 'u3', name: 'Cy' }, secret: SECRET, salt: 'authjs.session-token' });
    const refused = await sessionOf(auth, `authjs.session-token=${plain}`, 'https://app.example.com');
    assert.deepEqual(refused.body, {}, 'an unprefixed cookie on https could have been planted');
  });

  test('A256GCM tokens (which v5 still decrypts) open too', async () => {
    const { EncryptJWT } = (await import(v5Require.resolve('jose'))) as typeof import('jose');
    const { hkdf } = (await import(v5Require.resolve('@panva/hkdf'))) as { hkdf: (d: string, k: string, s: string, i: string, l: number) => Promise<Uint8Array> };
    const salt = 'authjs.session-token';
    const key = await hkdf('sha256', SECRET, salt, `Auth.js Generated Encryption Key (${salt})`, 32);
    const now = Math.floor(Date.now() / 1000);
    const token = await new EncryptJWT({ sub: 'u4', name: 'Di' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .encrypt(key);
    assert.equal((await jwt.decode({ token, secret: SECRET, salt }))?.name, 'Di', 'v5 itself accepts it');
    const { body } = await sessionOf(gatehouse(), `authjs.session-token=${token}`);
    assert.equal(body.user?.name, 'Di');
  });

  test('rotation: a v5 token under a secret now second in the list still opens (AUTH_SECRET_1)', async () => {
    const token = await jwt.encode({ token: { sub: 'u5', name: 'Ed' }, secret: OLD_SECRET, salt: 'authjs.session-token' });
    assert.equal((await sessionOf(gatehouse({ secret: [SECRET, OLD_SECRET] }), `authjs.session-token=${token}`)).body.user?.name, 'Ed');
    assert.deepEqual((await sessionOf(gatehouse(), `authjs.session-token=${token}`)).body, {}, 'not with the new secret alone');
  });

  test('a v5 token under a custom cookie name (the same `cookies` option) opens, salted with that name', async () => {
    const token = await jwt.encode({ token: { sub: 'u6', name: 'Flo' }, secret: SECRET, salt: 'app.session' });
    const auth = gatehouse({ cookies: { sessionToken: { name: 'app.session', options: {} } } });
    const { body, cookies } = await sessionOf(auth, `app.session=${token}`);
    assert.equal(body.user?.name, 'Flo');
    assert.match(cookies.get('app.session') ?? '', /^eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0\./, "re-issued in gatehouse's format");
  });

  test("gatehouse-auth/jwt's getToken reads what v5's getToken reads (default and __Secure- cookies, custom names, a salt, Bearer), and v4's tokens still", async () => {
    const sub = (token: Record<string, unknown> | null) => (token === null ? null : token.sub);
    const v5Token = (salt: string) => jwt.encode({ token: { sub: `u-${salt}` }, secret: SECRET, salt });
    const req = (headers: Record<string, string>) => new Request('http://localhost:3000/', { headers });
    const cases: Array<{ what: string; headers: Record<string, string>; params?: { secureCookie?: boolean; cookieName?: string; salt?: string } }> = [
      { what: 'the default v5 cookie', headers: { cookie: `authjs.session-token=${await v5Token('authjs.session-token')}` } },
      { what: 'the https cookie', headers: { cookie: `__Secure-authjs.session-token=${await v5Token('__Secure-authjs.session-token')}` }, params: { secureCookie: true } },
      { what: 'a custom cookie name (its salt)', headers: { cookie: `app.session=${await v5Token('app.session')}` }, params: { cookieName: 'app.session' } },
      { what: 'a salt given', headers: { cookie: `authjs.session-token=${await v5Token('pepper')}` }, params: { salt: 'pepper' } },
      { what: 'Bearer (salted with the default name)', headers: { authorization: `Bearer ${encodeURIComponent(await v5Token('authjs.session-token'))}` } },
      { what: 'another salt than the cookie name', headers: { cookie: `authjs.session-token=${await v5Token('other')}` } },
      { what: 'an unprefixed cookie on https', headers: { cookie: `authjs.session-token=${await v5Token('authjs.session-token')}` }, params: { secureCookie: true } },
    ];
    for (const { what, headers, params } of cases) {
      const theirs = sub(await jwt.getToken({ req: req(headers), secret: SECRET, ...params }));
      const ours = sub(await getToken({ req: req(headers), secret: SECRET, ...params }));
      assert.equal(ours, theirs, what);
    }
    assert.equal(sub(await getToken({ req: req({ cookie: `authjs.session-token=${await v5Token('authjs.session-token')}` }), secret: SECRET })), 'u-authjs.session-token', 'v5 reads it, so do we');
    assert.equal(sub(await getToken({ req: req({ cookie: `authjs.session-token=${await v5Token('authjs.session-token')}` }), secret: 'another-secret-0123456789abcdef0123' })), null, 'not with another secret');
    const v4 = await encode({ token: { sub: 'v4-user' }, secret: SECRET });
    assert.equal(sub(await getToken({ req: req({ cookie: `next-auth.session-token=${v4}; authjs.session-token=${await v5Token('authjs.session-token')}` }), secret: SECRET })), 'v4-user', "v4's cookie first");
    const seen: unknown[] = [];
    await getToken({ req: req({ cookie: `authjs.session-token=x` }), secret: SECRET, decode: async (p) => (seen.push(p.salt), null) });
    await getToken({ req: req({ cookie: `next-auth.session-token=x` }), secret: SECRET, decode: async (p) => (seen.push(p.salt), null) });
    assert.deepEqual(seen, ['authjs.session-token', undefined], 'a custom decode is given the salt of a v5 cookie only');
  });

  test('refused: expired, tampered, another salt, a zip header; a clean sign-out clears the v5 cookie', async () => {
    const auth = gatehouse();
    const expired = await jwt.encode({ token: { sub: 'u7' }, secret: SECRET, salt: 'authjs.session-token', maxAge: -60 });
    assert.deepEqual((await sessionOf(auth, `authjs.session-token=${expired}`)).body, {});
    const good = await jwt.encode({ token: { sub: 'u7', name: 'Gil' }, secret: SECRET, salt: 'authjs.session-token' });
    const parts = good.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    assert.deepEqual((await sessionOf(auth, `authjs.session-token=${[parts[0], '', parts[2], flipped, parts[4]].join('.')}`)).body, {});
    const otherSalt = await jwt.encode({ token: { sub: 'u7' }, secret: SECRET, salt: 'authjs.other' });
    assert.deepEqual((await sessionOf(auth, `authjs.session-token=${otherSalt}`)).body, {});
    const zipHeader = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256CBC-HS512', zip: 'DEF' })).toString('base64url');
    assert.deepEqual((await sessionOf(auth, `authjs.session-token=${[zipHeader, ...parts.slice(1)].join('.')}`)).body, {});

    const csrf = await auth.handler(new Request('http://localhost:3000/api/auth/csrf'));
    const jar = setCookies(csrf);
    jar.set('authjs.session-token', good);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const out = await auth.handler(
      new Request('http://localhost:3000/api/auth/signout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
        body: new URLSearchParams({ csrfToken }),
      }),
    );
    assert.equal(setCookies(out).get('authjs.session-token'), '');
  });

  test('getSession (server helpers, read-only) reads a v5 cookie without writing', async () => {
    const token = await jwt.encode({ token: { sub: 'u8', name: 'Hal' }, secret: SECRET, salt: 'authjs.session-token' });
    const session = await gatehouse().getSession(new Headers({ cookie: `authjs.session-token=${token}` }));
    assert.equal(session?.user?.name, 'Hal');
  });

  test('database sessions: a v5 cookie holding the raw token of a stored row', async () => {
    const adapter = memoryAdapter();
    const user = await adapter.createUser({ email: 'ivy@example.com', name: 'Ivy', emailVerified: null });
    const sessionToken = crypto.randomUUID();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) });
    const auth = gatehouse({ adapter });
    const { body, cookies } = await sessionOf(auth, `authjs.session-token=${sessionToken}`);
    assert.equal(body.user?.name, 'Ivy');
    assert.equal(cookies.get('next-auth.session-token'), sessionToken, "the same token, under gatehouse's name");
    assert.equal(cookies.get('authjs.session-token'), '');
  });
});

const PG_ADAPTER = new URL('../peers-adapters/node_modules/@auth/pg-adapter/index.js', import.meta.url);
const pgSkip =
  (await serviceSkipReason(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port} (database ${POSTGRES.database})`, async () => {
    const client = new pg.Client(POSTGRES);
    await client.connect();
    await client.end();
  })) ?? (existsSync(PG_ADAPTER) ? undefined : '@auth/pg-adapter is not installed: run `npm install` in test/peers-adapters');
if (pgSkip) console.warn(`\n*** SKIPPED (v5 database sessions on PostgreSQL): ${pgSkip} ***\n`);

/** The schema @auth/pg-adapter documents: what a v5 app on it has. */
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

describe('v5 database sessions written by @auth/pg-adapter, read by gatehouse-auth/adapters/postgres', { skip: missing ?? pgSkip ?? false }, () => {
  let fixture: PgFixture;
  let pool: pg.Pool;
  let ours: SqlAdapter;
  before(async () => {
    fixture = await createPgFixture();
    await fixture.admin.query(AUTH_PG_SCHEMA);
    pool = new pg.Pool(fixture.connection);
    pool.on('error', () => undefined);
    ours = postgresAdapter(fixture.connection);
    // Adds gatehouse's own tables (the session index) beside the @auth ones, as MIGRATING.md says.
    await ours.migrate();
  });
  after(async () => {
    await ours?.close();
    await pool?.end();
    await fixture?.drop();
  });

  test('the row @auth/pg-adapter created opens under __Secure-authjs.session-token, moves cookie, and is hashed', async () => {
    const { default: PostgresAdapter } = (await import(PG_ADAPTER.href)) as { default: (pool: pg.Pool) => Required<Adapter> };
    const v5 = PostgresAdapter(pool);
    // What @auth/core's callback does for a database session: a user, then a row with a random UUID.
    const user = await v5.createUser({ id: '', email: 'jo@example.com', name: 'Jo', emailVerified: null } as never);
    const sessionToken = crypto.randomUUID();
    await v5.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) });

    const auth = gatehouse({ adapter: ours, url: 'https://app.example.com/api/auth' });
    const { body, cookies } = await sessionOf(auth, `__Secure-authjs.session-token=${sessionToken}`, 'https://app.example.com');
    assert.deepEqual(body.user, { name: 'Jo', email: 'jo@example.com', image: null });
    assert.equal(cookies.get('__Secure-next-auth.session-token'), sessionToken);
    assert.equal(cookies.get('__Secure-authjs.session-token'), '');
    const { rows } = await fixture.admin.query<{ sessionToken: string }>('SELECT "sessionToken" FROM sessions');
    assert.match(rows[0]!.sessionToken, /^sha256:[0-9a-f]{64}$/, 'upgraded to the hash on first use');
    const again = await sessionOf(auth, `__Secure-next-auth.session-token=${sessionToken}`, 'https://app.example.com');
    assert.equal(again.body.user?.name, 'Jo');
  });
});
