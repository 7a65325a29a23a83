// Linked OAuth accounts in SQL: link, unlink, and the user behind a provider's account id.
import { duplicateAccount, unknownUser } from '../errors.js';
import type { GatehouseAdapter } from '../types.js';
import type { SqlContext } from './connection.js';
import { ACCOUNT_TOKEN_FIELDS, inList, text, toAccount, toUser } from './rows.js';

export type SqlAccountMethods = Pick<GatehouseAdapter, 'getUserByAccount' | 'linkAccount' | 'unlinkAccount'>;

export function sqlAccounts(context: SqlContext): SqlAccountMethods {
  const { db } = context;
  return {
    async getUserByAccount({ provider, providerAccountId }) {
      const driver = await db();
      const { rows } = await driver.run('SELECT u.id, u.name, u.email, u."emailVerified", u.image FROM users u JOIN accounts a ON a."userId" = u.id ' + 'WHERE a.provider = ? AND a."providerAccountId" = ?', [
        provider,
        providerAccountId,
      ]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async linkAccount(account) {
      const driver = await db();
      if (!(await context.plausibleUserId(driver, account.userId))) throw unknownUser();
      const tokens = ACCOUNT_TOKEN_FIELDS.map((field) => text(account[field]));
      const expiresAt = account.expires_at === undefined || account.expires_at === null ? null : Number(account.expires_at);
      try {
        await driver.run('INSERT INTO accounts ("userId", type, provider, "providerAccountId", ' + `${ACCOUNT_TOKEN_FIELDS.join(', ')}, expires_at) VALUES (?, ?, ?, ?, ${inList(ACCOUNT_TOKEN_FIELDS)}, ?)`, [
          account.userId,
          account.type,
          account.provider,
          account.providerAccountId,
          ...tokens,
          expiresAt,
        ]);
      } catch (error) {
        const kind = driver.dialect.classify(error);
        if (kind === 'unique') throw duplicateAccount(error);
        if (kind === 'foreign-key' || kind === 'invalid-input') throw unknownUser(error);
        throw error;
      }
      return account;
    },

    async unlinkAccount({ provider, providerAccountId }) {
      const driver = await db();
      const where = 'WHERE provider = ? AND "providerAccountId" = ?';
      const { rows } = await driver.run(`SELECT * FROM accounts ${where}`, [provider, providerAccountId]);
      const { affected } = await driver.run(`DELETE FROM accounts ${where}`, [provider, providerAccountId]);
      return rows[0] && affected > 0 ? toAccount(rows[0]) : undefined;
    },
  };
}
