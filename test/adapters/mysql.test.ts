// gatehouse-auth/adapters/mysql on the real MariaDB: the conformance suite in a fresh database per run, plus migrate() and legacy upgrades.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { runAdapterConformance, type Interruption, type StorageProbe } from '../../src/adapters/conformance.js';
import { mysqlAdapter, type SqlAdapter } from '../../src/adapters/mysql.js';
import { MARIADB, runName, serviceSkipReason, until } from './services.js';
import { rawPasskey } from './passkey-row.js';

const skip = await serviceSkipReason(`MariaDB/MySQL at ${MARIADB.host}:${MARIADB.port}`, async () => {
  const connection = await mysql.createConnection(MARIADB);
  await connection.end();
});

interface Fixture {
  database: string;
  /** A connection with no default database, so the processlist tells it apart from the adapter's. */
  admin: mysql.Connection;
  drop(): Promise<void>;
}

async function createFixture(): Promise<Fixture> {
  const database = runName();
  const admin = await mysql.createConnection({ ...MARIADB, timezone: 'Z' });
  await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  return {
    database,
    admin,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    },
  };
}

function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return (result as [Array<Record<string, unknown>>])[0];
}

let fixture: Fixture;
let adapter: SqlAdapter;

const storage: StorageProbe = {
  async sessions(userId) {
    const rows = rowsOf(await fixture.admin.query(`SELECT sessionToken, expires FROM ${fixture.database}.sessions WHERE userId = ?`, [userId]));
    return rows as Array<{ sessionToken: string; expires: Date }>;
  },
  async accounts(userId) {
    return rowsOf(await fixture.admin.query(`SELECT * FROM ${fixture.database}.accounts WHERE userId = ?`, [userId]));
  },
  async verificationTokens(identifier) {
    const rows = rowsOf(await fixture.admin.query(`SELECT token, expires FROM ${fixture.database}.verification_token WHERE identifier = ?`, [identifier]));
    return rows as Array<{ token: string; expires: Date }>;
  },
  async passwordHash(userId) {
    const rows = rowsOf(await fixture.admin.query(`SELECT hash FROM ${fixture.database}.gatehouse_passwords WHERE \`userId\` = ?`, [userId]));
    return rows[0] ? String(rows[0].hash) : null;
  },
  async insertLegacySession(session) {
    await fixture.admin.query(`INSERT INTO ${fixture.database}.sessions (sessionToken, userId, expires) VALUES (?, ?, ?)`, [session.sessionToken, session.userId, session.expires]);
  },
};

async function adapterThreads(extra = ''): Promise<number[]> {
  const rows = rowsOf(await fixture.admin.query(`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID() ${extra}`, [fixture.database]));
  return rows.map((row) => Number(row.id));
}

runAdapterConformance({
  name: 'mysql (MariaDB, pool from options)',
  ...(skip === undefined ? {} : { skip }),
  async adapter() {
    fixture = await createFixture();
    adapter = mysqlAdapter({ ...MARIADB, database: fixture.database, connectionLimit: 4 });
    await adapter.migrate();
    await adapter.migrate();
    return adapter;
  },
  async cleanup() {
    await adapter?.close();
    await fixture?.drop();
  },
  storage,
  interrupt: {
    async dropConnections() {
      for (const id of await adapterThreads()) await fixture.admin.query(`KILL ${id}`);
    },
    async deleteUser(userId): Promise<Interruption> {
      // Another transaction holds the user's row: the adapter's DELETE FROM users waits on it.
      const locker = await mysql.createConnection(MARIADB);
      await locker.beginTransaction();
      await locker.query(`SELECT id FROM ${fixture.database}.users WHERE id = ? FOR UPDATE`, [userId]);
      return {
        async strike() {
          // The adapter's thread, stuck in its DELETE FROM users (the row lock; InnoDB may list the wait under another thread id).
          const waiting = await until('the adapter to wait on the row lock', async () => {
            const rows = rowsOf(
              await fixture.admin.query("SELECT ID AS id, STATE AS state FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE 'DELETE FROM users %'", [fixture.database]),
            );
            return rows[0] ? Number(rows[0].id) : undefined;
          });
          await fixture.admin.query(`KILL ${waiting}`);
        },
        async release() {
          await locker.rollback();
          await locker.end();
        },
      };
    },
  },
});

