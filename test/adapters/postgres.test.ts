// gatehouse-auth/adapters/postgres on the real PostgreSQL: the conformance suite on a pool and on a single client, plus migrate() and legacy upgrades.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { runAdapterConformance } from '../../src/adapters/conformance.js';
import { postgresAdapter, type SqlAdapter } from '../../src/adapters/postgres.js';
import { createPgFixture, type PgFixture } from './pg-fixture.js';
import { POSTGRES, serviceSkipReason } from './services.js';
import { rawPasskey } from './passkey-row.js';

const skip = await serviceSkipReason(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port} (database ${POSTGRES.database})`, async () => {
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.end();
});

function suite(name: string, open: (fixture: PgFixture) => Promise<{ adapter: SqlAdapter; close(): Promise<void> }>, withInterrupts: boolean) {
  let fixture: PgFixture;
  let opened: { adapter: SqlAdapter; close(): Promise<void> };
  runAdapterConformance({
    name,
    ...(skip === undefined ? {} : { skip }),
    async adapter() {
      fixture = await createPgFixture();
      opened = await open(fixture);
      await opened.adapter.migrate();
      // Idempotent: a second run on a migrated schema changes nothing and does not fail.
      await opened.adapter.migrate();
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
      passwordHash: (userId) => fixture.storage.passwordHash!(userId),
    },
    ...(withInterrupts
      ? {
          interrupt: {
            dropConnections: () => fixture.interrupt.dropConnections!(),
            deleteUser: (userId: string) => fixture.interrupt.deleteUser!(userId),
          },
        }
      : {}),
  });
}

suite(
  'postgres (pool from options)',
  async (fixture) => {
    const adapter = postgresAdapter(fixture.connection);
    return { adapter, close: () => adapter.close() };
  },
  true,
);

// One pg.Client: the adapter serialises its own calls. A killed client never reconnects, so no interrupts here.
suite(
  'postgres (single pg.Client)',
  async (fixture) => {
    const client = new pg.Client(fixture.connection);
    await client.connect();
    return { adapter: postgresAdapter(client), close: () => client.end() };
  },
  false,
);

describe('postgres: schema and lifecycle', { skip }, () => {
  let fixture: PgFixture;
  before(async () => {
    fixture = await createPgFixture();
  });
  after(async () => {
    await fixture?.drop();
  });

  test('migrate() run by several instances at once creates the schema once', async (t) => {
    const adapters = Array.from({ length: 3 }, () => postgresAdapter(fixture.connection));
    // Closed even when an assertion fails: an open pool would keep the test process alive.
    t.after(() => Promise.all(adapters.map((adapter) => adapter.close())));
    await Promise.all(adapters.map((adapter) => adapter.migrate()));
    await Promise.all(adapters.map((adapter) => adapter.migrate()));
    const { rows } = await fixture.admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [fixture.schema]);
    assert.deepEqual(
      rows.map((row) => row.table_name),
      [
        'accounts',
        'gatehouse_authenticators',
        'gatehouse_backup_codes',
        'gatehouse_leases',
        'gatehouse_passwords',
        'gatehouse_rate_limits',
        'gatehouse_revoked_sessions',
        'gatehouse_sessions',
        'gatehouse_two_factor',
        'sessions',
        'users',
        'verification_token',
      ],
    );
  });

  test('upgradeLegacySessions() hashes every raw next-auth row, and those sessions keep working', async (t) => {
    const adapter = postgresAdapter(fixture.connection);
    t.after(() => adapter.close());
    await adapter.migrate();
    const user = await adapter.createUser({ email: 'legacy@example.com', emailVerified: null });
    const raw = Array.from({ length: 3 }, () => crypto.randomUUID());
    for (const token of raw) {
      await fixture.admin.query('INSERT INTO sessions ("sessionToken", "userId", expires) VALUES ($1, $2, $3)', [token, user.id, new Date(Date.now() + 86_400_000)]);
    }
    assert.equal(await adapter.upgradeLegacySessions(), 3);
    assert.equal(await adapter.upgradeLegacySessions(), 0);
    const { rows } = await fixture.admin.query('SELECT "sessionToken" FROM sessions WHERE "userId" = $1', [user.id]);
    assert.ok(rows.every((row) => String(row.sessionToken).startsWith('sha256:')));
    for (const token of raw) assert.equal((await adapter.getSessionAndUser(token))?.user.id, user.id);
  });

  test('a passkey is a row as the @auth schema keeps it: transports comma-separated, the 32-bit counter, times in ms', async (t) => {
    const adapter = postgresAdapter(fixture.connection);
    t.after(() => adapter.close());
    await adapter.migrate();
    assert.equal(await adapter.authenticatorStore().createAuthenticator(rawPasskey('pg-raw-cred')), true);
    const { rows } = await fixture.admin.query('SELECT * FROM gatehouse_authenticators WHERE credential_id = $1', ['pg-raw-cred']);
    assert.deepEqual(rows, [
      {
        credential_id: 'pg-raw-cred',
        user_id: 'user-raw',
        public_key: 'pQECAyYgASFYIA',
        counter: '4294967295',
        transports: 'internal,hybrid',
        backed_up: 1,
        device_type: 'multiDevice',
        name: null,
        created_at: '1767000000123',
        last_used_at: null,
      },
    ]);
  });

  test('deleteUser on a database migrated before passkeys (no gatehouse_authenticators) still deletes the user and everything else', async (t) => {
    const adapter = postgresAdapter(fixture.connection);
    t.after(() => adapter.close());
    await adapter.migrate();
    await fixture.admin.query('DROP TABLE gatehouse_authenticators');
    const user = await adapter.createUser({ email: 'before-passkeys@example.com', emailVerified: null });
    await adapter.createSession({ sessionToken: 'before-passkeys', userId: user.id, expires: new Date(Date.now() + 60_000) });
    // PostgreSQL aborts a transaction at its first error: without the savepoint the missing table would fail the whole delete.
    assert.equal((await adapter.deleteUser(user.id))?.id, user.id);
    assert.equal(await adapter.getUser(user.id), null);
    assert.equal(await adapter.getSessionAndUser('before-passkeys'), null);
    await adapter.migrate();
    assert.equal((await fixture.admin.query("SELECT to_regclass('gatehouse_authenticators') IS NOT NULL AS present")).rows[0].present, true, 'migrate() adds the table');
  });

  test('close() ends a pool the adapter made, and leaves a pool it was given open', async (t) => {
    const pool = new pg.Pool(fixture.connection);
    t.after(() => pool.end());
    const given = postgresAdapter(pool);
    await given.migrate();
    await given.close();
    assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1);
  });
});
