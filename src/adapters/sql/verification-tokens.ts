// Magic-link verification tokens in SQL: stored as the core hands them over, used once even under concurrency.
import type { GatehouseAdapter, VerificationToken } from '../types.js';
import type { SqlContext } from './connection.js';
import { toDate } from './rows.js';

export type SqlVerificationTokenMethods = Pick<GatehouseAdapter, 'createVerificationToken' | 'useVerificationToken'>;

export function sqlVerificationTokens(context: SqlContext): SqlVerificationTokenMethods {
  const { db } = context;
  return {
    async createVerificationToken(token) {
      const driver = await db();
      // Stored as given: the core passes sha256(token + secret), as next-auth v4 does.
      await driver.run('INSERT INTO verification_token (identifier, token, expires) VALUES (?, ?, ?)', [token.identifier, token.token, driver.dialect.date(token.expires)]);
      return token;
    },

    async useVerificationToken({ identifier, token }) {
      const driver = await db();
      const where = 'WHERE identifier = ? AND token = ?';
      const { rows } = await driver.run(`SELECT identifier, token, expires FROM verification_token ${where}`, [identifier, token]);
      const row = rows[0];
      if (!row) return null;
      // Single use under concurrency: every racer may have read the row, only one DELETE removes it.
      const { affected } = await driver.run(`DELETE FROM verification_token ${where}`, [identifier, token]);
      if (affected === 0) return null;
      const used: VerificationToken = { identifier: String(row.identifier), token: String(row.token), expires: toDate(row.expires) as Date };
      return used;
    },
  };
}
