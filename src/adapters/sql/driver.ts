// What the shared SQL adapter needs of a database: one statement runner, transactions, and a thin dialect.

/** Dates pass through to drivers that convert them (pg, mysql2); SQLite gets ISO text from its dialect. */
export type SqlParam = string | number | Date | null;

export interface SqlResult {
  rows: Record<string, unknown>[];
  /** Rows inserted, updated or deleted: how concurrent deletes learn which of them won. */
  affected: number;
  /** The auto-increment id of an INSERT, where the database has no RETURNING (MySQL). */
  insertId?: unknown;
}

export interface SqlExecutor {
  /**
   * One statement. The shared SQL is written once with `?` placeholders and ANSI double-quoted
   * identifiers; each driver rewrites what its database wants instead (`$1`, backticks).
   */
  run(sql: string, params?: readonly SqlParam[]): Promise<SqlResult>;
}

/** How a driver error is understood, so that a duplicate becomes a clear AdapterError. */
export type SqlErrorKind = 'unique' | 'foreign-key' | 'invalid-input' | 'missing-table' | null;

export interface SqlDialect {
  readonly name: 'postgres' | 'mysql' | 'sqlite';
  /** migrate(): statements run in order in one transaction where the database allows DDL in one. */
  readonly schema: readonly string[];
  /** One row with a `type` column naming the type of users.id, or none when the table is missing. */
  readonly userIdTypeQuery: string;
  /** INSERT … RETURNING works (PostgreSQL, SQLite ≥ 3.35); otherwise the driver's insertId is used. */
  readonly returning: boolean;
  /**
   * Counts one hit of a rate-limit bucket: insert it with 1, or add one, or restart an ended
   * window, in one statement. Parameters: bucket, new reset time, now, now, new reset time.
   * With `returning` it answers `hits, reset_at`; otherwise the adapter reads them back in the
   * same transaction.
   */
  readonly rateLimitHit: string;
  /**
   * Sets a user's password hash, inserting or replacing, and clears the lockout counters.
   * Parameters: user id, hash, now (ms).
   */
  readonly passwordUpsert: string;
  /** An SQL expression for the database clock in epoch milliseconds (the session revocation log's order). */
  readonly nowMs: string;
  /** A Date as this database stores it (SQLite has no date type: ISO 8601 text, which sorts). */
  date(value: Date): SqlParam;
  classify(error: unknown): SqlErrorKind;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Ends what the driver opened itself; a client or pool the user passed in stays open. */
  close(): Promise<void>;
}

/**
 * Serialises work on one shared connection (a single pg Client, a mysql2 Connection, SQLite).
 * Without it a transaction's awaits would let another request's statements run inside it.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** The driver error's code, whichever property the driver puts it in. */
export function errorCode(error: unknown): string | number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' || typeof code === 'number') return code;
  if (typeof errno === 'number') return errno;
  return undefined;
}
