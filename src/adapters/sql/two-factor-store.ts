// Second factors in SQL (tables gatehouse_two_factor and gatehouse_backup_codes): TOTP enrolments and hashed backup codes, each use one atomic statement.
import type { TwoFactorRecord, TwoFactorStore } from '../types.js';
import type { SqlContext } from './connection.js';

function toRecord(row: Record<string, unknown>): TwoFactorRecord {
  return {
    userId: String(row.user_id),
    secret: String(row.secret),
    enabled: Number(row.enabled) === 1,
    lastStep: Number(row.last_step),
    createdAt: new Date(Number(row.created_at)),
  };
}

/** No foreign key to `users`, as for gatehouse_passwords: @auth/pg-adapter databases have integer ids. deleteUser clears both tables. */
export function sqlTwoFactorStore(context: SqlContext): TwoFactorStore {
  const { db } = context;
  return {
    async getTwoFactor(userId) {
      const driver = await db();
      const { rows } = await driver.run('SELECT user_id, secret, enabled, last_step, created_at FROM gatehouse_two_factor WHERE user_id = ?', [userId]);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async saveTwoFactor(record) {
      const driver = await db();
      const columns = ['secret', 'enabled', 'last_step', 'created_at'];
      const tail =
        driver.dialect.name === 'mysql'
          ? `ON DUPLICATE KEY UPDATE ${columns.map((c) => `${c} = VALUES(${c})`).join(', ')}`
          : `ON CONFLICT (user_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;
      await driver.run(`INSERT INTO gatehouse_two_factor (user_id, secret, enabled, last_step, created_at) VALUES (?, ?, ?, ?, ?) ${tail}`, [
        record.userId,
        record.secret,
        record.enabled ? 1 : 0,
        record.lastStep,
        record.createdAt.valueOf(),
      ]);
    },
    async useTotpStep(userId, step) {
      const driver = await db();
      // The row lock serialises parallel uses: of two requests with one code, one moves the step and the other matches no row.
      const { affected } = await driver.run('UPDATE gatehouse_two_factor SET last_step = ? WHERE user_id = ? AND last_step < ?', [step, userId, step]);
      return affected === 1;
    },
    async setBackupCodes(userId, hashes) {
      const driver = await db();
      await driver.transaction(async (tx) => {
        await tx.run('DELETE FROM gatehouse_backup_codes WHERE user_id = ?', [userId]);
        for (const hash of hashes) await tx.run('INSERT INTO gatehouse_backup_codes (user_id, code_hash) VALUES (?, ?)', [userId, hash]);
      });
    },
    async useBackupCode(userId, hash) {
      const driver = await db();
      const { affected } = await driver.run('DELETE FROM gatehouse_backup_codes WHERE user_id = ? AND code_hash = ?', [userId, hash]);
      return affected === 1;
    },
    async countBackupCodes(userId) {
      const driver = await db();
      const { rows } = await driver.run('SELECT COUNT(*) AS n FROM gatehouse_backup_codes WHERE user_id = ?', [userId]);
      return Number(rows[0]?.n ?? 0);
    },
    async deleteTwoFactor(userId) {
      const driver = await db();
      await driver.transaction(async (tx) => {
        await tx.run('DELETE FROM gatehouse_backup_codes WHERE user_id = ?', [userId]);
        await tx.run('DELETE FROM gatehouse_two_factor WHERE user_id = ?', [userId]);
      });
    },
  };
}
