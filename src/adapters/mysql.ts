// gatehouse-auth/adapters/mysql: the shared SQL adapter on mysql2, for MySQL 8 and MariaDB, given a pool, a connection, or options.
import type { Pool as CallbackPool } from 'mysql2';
import type { Connection, Pool, PoolConnection, PoolOptions, ResultSetHeader } from 'mysql2/promise';
import { loadDriver } from './load.js';
import { createSqlAdapter, type SqlAdapter } from './sql/adapter.js';
import { errorCode, Mutex, type SqlDialect, type SqlDriver, type SqlExecutor, type SqlResult } from './sql/driver.js';

export type { SqlAdapter } from './sql/adapter.js';
export { AdapterError } from './errors.js';

/** A mysql2 pool (promise or callback API), a promise connection, pool options, or a `mysql://` URI. */
export type MysqlConnection = Pool | CallbackPool | Connection | PoolOptions | string;

// utf8mb4_bin: the default case- and accent-insensitive collations would make `zoë@x` and
// `zoe@x` one email, and compare tokens case-insensitively.
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  // Indexed columns are VARCHAR(255): InnoDB cannot index TEXT without a prefix length.
  schema: [
    `CREATE TABLE IF NOT EXISTS users (
      id VARCHAR(255) NOT NULL PRIMARY KEY,
      name TEXT,
      email VARCHAR(255) UNIQUE,
      "emailVerified" DATETIME(3),
      image TEXT
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS accounts (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      "userId" VARCHAR(255) NOT NULL,
      type VARCHAR(255) NOT NULL,
      provider VARCHAR(255) NOT NULL,
      "providerAccountId" VARCHAR(255) NOT NULL,
      refresh_token TEXT,
      access_token TEXT,
      expires_at BIGINT,
      id_token TEXT,
      scope TEXT,
      session_state TEXT,
      token_type TEXT,
      UNIQUE KEY "accounts_provider_providerAccountId_key" (provider, "providerAccountId"),
      KEY "accounts_userId_idx" ("userId"),
      CONSTRAINT "accounts_userId_fkey" FOREIGN KEY ("userId") REFERENCES users (id) ON DELETE CASCADE
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS sessions (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      "userId" VARCHAR(255) NOT NULL,
      expires DATETIME(3) NOT NULL,
      "sessionToken" VARCHAR(255) NOT NULL UNIQUE,
      KEY "sessions_userId_idx" ("userId"),
      CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES users (id) ON DELETE CASCADE
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS verification_token (
      identifier VARCHAR(255) NOT NULL,
      expires DATETIME(3) NOT NULL,
      token VARCHAR(255) NOT NULL,
      PRIMARY KEY (identifier, token)
    ) ${TABLE_OPTIONS}`,
    // gatehouse's own: rate-limit windows shared by every instance (buckets are hashes, no emails or IPs).
    `CREATE TABLE IF NOT EXISTS gatehouse_rate_limits (
      bucket VARCHAR(64) NOT NULL PRIMARY KEY,
      hits INT NOT NULL,
      reset_at BIGINT NOT NULL,
      KEY gatehouse_rate_limits_reset_at_idx (reset_at)
    ) ${TABLE_OPTIONS}`,
    // gatehouse's own: password hashes and lockout counters (the Password provider). No foreign key: see sql/passwords.ts.
    `CREATE TABLE IF NOT EXISTS gatehouse_passwords (
      "userId" VARCHAR(255) NOT NULL PRIMARY KEY,
      hash TEXT NOT NULL,
      failures INT NOT NULL DEFAULT 0,
      lockouts INT NOT NULL DEFAULT 0,
      locked_until BIGINT,
      updated_at BIGINT NOT NULL
    ) ${TABLE_OPTIONS}`,
    // gatehouse's own session index: devices of each user (both strategies) and revoked JWT session ids.
    `CREATE TABLE IF NOT EXISTS gatehouse_sessions (
      id VARCHAR(64) NOT NULL PRIMARY KEY,
      user_id VARCHAR(255) NOT NULL,
      created_at BIGINT NOT NULL,
      last_active_at BIGINT NOT NULL,
      expires BIGINT NOT NULL,
      user_agent TEXT,
      ip_address VARCHAR(128),
      KEY gatehouse_sessions_user_id_idx (user_id),
      KEY gatehouse_sessions_expires_idx (expires)
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS gatehouse_revoked_sessions (
      id VARCHAR(64) NOT NULL PRIMARY KEY,
      revoked_at BIGINT NOT NULL,
      expires BIGINT NOT NULL,
      KEY gatehouse_revoked_sessions_revoked_at_idx (revoked_at),
      KEY gatehouse_revoked_sessions_expires_idx (expires)
    ) ${TABLE_OPTIONS}`,
    // gatehouse's own: leases shared by instances (the token refresher's), keyed by hashes.
    `CREATE TABLE IF NOT EXISTS gatehouse_leases (
      id VARCHAR(128) NOT NULL PRIMARY KEY,
      value TEXT NOT NULL,
      expires BIGINT NOT NULL
    ) ${TABLE_OPTIONS}`,
    // gatehouse's own: second factors (TOTP keys sealed with the instance secret; backup codes as SHA-256).
    `CREATE TABLE IF NOT EXISTS gatehouse_two_factor (
      user_id VARCHAR(255) NOT NULL PRIMARY KEY,
      secret TEXT NOT NULL,
      enabled TINYINT NOT NULL,
      last_step BIGINT NOT NULL,
      created_at BIGINT NOT NULL
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS gatehouse_backup_codes (
      user_id VARCHAR(255) NOT NULL,
      code_hash CHAR(64) NOT NULL,
      PRIMARY KEY (user_id, code_hash)
    ) ${TABLE_OPTIONS}`,
    // gatehouse's own: passkeys (WebAuthn credentials), the @auth schema's authenticators fields. No foreign key: see sql/authenticator-store.ts.
    // A credential ID is at most 1023 bytes (WebAuthn §5.1), 1364 in base64url: ASCII keeps that key within
    // InnoDB's 3072 index bytes (utf8mb4 would need 4 per character), and ascii_bin compares it exactly.
    `CREATE TABLE IF NOT EXISTS gatehouse_authenticators (
      credential_id VARCHAR(1364) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      user_id VARCHAR(255) NOT NULL,
      public_key TEXT NOT NULL,
      counter BIGINT NOT NULL,
      transports TEXT,
      backed_up TINYINT NOT NULL,
      device_type VARCHAR(32) NOT NULL,
      name TEXT,
      created_at BIGINT NOT NULL,
      last_used_at BIGINT,
      KEY gatehouse_authenticators_user_id_idx (user_id)
    ) ${TABLE_OPTIONS}`,
  ],
  userIdTypeQuery: "SELECT DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'id'",
  // MariaDB ≥ 10.5 has INSERT … RETURNING, MySQL has none: insertId serves both.
  // UNIX_TIMESTAMP(NOW(3)) reads the clock in the session's time zone and converts back: the epoch in any zone.
  nowMs: 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)',
  returning: false,
  // MySQL assigns left to right: `reset_at` in the second IF is still the old value. The adapter
  // reads the row back in the same transaction, under the row lock this statement took.
  rateLimitHit: 'INSERT INTO gatehouse_rate_limits (bucket, hits, reset_at) VALUES (?, 1, ?) ON DUPLICATE KEY UPDATE ' + 'hits = IF(reset_at <= ?, 1, hits + 1), reset_at = IF(reset_at <= ?, ?, reset_at)',
  passwordUpsert:
    'INSERT INTO gatehouse_passwords ("userId", hash, failures, lockouts, locked_until, updated_at) VALUES (?, ?, 0, 0, NULL, ?) ' +
    'ON DUPLICATE KEY UPDATE hash = VALUES(hash), failures = 0, lockouts = 0, locked_until = NULL, updated_at = VALUES(updated_at)',
  date: (value) => value,
  classify(error) {
    switch (errorCode(error)) {
      case 'ER_DUP_ENTRY':
      case 1062:
        return 'unique';
      case 'ER_NO_REFERENCED_ROW_2':
      case 'ER_NO_REFERENCED_ROW':
      case 1452:
      case 1216:
        return 'foreign-key';
      case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
      case 1366:
        return 'invalid-input';
      case 'ER_NO_SUCH_TABLE':
      case 1146:
        return 'missing-table';
      default:
        return null;
    }
  },
};