describe('mysql: schema and lifecycle', { skip }, () => {
  let own: Fixture;
  before(async () => {
    own = await createFixture();
  });
  after(async () => {
    await own?.drop();
  });

  test('migrate() is idempotent and creates the four @auth tables and the rate-limit table, with a binary collation', async (t) => {
    const adapters = Array.from({ length: 3 }, () => mysqlAdapter({ ...MARIADB, database: own.database }));
    // Closed even when an assertion fails: an open pool would keep the test process alive.
    t.after(() => Promise.all(adapters.map((one) => one.close())));
    await Promise.all(adapters.map((one) => one.migrate()));
    await Promise.all(adapters.map((one) => one.migrate()));
    const rows = rowsOf(await own.admin.query('SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [own.database]));
    assert.deepEqual(
      rows.map((row) => `${row.name}:${row.collation}`),
      [
        'accounts:utf8mb4_bin',
        'gatehouse_authenticators:utf8mb4_bin',
        'gatehouse_backup_codes:utf8mb4_bin',
        'gatehouse_leases:utf8mb4_bin',
        'gatehouse_passwords:utf8mb4_bin',
        'gatehouse_rate_limits:utf8mb4_bin',
        'gatehouse_revoked_sessions:utf8mb4_bin',
        'gatehouse_sessions:utf8mb4_bin',
        'gatehouse_two_factor:utf8mb4_bin',
        'sessions:utf8mb4_bin',
        'users:utf8mb4_bin',
        'verification_token:utf8mb4_bin',
      ],
    );
  });

  test('upgradeLegacySessions() hashes every raw next-auth row, and those sessions keep working', async (t) => {
    const one = mysqlAdapter({ ...MARIADB, database: own.database });
    t.after(() => one.close());
    await one.migrate();
    const user = await one.createUser({ email: 'legacy@example.com', emailVerified: null });
    const raw = Array.from({ length: 3 }, () => crypto.randomUUID());
    for (const token of raw) {
      await own.admin.query(`INSERT INTO ${own.database}.sessions (sessionToken, userId, expires) VALUES (?, ?, ?)`, [token, user.id, new Date(Date.now() + 86_400_000)]);
    }
    assert.equal(await one.upgradeLegacySessions(), 3);
    assert.equal(await one.upgradeLegacySessions(), 0);
    for (const token of raw) assert.equal((await one.getSessionAndUser(token))?.user.id, user.id);
  });

  test('a passkey is a row as the @auth schema keeps it: transports comma-separated, the 32-bit counter, times in ms', async (t) => {
    const one = mysqlAdapter({ ...MARIADB, database: own.database });
    t.after(() => one.close());
    await one.migrate();
    assert.equal(await one.authenticatorStore().createAuthenticator(rawPasskey('my-raw-cred')), true);
    const rows = rowsOf(await own.admin.query(`SELECT * FROM ${own.database}.gatehouse_authenticators WHERE credential_id = ?`, ['my-raw-cred']));
    assert.deepEqual(rows, [
      {
        credential_id: 'my-raw-cred',
        user_id: 'user-raw',
        public_key: 'pQECAyYgASFYIA',
        counter: 4294967295,
        transports: 'internal,hybrid',
        backed_up: 1,
        device_type: 'multiDevice',
        name: null,
        created_at: 1767000000123,
        last_used_at: null,
      },
    ]);
  });

  test('deleteUser on a database migrated before passkeys (no gatehouse_authenticators) still deletes the user and everything else', async (t) => {
    const one = mysqlAdapter({ ...MARIADB, database: own.database });
    t.after(() => one.close());
    await one.migrate();
    await own.admin.query(`DROP TABLE ${own.database}.gatehouse_authenticators`);
    const user = await one.createUser({ email: 'before-passkeys@example.com', emailVerified: null });
    await one.createSession({ sessionToken: 'before-passkeys', userId: user.id, expires: new Date(Date.now() + 60_000) });
    assert.equal((await one.deleteUser(user.id))?.id, user.id);
    assert.equal(await one.getUser(user.id), null);
    assert.equal(await one.getSessionAndUser('before-passkeys'), null);
    await one.migrate();
    const tables = rowsOf(await own.admin.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [own.database, 'gatehouse_authenticators']));
    assert.equal(tables.length, 1, 'migrate() adds the table');
  });

  test('a pool passed in (promise or callback API) is used and left open', async (t) => {
    const pool = mysql.createPool({ ...MARIADB, database: own.database, timezone: 'Z' });
    t.after(() => pool.end());
    const given = mysqlAdapter(pool);
    await given.migrate();
    const user = await given.createUser({ email: 'pool@example.com', emailVerified: new Date(0) });
    await given.close();
    const [rows] = await pool.query('SELECT email FROM users WHERE id = ?', [user.id]);
    assert.deepEqual(rows, [{ email: 'pool@example.com' }]);
  });
});
