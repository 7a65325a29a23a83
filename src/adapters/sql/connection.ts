// The SQL adapter's shared state: the driver opened on first use, and the type of users.id, looked up once.
import type { AdapterUser } from '../types.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { text, toUser, USER_COLUMNS } from './rows.js';

/** What every capability of the SQL adapter shares: one lazily opened driver and what it learned of the schema. */
export interface SqlContext {
  /** The driver, created on first use; a failed start is not cached, so the next call tries again. */
  db(): Promise<SqlDriver>;
  /**
   * gatehouse's schema has text ids it generates; a database made by @auth/pg-adapter's schema
   * has SERIAL ids the database assigns. Looked up once, so such a database works unchanged.
   */
  userIdKind(driver: SqlDriver): Promise<'integer' | 'text'>;
  /** False for ids that cannot exist in an integer column (and that MySQL would coerce: '1abc' = 1). */
  plausibleUserId(driver: SqlDriver, id: string): Promise<boolean>;
  /** Runs a lookup by user id; a value the id column's type refuses (PostgreSQL) means no such user. */
  byUserId<T>(driver: SqlDriver, id: string, missing: T, fn: () => Promise<T>): Promise<T>;
  /** The schema changed (migrate): look the id type up again. */
  forgetSchema(): void;
  /** Ends the driver if one was opened; the next call opens a new one. */
  close(): Promise<void>;
}

export function createSqlContext(connect: () => Promise<SqlDriver>): SqlContext {
  let driverPromise: Promise<SqlDriver> | undefined;
  let opened: SqlDriver | undefined;
  let idKind: Promise<'integer' | 'text'> | undefined;

  const context: SqlContext = {
    db() {
      driverPromise ??= connect().then(
        (driver) => (opened = driver),
        (error: unknown) => {
          driverPromise = undefined;
          throw error;
        },
      );
      return driverPromise;
    },

    async userIdKind(driver) {
      if (!idKind) {
        const pending = driver.run(driver.dialect.userIdTypeQuery).then((result) => {
          const type = text(result.rows[0]?.type);
          // A missing table is not cached: migrate() or another tool may create it later.
          if (type === null) idKind = undefined;
          return type !== null && /int/i.test(type) ? 'integer' : 'text';
        });
        idKind = pending;
        pending.catch(() => (idKind = undefined));
      }
      return idKind;
    },

    async plausibleUserId(driver, id) {
      return (await context.userIdKind(driver)) === 'text' || /^[0-9]{1,18}$/.test(id);
    },

    async byUserId(driver, id, missing, fn) {
      if (!(await context.plausibleUserId(driver, id))) return missing;
      try {
        return await fn();
      } catch (error) {
        if (driver.dialect.classify(error) === 'invalid-input') return missing;
        throw error;
      }
    },

    forgetSchema() {
      idKind = undefined;
    },

    async close() {
      const driver = opened;
      opened = undefined;
      driverPromise = undefined;
      idKind = undefined;
      if (driver) await driver.close();
    },
  };
  return context;
}

export async function selectUser(exec: SqlExecutor, id: string): Promise<AdapterUser | null> {
  const { rows } = await exec.run(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}