/** The shared SQL quotes identifiers the ANSI way; MySQL wants backticks unless ANSI_QUOTES is on. */
function backticked(sql: string): string {
  return sql.replaceAll('"', '`');
}

type Queryable = Pick<Connection, 'query'>;

/**
 * The driver-level bounds of a pool this adapter creates (a pool you pass keeps its own), and the
 * per-statement timeout on every connection: the deadline in createAuth ends the request, these
 * free the connection. A statement waits at most `queryTimeout` (mysql2 has no pool-wide setting).
 */
export const MYSQL_DRIVER_DEFAULTS = { connectTimeout: 5000, enableKeepAlive: true, keepAliveInitialDelay: 10_000 } as const;
const DEFAULT_QUERY_TIMEOUT_MS = 6000;

export interface MysqlAdapterOptions {
  /** Milliseconds a statement may wait for its answer before its connection is dropped (default 6000). */
  queryTimeout?: number;
}

function executor(target: Queryable, timeout: number): SqlExecutor {
  return {
    async run(sql, params = []): Promise<SqlResult> {
      const [out] = await target.query({ sql: backticked(sql), timeout }, params as unknown[]);
      if (Array.isArray(out)) return { rows: out as Record<string, unknown>[], affected: 0 };
      const header = out as ResultSetHeader;
      return { rows: [], affected: header.affectedRows, insertId: header.insertId };
    },
  };
}

