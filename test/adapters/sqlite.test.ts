// gatehouse-auth/adapters/sqlite on a real database file: the conformance suite, two connections on one file, migrate() and legacy upgrades.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { runAdapterConformance, type StorageProbe } from '../../src/adapters/conformance.js';
import { sqliteAdapter, type SqlAdapter } from '../../src/adapters/sqlite.js';
import { rawPasskey } from './passkey-row.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A second connection on the same file, as another process would have: raw reads, legacy rows, triggers. */
function probeOf(file: string): { db: Database.Database; storage: StorageProbe } {
  const db = new Database(file, { timeout: 5000 });
  const storage: StorageProbe = {
    async sessions(userId) {
      const rows = db.prepare<[string], { sessionToken: string; expires: string }>('SELECT "sessionToken", expires FROM sessions WHERE "userId" = ?').all(userId);
      return rows.map((row) => ({ sessionToken: row.sessionToken, expires: new Date(row.expires) }));
    },
    async accounts(userId) {
      return db.prepare<[string], Record<string, unknown>>('SELECT * FROM accounts WHERE "userId" = ?').all(userId);
    },
    async verificationTokens(identifier) {
      const rows = db.prepare<[string], { token: string; expires: string }>('SELECT token, expires FROM verification_token WHERE identifier = ?').all(identifier);
      return rows.map((row) => ({ token: row.token, expires: new Date(row.expires) }));
    },
    async passwordHash(userId) {
      return db.prepare<[string], { hash: string }>('SELECT hash FROM gatehouse_passwords WHERE "userId" = ?').get(userId)?.hash ?? null;
    },
    async insertLegacySession(session) {
      db.prepare('INSERT INTO sessions ("sessionToken", "userId", expires) VALUES (?, ?, ?)').run(session.sessionToken, session.userId, session.expires.toISOString());
    },
  };
  return { db, storage };
}

const file = join(dir, 'nested', 'folder', 'auth.sqlite');
let adapter: SqlAdapter;
let probe: ReturnType<typeof probeOf>;

runAdapterConformance({
  name: 'sqlite (file, better-sqlite3)',
  async adapter() {
    // The folder does not exist yet: a first run creates it.
    adapter = sqliteAdapter(file);
    await adapter.migrate();
    await adapter.migrate();
    probe = probeOf(file);
    return adapter;
  },
  async cleanup() {
    await adapter?.close();
    probe?.db.close();
  },
  storage: {
    sessions: (userId) => probe.storage.sessions(userId),
    accounts: (userId) => probe.storage.accounts(userId),
    verificationTokens: (identifier) => probe.storage.verificationTokens(identifier),
    insertLegacySession: (session) => probe.storage.insertLegacySession!(session),
    passwordHash: (userId) => probe.storage.passwordHash!(userId),
  },
  interrupt: {
    // Embedded: there is no connection to drop. A trigger fails the last step of deleteUser instead.
    async deleteUser(userId) {
      const name = `gh_interrupt_${userId.replaceAll('-', '_')}`;
      probe.db.exec(`CREATE TRIGGER "${name}" BEFORE DELETE ON users WHEN OLD.id = '${userId}' BEGIN SELECT RAISE(ABORT, 'interrupted by the test'); END`);
      return {
        async strike() {},
        async release() {
          probe.db.exec(`DROP TRIGGER IF EXISTS "${name}"`);
        },
      };
    },
  },
});

