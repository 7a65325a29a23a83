// Linked OAuth accounts in SQL: link, unlink, and the user behind a provider's account id.
import { duplicateAccount, unknownUser } from '../errors.js';
import type { AdapterAccount, GatehouseAdapter } from '../types.js';
import type { SqlContext } from './connection.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { ACCOUNT_TOKEN_FIELDS, inList, text, toAccount, toUser } from './rows.js';
import { insertUser } from './users.js';

export type SqlAccountMethods = Pick<GatehouseAdapter, 'getUserByAccount' | 'linkAccount' | 'unlinkAccount' | 'createUserWithAccount'>;

/** One INSERT INTO accounts on `exec` (the driver, or a transaction of it), duplicates and unknown users as AdapterErrors. */
export async function insertAccount(driver: SqlDriver, exec: SqlExecutor, account: AdapterAccount): Promise<void> {
  const tokens = ACCOUNT_TOKEN_FIELDS.map((field) => text(account[field]));
  const expiresAt = account.expires_at === undefined || account.expires_at === null ? null : Number(account.expires_at);
  try {
    await exec.run('INSERT INTO accounts ("userId", type, provider, "providerAccountId", ' + `${ACCOUNT_TOKEN_FIELDS.join(', ')}, expires_at) VALUES (?, ?, ?, ?, ${inList(ACCOUNT_TOKEN_FIELDS)}, ?)`, [
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
}

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
      await insertAccount(driver, driver, account);
      return account;
    },

    async createUserWithAccount(user, account) {
      const driver = await db();
      const idKind = await context.userIdKind(driver);
      // One transaction: a crash or a lost connection between the two INSERTs leaves neither.
      return driver.transaction(async (tx) => {
        const created = await insertUser(driver, tx, idKind, user);
        const linked: AdapterAccount = { ...account, userId: created.id };
        await insertAccount(driver, tx, linked);
        return { user: created, account: linked };
      });
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