/** A connection that timed out or lost its server is not handed to the next caller: it may still have the old statement in flight. */
function isBroken(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'PROTOCOL_SEQUENCE_TIMEOUT' || code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT';
}

/** One statement on a pooled connection; a broken connection is destroyed rather than returned to the pool. */
function pooledExecutor(pool: Pool, timeout: number): SqlExecutor {
  return {
    async run(sql, params) {
      const connection = await pool.getConnection();
      try {
        const out = await executor(connection, timeout).run(sql, params);
        connection.release();
        return out;
      } catch (error) {
        if (isBroken(error)) connection.destroy();
        else connection.release();
        throw error;
      }
    },
  };
}

/**
 * A pooled connection whose server side died (restart, failover, KILL) is only found out on
 * use. BEGIN has done nothing yet, so failing there is safe to retry on another connection.
 */
const BEGIN_ATTEMPTS = 3;

async function begin(pool: Pool): Promise<PoolConnection> {
  for (let attempt = 1; ; attempt++) {
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      return connection;
    } catch (error) {
      connection.destroy();
      if (attempt >= BEGIN_ATTEMPTS) throw error;
    }
  }
}

/** Runs `fn` on a connection where BEGIN already ran: COMMIT, or ROLLBACK and report whether the connection survived. */
async function inTransaction<T>(connection: Connection, timeout: number, fn: (tx: SqlExecutor) => Promise<T>): Promise<{ value: T } | { error: unknown; broken: boolean }> {
  try {
    const value = await fn(executor(connection, timeout));
    await connection.commit();
    return { value };
  } catch (error) {
    const broken =
      isBroken(error) ||
      (await connection.rollback().then(
        () => false,
        () => true,
      ));
    return { error, broken };
  }
}

function poolDriver(pool: Pool, owned: boolean, timeout: number): SqlDriver {
  return {
    dialect: mysqlDialect,
    ...pooledExecutor(pool, timeout),
    async transaction(fn) {
      const connection = await begin(pool);
      const outcome = await inTransaction(connection, timeout, fn);
      // A connection that could not even roll back is dead: destroy it rather than pool it.
      if ('error' in outcome && outcome.broken) connection.destroy();
      else connection.release();
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    },
    close: async () => {
      if (owned) await pool.end();
    },
  };
}

function connectionDriver(connection: Connection, timeout: number): SqlDriver {
  const mutex = new Mutex();
  const direct = executor(connection, timeout);
  return {
    dialect: mysqlDialect,
    run: (sql, params) => mutex.run(() => direct.run(sql, params)),
    transaction: (fn) =>
      mutex.run(async () => {
        await connection.beginTransaction();
        const outcome = await inTransaction(connection, timeout, fn);
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      }),
    close: async () => undefined,
  };
}

function hasMethod(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}

/**
 * `mysqlAdapter(pool)`, `mysqlAdapter({ host, user, database })` or `mysqlAdapter('mysql://…')`.
 * A pool created here uses `timezone: 'Z'` so DATETIME columns hold UTC; a pool you pass keeps its
 * own setting (give it `timezone: 'Z'` too when several servers in different zones share a database).
 * It also connects within 5 s and keeps TCP keepalive on (`MYSQL_DRIVER_DEFAULTS`; your options win).
 */
export function mysqlAdapter(connection: MysqlConnection, options: MysqlAdapterOptions = {}): SqlAdapter {
  const timeout = options.queryTimeout ?? DEFAULT_QUERY_TIMEOUT_MS;
  return createSqlAdapter(async () => {
    if (typeof connection === 'object' && hasMethod(connection, 'query')) {
      if (hasMethod(connection, 'getConnection')) {
        // A callback-API pool offers its promise twin; a promise pool is used as it is.
        const pool = hasMethod(connection, 'promise') ? (connection as CallbackPool).promise() : (connection as Pool);
        return poolDriver(pool, false, timeout);
      }
      return connectionDriver(connection as Connection, timeout);
    }
    const mysql = await loadDriver<typeof import('mysql2/promise')>('mysql2/promise', 'mysql');
    const given: PoolOptions = typeof connection === 'string' ? { uri: connection } : { ...(connection as PoolOptions) };
    const pool = mysql.createPool({ timezone: 'Z', ...MYSQL_DRIVER_DEFAULTS, ...given });
    return poolDriver(pool, true, timeout);
  });
}

export default mysqlAdapter;
