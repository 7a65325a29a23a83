// A published adapter plugs in unchanged: @auth/pg-adapter runs the conformance suite on the real PostgreSQL, and shares a database with gatehouse's.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { runAdapterConformance, warnSkipped } from '../../src/adapters/conformance.js';
import { postgresAdapter, type SqlAdapter } from '../../src/adapters/postgres.js';
import type { Adapter } from '../../src/adapters/types.js';
import { createPgFixture, type PgFixture } from './pg-fixture.js';
import { POSTGRES, REQUIRE_SERVICES, serviceSkipReason } from './services.js';

/** Installed apart from gatehouse's own dependencies: `npm install` in test/peers-adapters. */
const entry = new URL('../peers-adapters/node_modules/@auth/pg-adapter/index.js', import.meta.url);

async function loadPublished(): Promise<{ adapter?: (pool: pg.Pool) => Adapter; skip?: string }> {
  if (!existsSync(entry)) {
    const reason = '@auth/pg-adapter is not installed: run `npm install` in test/peers-adapters';
    if (REQUIRE_SERVICES) throw new Error(`GATEHOUSE_REQUIRE_SERVICES=1 and ${reason}`);
    return { skip: reason };
  }
  const module = (await import(entry.href)) as { default: (pool: pg.Pool) => Adapter };
  return { adapter: module.default };
}

const serverSkip = await serviceSkipReason(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port} (database ${POSTGRES.database})`, async () => {
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.end();
});
const published = await loadPublished();
const skip = serverSkip ?? published.skip;
if (published.skip && !serverSkip) warnSkipped('@auth/pg-adapter interop', published.skip);

/** The schema @auth/pg-adapter documents (schema.sql in nextauthjs/next-auth, packages/adapter-pg): SERIAL ids. */
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

/** What the published adapter does differently, by design or by quirk; each test is skipped with this reason. */
const PUBLISHED_DIFFERENCES = {
  'updateUser of an unknown id is refused': '@auth/pg-adapter returns undefined instead of throwing',
  'session tokens are stored hashed, never as given': '@auth/pg-adapter stores session tokens as given',
  'a stored session value is not accepted as a session token': '@auth/pg-adapter stores session tokens as given, so the stored value is the token',
  'a session written raw by next-auth still works and is upgraded to its hash': '@auth/pg-adapter keeps every session raw: there is nothing to upgrade',
};

interface Opened {
  adapter: Adapter;
  close(): Promise<void>;
  migrate?(): Promise<void>;
}

function suite(name: string, schema: 'auth' | 'gatehouse', make: (fixture: PgFixture) => Opened, exclude = {}) {
  let fixture: PgFixture;
  let opened: Opened;
  runAdapterConformance({
    name,
    ...(skip === undefined ? {} : { skip }),
    exclude,
    async adapter() {
      fixture = await createPgFixture();
      if (schema === 'auth') await fixture.admin.query(AUTH_PG_SCHEMA);
      else {
        const migrator = postgresAdapter(fixture.connection);
        await migrator.migrate();
        await migrator.close();
      }
      opened = make(fixture);
      await opened.migrate?.();
      return opened.adapter;
    },
    async cleanup() {
      await opened?.close();
      await fixture?.drop();
    },
    storage: {
      sessions: (userId) => fixture.storage.sessions(userId),
      accounts: (userId) => fixture.storage.accounts(userId),
      verificationTokens: (identifier) => fixture.storage.verificationTokens(identifier),
      insertLegacySession: (session) => fixture.storage.insertLegacySession!(session),
    },
    interrupt: {
      dropConnections: () => fixture.interrupt.dropConnections!(),
      deleteUser: (userId) => fixture.interrupt.deleteUser!(userId),
    },
  });
}

function publishedOn(fixture: PgFixture) {
  const pool = new pg.Pool(fixture.connection);
  // The app's job with any pg pool: without a listener a dropped idle connection ends the process.
  pool.on('error', () => undefined);
  return { adapter: published.adapter!(pool), close: () => pool.end() };
}

suite('@auth/pg-adapter (published, unchanged) on its own schema', 'auth', publishedOn, {
  ...PUBLISHED_DIFFERENCES,
  'deleteUser of an unknown id resolves': '@auth/pg-adapter passes a non-numeric id to an INTEGER column in deleteUser, which PostgreSQL refuses',
});

// migrate() on the existing @auth schema, as a switching app would run it: it adds only gatehouse's own pieces.
suite('gatehouse postgres on a database made by @auth/pg-adapter (SERIAL ids, raw sessions)', 'auth', (fixture) => {
  const adapter = postgresAdapter(fixture.connection);
  return { adapter, close: () => adapter.close(), migrate: () => adapter.migrate() };
});

suite('@auth/pg-adapter (published, unchanged) on a schema made by gatehouse migrate()', 'gatehouse', publishedOn, PUBLISHED_DIFFERENCES);

describe('switching an @auth/pg-adapter database to gatehouse', { skip }, () => {
  let fixture: PgFixture;
  let pool: pg.Pool;
  let theirs: Adapter;
  let ours: SqlAdapter;
  before(async () => {
    fixture = await createPgFixture();
    await fixture.admin.query(AUTH_PG_SCHEMA);
    pool = new pg.Pool(fixture.connection);
    pool.on('error', () => undefined);
    theirs = published.adapter!(pool);
    ours = postgresAdapter(fixture.connection);
    await ours.migrate();
  });
  after(async () => {
    await ours?.close();
    await pool?.end();
    await fixture?.drop();
  });

  test('users, accounts and signed-in sessions written by next-auth keep working, and the session row is hashed on first use', async () => {
    const user = await theirs.createUser!({ email: 'ann@example.com', emailVerified: new Date(0), name: 'Ann' });
    await theirs.linkAccount!({ userId: user.id, type: 'oauth', provider: 'github', providerAccountId: '42', access_token: 'gho_x' });
    const sessionToken = crypto.randomUUID();
    const expires = new Date(Date.now() + 86_400_000);
    await theirs.createSession!({ sessionToken, userId: user.id, expires });

    assert.equal((await ours.getUserByEmail('ann@example.com'))?.id, String(user.id));
    assert.equal((await ours.getUserByAccount({ provider: 'github', providerAccountId: '42' }))?.name, 'Ann');
    const found = await ours.getSessionAndUser(sessionToken);
    assert.equal(found?.user.id, String(user.id));
    assert.equal(found?.session.expires.valueOf(), expires.valueOf());
    const { rows } = await fixture.admin.query('SELECT "sessionToken" FROM sessions');
    assert.deepEqual(rows, [{ sessionToken: `sha256:${await sha256(sessionToken)}` }]);
    assert.equal((await ours.getSessionAndUser(sessionToken))?.user.id, String(user.id));
  });

  test('users gatehouse creates get the SERIAL ids the schema assigns, and next-auth reads them', async () => {
    const created = await ours.createUser({ email: 'bob@example.com', emailVerified: null, name: 'Bob' });
    assert.match(created.id, /^[0-9]+$/);
    assert.equal((await theirs.getUserByEmail!('bob@example.com'))?.name, 'Bob');
    assert.equal(String((await theirs.getUser!(created.id))?.id), created.id);
  });
});

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex');
}
