// gatehouse-auth/adapters/sqlite: the shared SQL adapter on better-sqlite3, the embedded default (a file, no server).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadDriver } from './load.js';
import { createSqlAdapter, type SqlAdapter } from './sql/adapter.js';
import { errorCode, Mutex, type SqlDialect, type SqlDriver, type SqlExecutor, type SqlResult } from './sql/driver.js';

export type { SqlAdapter } from './sql/adapter.js';
export { AdapterError } from './errors.js';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], Record<string, unknown>>;

/** A better-sqlite3 `Database`, or the path of the file to open (`:memory:` for a throwaway one). */
export type SqliteConnection = Database | string | { filename: string; options?: BetterSqlite3.Options };

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  schema: [
    `CREATE TABLE IF NOT EXISTS users (
      id TEXT NOT NULL PRIMARY KEY,
      name TEXT,
      email TEXT UNIQUE,
      "emailVerified" TEXT,
      image TEXT
    )`,
    `CREATE TABLE IF NOT EXISTS accounts (
      id INTEGER PRIMARY KEY,
      "userId" TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      provider TEXT NOT NULL,
      "providerAccountId" TEXT NOT NULL,
      refresh_token TEXT,
      access_token TEXT,
      expires_at INTEGER,
      id_token TEXT,
      scope TEXT,
      session_state TEXT,
      token_type TEXT,
      UNIQUE (provider, "providerAccountId")
    )`,
    `CREATE TABLE IF NOT EXISTS sessions (
      id INTEGER PRIMARY KEY,
      "userId" TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      expires TEXT NOT NULL,
      "sessionToken" TEXT NOT NULL UNIQUE
    )`,
    `CREATE TABLE IF NOT EXISTS verification_token (
      identifier TEXT NOT NULL,
      expires TEXT NOT NULL,
      token TEXT NOT NULL,
      PRIMARY KEY (identifier, token)
    )`,
    'CREATE INDEX IF NOT EXISTS "accounts_userId_idx" ON accounts ("userId")',
    'CREATE INDEX IF NOT EXISTS "sessions_userId_idx" ON sessions ("userId")',
    // gatehouse's own: rate-limit windows shared by every instance (buckets are hashes, no emails or IPs).
    `CREATE TABLE IF NOT EXISTS gatehouse_rate_limits (
      bucket TEXT NOT NULL PRIMARY KEY,
      hits INTEGER NOT NULL,
      reset_at INTEGER NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS gatehouse_rate_limits_reset_at_idx ON gatehouse_rate_limits (reset_at)',
    // gatehouse's own: password hashes and lockout counters (the Password provider). No foreign key: see sql/passwords.ts.
    `CREATE TABLE IF NOT EXISTS gatehouse_passwords (
      "userId" TEXT NOT NULL PRIMARY KEY,
      hash TEXT NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0,
      lockouts INTEGER NOT NULL DEFAULT 0,
      locked_until INTEGER,
      updated_at INTEGER NOT NULL
    )`,
    // gatehouse's own session index: devices of each user (both strategies) and revoked JWT session ids.
    `CREATE TABLE IF NOT EXISTS gatehouse_sessions (
      id TEXT NOT NULL PRIMARY KEY,
      user_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_active_at INTEGER NOT NULL,
      expires INTEGER NOT NULL,
      user_agent TEXT,
      ip_address TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS gatehouse_sessions_user_id_idx ON gatehouse_sessions (user_id)',
    'CREATE INDEX IF NOT EXISTS gatehouse_sessions_expires_idx ON gatehouse_sessions (expires)',
    `CREATE TABLE IF NOT EXISTS gatehouse_revoked_sessions (
      id TEXT NOT NULL PRIMARY KEY,
      revoked_at INTEGER NOT NULL,
      expires INTEGER NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS gatehouse_revoked_sessions_revoked_at_idx ON gatehouse_revoked_sessions (revoked_at)',
    'CREATE INDEX IF NOT EXISTS gatehouse_revoked_sessions_expires_idx ON gatehouse_revoked_sessions (expires)',
    // gatehouse's own: leases shared by instances (the token refresher's), keyed by hashes.
    `CREATE TABLE IF NOT EXISTS gatehouse_leases (
      id TEXT NOT NULL PRIMARY KEY,
      value TEXT NOT NULL,
      expires INTEGER NOT NULL
    )`,
    // gatehouse's own: second factors (TOTP keys sealed with the instance secret; backup codes as SHA-256).
    `CREATE TABLE IF NOT EXISTS gatehouse_two_factor (
      user_id TEXT NOT NULL PRIMARY KEY,
      secret TEXT NOT NULL,
      enabled INTEGER NOT NULL,
      last_step INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS gatehouse_backup_codes (
      user_id TEXT NOT NULL,
      code_hash TEXT NOT NULL,
      PRIMARY KEY (user_id, code_hash)
    )`,
    // gatehouse's own: passkeys (WebAuthn credentials), the @auth schema's authenticators fields. No foreign key: see sql/authenticator-store.ts.
    `CREATE TABLE IF NOT EXISTS gatehouse_authenticators (
      credential_id TEXT NOT NULL PRIMARY KEY,
      user_id TEXT NOT NULL,
      public_key TEXT NOT NULL,
      counter INTEGER NOT NULL,
      transports TEXT,
      backed_up INTEGER NOT NULL,
      device_type TEXT NOT NULL,
      name TEXT,
      created_at INTEGER NOT NULL,
      last_used_at INTEGER
    )`,
    'CREATE INDEX IF NOT EXISTS gatehouse_authenticators_user_id_idx ON gatehouse_authenticators (user_id)',
  ],
  userIdTypeQuery: "SELECT type FROM pragma_table_info('users') WHERE name = 'id'",
  // Julian days to epoch milliseconds (2440587.5 is 1970-01-01): works on every SQLite version.
  nowMs: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
  returning: true,
  // ON CONFLICT … DO UPDATE is one atomic statement: parallel hits each get their own count.
  rateLimitHit:
    'INSERT INTO gatehouse_rate_limits (bucket, hits, reset_at) VALUES (?, 1, ?) ON CONFLICT (bucket) DO UPDATE SET ' +
    'hits = CASE WHEN gatehouse_rate_limits.reset_at <= ? THEN 1 ELSE gatehouse_rate_limits.hits + 1 END, ' +
    'reset_at = CASE WHEN gatehouse_rate_limits.reset_at <= ? THEN ? ELSE gatehouse_rate_limits.reset_at END RETURNING hits, reset_at',
  // SQLite has no date type. ISO 8601 in UTC has one width and sorts as it compares, so `expires > ?` works on text.
  passwordUpsert:
    'INSERT INTO gatehouse_passwords ("userId", hash, failures, lockouts, locked_until, updated_at) VALUES (?, ?, 0, 0, NULL, ?) ' +
    'ON CONFLICT ("userId") DO UPDATE SET hash = excluded.hash, failures = 0, lockouts = 0, locked_until = NULL, updated_at = excluded.updated_at',
  date: (value) => value.toISOString(),
  classify(error) {
    switch (errorCode(error)) {
      case 'SQLITE_CONSTRAINT_UNIQUE':
      case 'SQLITE_CONSTRAINT_PRIMARYKEY':
        return 'unique';
      case 'SQLITE_CONSTRAINT_FOREIGNKEY':
        return 'foreign-key';
      default:
        // better-sqlite3 reports a missing table as the generic SQLITE_ERROR; only the message tells.
        return error instanceof Error && /no such table/.test(error.message) ? 'missing-table' : null;
    }
  },
};

/**
 * better-sqlite3 waits for a lock synchronously: with its busy timeout at 5 s, a lock held by
 * another process (a backup, a long write) froze the whole event loop for 5 s, JWT requests and
 * all. The file is opened with a busy timeout of a few milliseconds instead, and a statement that
 * still finds the lock taken is retried here, asynchronously, with backoff up to `budgetMs`, so
 * the process serves everything else meanwhile. (createAuth's storeTimeout ends the request
 * sooner if it is shorter.)
 */
const NATIVE_BUSY_MS = 5;
const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;
const DEFAULT_BUSY_BUDGET_MS = 5000;

function isBusy(error: unknown): boolean {
  const code = errorCode(error);
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED');
}

async function whenFree<T>(budgetMs: number, step: () => T): Promise<T> {
  const giveUpAt = Date.now() + budgetMs;
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() + backoff > giveUpAt) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
  }
}

/**
 * better-sqlite3 is synchronous, so every statement already runs alone; the mutex only keeps
 * other calls from running between the statements of a transaction while it awaits.
 */
function databaseDriver(db: Database, owned: boolean, budgetMs: number): SqlDriver {
  const mutex = new Mutex();
  const statements = new Map<string, Statement>();

  function prepare(sql: string): Statement {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], Record<string, unknown>>(sql);
      statements.set(sql, statement);
    }
    return statement;
  }

  const direct: SqlExecutor = {
    run: (sql, params = []) =>
      whenFree(budgetMs, (): SqlResult => {
        const statement = prepare(sql);
        if (statement.reader) return { rows: statement.all(...params), affected: 0 };
        const info = statement.run(...params);
        return { rows: [], affected: info.changes, insertId: info.lastInsertRowid };
      }),
  };

  return {
    dialect: sqliteDialect,
    run: (sql, params) => mutex.run(() => direct.run(sql, params)),
    transaction: (fn) =>
      mutex.run(async () => {
        // IMMEDIATE takes the write lock at once: a deferred transaction that later upgrades can
        // fail with SQLITE_BUSY when another process wrote in between.
        await whenFree(budgetMs, () => db.exec('BEGIN IMMEDIATE'));
        try {
          const value = await fn(direct);
          // COMMIT can find readers in the way (rollback-journal mode); the transaction stays open while it waits.
          await whenFree(budgetMs, () => db.exec('COMMIT'));
          return value;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: async () => {
      statements.clear();
      if (owned) db.close();
    },
  };
}

/**
 * `sqliteAdapter('data/auth.sqlite')` opens (and creates) the file with WAL journaling, foreign
 * keys on, and a 5 s busy budget so several processes can share it: a locked file is waited for
 * asynchronously, never by blocking the event loop (`options.timeout` sets the budget). A
 * `Database` you pass in keeps its own settings; its SQLITE_BUSY errors are retried the same way,
 * but its own busy timeout, if long, still blocks while it runs.
 */
export function sqliteAdapter(connection: SqliteConnection): SqlAdapter {
  return createSqlAdapter(async () => {
    if (typeof connection === 'object' && 'prepare' in connection) return databaseDriver(connection, false, DEFAULT_BUSY_BUDGET_MS);
    const { filename, options } = typeof connection === 'string' ? { filename: connection, options: undefined } : connection;
    const Sqlite = await loadDriver<typeof BetterSqlite3>('better-sqlite3', 'sqlite');
    // A first run should just work: create the folder the file goes in.
    if (filename !== ':memory:' && filename !== '') mkdirSync(dirname(filename), { recursive: true });
    // `timeout` (better-sqlite3's busy timeout) becomes the asynchronous budget; the native wait stays a few ms.
    const budget = options?.timeout ?? DEFAULT_BUSY_BUDGET_MS;
    const db = new Sqlite(filename, { ...options, timeout: NATIVE_BUSY_MS });
    if (filename !== ':memory:' && filename !== '') await whenFree(budget, () => db.pragma('journal_mode = WAL'));
    db.pragma('foreign_keys = ON');
    return databaseDriver(db, true, budget);
  });
}

export default sqliteAdapter;
