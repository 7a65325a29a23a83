// Database sessions in SQL, stored hashed: create, read with the user, extend, delete, list, and upgrade rows next-auth stored raw.
import { deleteForms, hashSessionToken, HASH_PREFIX, isHashedForm, lookupForms } from '../../core/session-token.js';
import { unknownUser } from '../errors.js';
import type { AdapterSession, GatehouseAdapter } from '../types.js';
import type { SqlContext } from './connection.js';
import type { SqlDriver } from './driver.js';
import { inList, SESSION_COLUMNS, toDate, toUser } from './rows.js';

const UPGRADE_BATCH = 500;

export type SqlSessionMethods = Pick<GatehouseAdapter, 'createSession' | 'getSessionAndUser' | 'updateSession' | 'deleteSession' | 'listSessions' | 'deleteSessionsExcept'> & {
  /** See `SqlAdapter.upgradeLegacySessions`. */
  upgradeLegacySessions(): Promise<number>;
};

/** Moves a row next-auth stored raw to its hash; a concurrent request may already have done it. */
async function upgradeRow(driver: SqlDriver, raw: string): Promise<void> {
  try {
    await driver.run('UPDATE sessions SET "sessionToken" = ? WHERE "sessionToken" = ?', [hashSessionToken(raw), raw]);
  } catch (error) {
    if (driver.dialect.classify(error) !== 'unique') throw error;
    await driver.run('DELETE FROM sessions WHERE "sessionToken" = ?', [raw]);
  }
}

export function sqlSessions(context: SqlContext): SqlSessionMethods {
  const { db, byUserId } = context;
  return {
    async createSession(session) {
      const driver = await db();
      if (!(await context.plausibleUserId(driver, session.userId))) throw unknownUser();
      try {
        await driver.run(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?)`, [hashSessionToken(session.sessionToken), session.userId, driver.dialect.date(session.expires)]);
      } catch (error) {
        const kind = driver.dialect.classify(error);
        if (kind === 'foreign-key' || kind === 'invalid-input') throw unknownUser(error);
        throw error;
      }
      return { sessionToken: session.sessionToken, userId: session.userId, expires: session.expires };
    },

    async getSessionAndUser(sessionToken) {
      const driver = await db();
      const forms = lookupForms(sessionToken);
      const { rows } = await driver.run(
        'SELECT s."sessionToken" AS "storedToken", s.expires AS "sessionExpires", ' +
          'u.id, u.name, u.email, u."emailVerified", u.image ' +
          `FROM sessions s JOIN users u ON u.id = s."userId" WHERE s."sessionToken" IN (${inList(forms)})`,
        forms,
      );
      const row = rows.find((candidate) => candidate.storedToken === forms[0]) ?? rows[0];
      if (!row) return null;
      if (row.storedToken !== forms[0]) await upgradeRow(driver, sessionToken);
      const user = toUser(row);
      return { session: { sessionToken, userId: user.id, expires: toDate(row.sessionExpires) as Date }, user };
    },

    async updateSession(session) {
      const driver = await db();
      const forms = lookupForms(session.sessionToken);
      const hashed = forms[0];
      if (session.expires !== undefined) {
        // Also moves a raw next-auth row to its hash, in the same statement.
        await driver.run(`UPDATE sessions SET expires = ?, "sessionToken" = ? WHERE "sessionToken" IN (${inList(forms)})`, [driver.dialect.date(session.expires), hashed, ...forms]);
      }
      const { rows } = await driver.run(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE "sessionToken" IN (${inList(forms)})`, forms);
      const row = rows[0];
      if (!row) return null;
      return { sessionToken: session.sessionToken, userId: String(row.userId), expires: toDate(row.expires) as Date };
    },

    async deleteSession(sessionToken) {
      const driver = await db();
      const forms = deleteForms(sessionToken);
      const where = `WHERE "sessionToken" IN (${inList(forms)})`;
      const { rows } = await driver.run(`SELECT ${SESSION_COLUMNS} FROM sessions ${where}`, forms);
      const { affected } = await driver.run(`DELETE FROM sessions ${where}`, forms);
      const row = rows[0];
      if (!row || affected === 0) return null;
      return { sessionToken, userId: String(row.userId), expires: toDate(row.expires) as Date };
    },

    async listSessions(userId) {
      const driver = await db();
      return byUserId(driver, userId, [], async () => {
        const { rows } = await driver.run(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE "userId" = ? AND expires > ? ORDER BY expires DESC`, [userId, driver.dialect.date(new Date())]);
        const sessions: AdapterSession[] = [];
        for (const row of rows) {
          let stored = String(row.sessionToken);
          // A raw next-auth row is hashed before its handle leaves the adapter: handles are never usable tokens.
          if (!isHashedForm(stored)) {
            await upgradeRow(driver, stored);
            stored = hashSessionToken(stored);
          }
          sessions.push({ sessionToken: stored, userId: String(row.userId), expires: toDate(row.expires) as Date });
        }
        return sessions;
      });
    },

    async deleteSessionsExcept(userId, keepSessionToken) {
      const driver = await db();
      await byUserId(driver, userId, undefined, async () => {
        if (keepSessionToken === null) {
          await driver.run('DELETE FROM sessions WHERE "userId" = ?', [userId]);
          return;
        }
        const keep = deleteForms(keepSessionToken);
        await driver.run(`DELETE FROM sessions WHERE "userId" = ? AND "sessionToken" NOT IN (${inList(keep)})`, [userId, ...keep]);
      });
    },

    async upgradeLegacySessions() {
      const driver = await db();
      let upgraded = 0;
      for (;;) {
        const { rows } = await driver.run(`SELECT "sessionToken" FROM sessions WHERE "sessionToken" NOT LIKE ? LIMIT ${UPGRADE_BATCH}`, [`${HASH_PREFIX}%`]);
        for (const row of rows) await upgradeRow(driver, String(row.sessionToken));
        upgraded += rows.length;
        if (rows.length < UPGRADE_BATCH) return upgraded;
      }
    },
  };
}