describe('sqlite: several connections, schema and lifecycle', () => {
  test('two adapters on one file (two processes): a magic link still works exactly once', async () => {
    const shared = join(dir, 'shared.sqlite');
    const first = sqliteAdapter(shared);
    const second = sqliteAdapter({ filename: shared });
    await first.migrate();
    await second.migrate();
    for (let round = 0; round < 5; round++) {
      const token = { identifier: 'ann@example.com', token: `t${round}`, expires: new Date(Date.now() + 60_000) };
      await first.createVerificationToken(token);
      const results = await Promise.all([first, second, first, second].map((one) => one.useVerificationToken(token)));
      assert.equal(results.filter(Boolean).length, 1);
    }
    const user = await first.createUser({ email: 'ann@example.com', emailVerified: null });
    const session = await first.createSession({ sessionToken: 'tok', userId: user.id, expires: new Date(Date.now() + 60_000) });
    assert.equal((await second.getSessionAndUser(session.sessionToken))?.user.id, user.id);
    await second.deleteSession('tok');
    assert.equal(await first.getSessionAndUser('tok'), null);
    await first.close();
    await second.close();
  });

  test('a Database passed in is used with its own settings and left open', async () => {
    const db = new Database(':memory:');
    const given = sqliteAdapter(db);
    await given.migrate();
    const user = await given.createUser({ email: 'mem@example.com', emailVerified: new Date(0) });
    await given.close();
    assert.deepEqual(db.prepare('SELECT email, "emailVerified" FROM users WHERE id = ?').get(user.id), {
      email: 'mem@example.com',
      emailVerified: '1970-01-01T00:00:00.000Z',
    });
    db.close();
  });

  test('upgradeLegacySessions() hashes every raw next-auth row, and those sessions keep working', async () => {
    const legacyFile = join(dir, 'legacy.sqlite');
    const one = sqliteAdapter(legacyFile);
    await one.migrate();
    const user = await one.createUser({ email: 'legacy@example.com', emailVerified: null });
    const { db, storage } = probeOf(legacyFile);
    const raw = Array.from({ length: 3 }, () => crypto.randomUUID());
    for (const token of raw) await storage.insertLegacySession!({ sessionToken: token, userId: user.id, expires: new Date(Date.now() + 60_000) });
    assert.equal(await one.upgradeLegacySessions(), 3);
    assert.equal(await one.upgradeLegacySessions(), 0);
    assert.ok((await storage.sessions(user.id)).every((row) => row.sessionToken.startsWith('sha256:')));
    for (const token of raw) assert.equal((await one.getSessionAndUser(token))?.user.id, user.id);
    db.close();
    await one.close();
  });

  test('a passkey is a row as the @auth schema keeps it: transports comma-separated, the 32-bit counter, times in ms', async () => {
    const db = new Database(':memory:');
    const given = sqliteAdapter(db);
    await given.migrate();
    assert.equal(await given.authenticatorStore().createAuthenticator(rawPasskey('sq-raw-cred')), true);
    assert.deepEqual(db.prepare('SELECT * FROM gatehouse_authenticators').all(), [
      {
        credential_id: 'sq-raw-cred',
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
    await given.close();
    db.close();
  });

  test('deleteUser on a database migrated before passkeys (no gatehouse_authenticators) still deletes the user and everything else', async () => {
    const db = new Database(':memory:');
    const given = sqliteAdapter(db);
    await given.migrate();
    db.exec('DROP TABLE gatehouse_authenticators');
    const user = await given.createUser({ email: 'before-passkeys@example.com', emailVerified: null });
    await given.createSession({ sessionToken: 'before-passkeys', userId: user.id, expires: new Date(Date.now() + 60_000) });
    assert.equal((await given.deleteUser(user.id))?.id, user.id);
    assert.equal(await given.getUser(user.id), null);
    assert.equal(await given.getSessionAndUser('before-passkeys'), null);
    await given.migrate();
    assert.equal(db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'gatehouse_authenticators'").get()?.n, 1, 'migrate() adds the table');
    await given.close();
    db.close();
  });

  test('a database made with integer ids (another tool) gets database-assigned ids', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE, "emailVerified" TEXT, image TEXT)');
    const given = sqliteAdapter(db);
    await given.migrate();
    const first = await given.createUser({ email: 'one@example.com', emailVerified: null });
    const second = await given.createUser({ email: 'two@example.com', emailVerified: null });
    assert.deepEqual([first.id, second.id], ['1', '2']);
    assert.equal((await given.getUser('2'))?.email, 'two@example.com');
    assert.equal(await given.getUser('2abc'), null);
    await given.close();
    db.close();
  });
});
