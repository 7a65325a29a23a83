// Password hashes in SQL: `gatehouse_passwords`, one row per user, with the lockout counters; failures counted atomically.
import { unknownUser } from '../errors.js';
import type { GatehouseAdapter, StoredPassword } from '../types.js';
import { selectUser, type SqlContext } from './connection.js';

/**
 * The table has no foreign key to `users`: a database made by @auth/pg-adapter has integer ids,
 * and a TEXT column could not reference them. deleteUser removes the row after its transaction.
 * Times are epoch milliseconds (BIGINT), the same in all three databases.
 */
const PASSWORD_COLUMNS = '"userId", hash, failures, lockouts, locked_until';

export type SqlPasswordMethods = Pick<GatehouseAdapter, 'getPassword' | 'setPassword' | 'countPasswordFailure' | 'lockPassword' | 'clearPasswordFailures'>;

function toStored(row: Record<string, unknown>): StoredPassword {
  const lockedUntil = row.locked_until === null || row.locked_until === undefined ? null : new Date(Number(row.locked_until));
  return { userId: String(row.userId), hash: String(row.hash), failures: Number(row.failures), lockouts: Number(row.lockouts), lockedUntil };
}

export function sqlPasswords(context: SqlContext): SqlPasswordMethods {
  const { db, byUserId } = context;
  return {
    async getPassword(userId) {
      const driver = await db();
      const { rows } = await driver.run(`SELECT ${PASSWORD_COLUMNS} FROM gatehouse_passwords WHERE "userId" = ?`, [userId]);
      return rows[0] ? toStored(rows[0]) : null;
    },

    async setPassword(userId, hash) {
      const driver = await db();
      const user = await byUserId(driver, userId, null, () => selectUser(driver, userId));
      if (!user) throw unknownUser();
      await driver.run(driver.dialect.passwordUpsert, [userId, hash, Date.now()]);
    },

    async countPasswordFailure(userId) {
      const driver = await db();
      const increment = 'UPDATE gatehouse_passwords SET failures = failures + 1 WHERE "userId" = ?';
      if (driver.dialect.returning) {
        // One statement: concurrent failures each read back their own count.
        const { rows } = await driver.run(`${increment} RETURNING failures`, [userId]);
        return rows[0] ? Number(rows[0].failures) : 0;
      }
      // MySQL: the UPDATE takes the row lock, held until COMMIT, so the read in the same transaction is ours.
      return driver.transaction(async (tx) => {
        await tx.run(increment, [userId]);
        const { rows } = await tx.run('SELECT failures FROM gatehouse_passwords WHERE "userId" = ?', [userId]);
        return rows[0] ? Number(rows[0].failures) : 0;
      });
    },

    async lockPassword(userId, until) {
      const driver = await db();
      await driver.run('UPDATE gatehouse_passwords SET failures = 0, lockouts = lockouts + 1, locked_until = ? WHERE "userId" = ?', [new Date(until).valueOf(), userId]);
    },

    async clearPasswordFailures(userId) {
      const driver = await db();
      await driver.run('UPDATE gatehouse_passwords SET failures = 0, lockouts = 0, locked_until = NULL WHERE "userId" = ?', [userId]);
    },
  };
}
