// Users in SQL: create (text ids we generate, or SERIAL ids the database assigns), read, partial update, delete with everything they own.
import { duplicateEmail, unknownUser } from '../errors.js';
import type { GatehouseAdapter } from '../types.js';
import { deleteUserAuthenticators } from './authenticator-store.js';
import { selectUser, type SqlContext } from './connection.js';
import type { SqlDriver, SqlExecutor, SqlParam } from './driver.js';
import type { AdapterUser } from '../types.js';
import { emailParam, text, toDate, toUser, USER_COLUMNS } from './rows.js';

const UPDATABLE_USER_FIELDS = ['name', 'email', 'emailVerified', 'image'] as const;

export type SqlUserMethods = Pick<GatehouseAdapter, 'createUser' | 'getUser' | 'getUserByEmail' | 'updateUser' | 'deleteUser'>;

/**
 * One INSERT INTO users on `exec` (the driver, or a transaction of it). `idKind` is looked up by
 * the caller beforehand: inside a transaction the driver itself may be busy (SQLite's mutex).
 */
export async function insertUser(driver: SqlDriver, exec: SqlExecutor, idKind: 'integer' | 'text', user: Omit<AdapterUser, 'id'>): Promise<AdapterUser> {
  const email = emailParam(user.email);
  const emailVerified = toDate(user.emailVerified);
  const name = text(user.name);
  const image = text(user.image);
  const values: SqlParam[] = [name, email, emailVerified && driver.dialect.date(emailVerified), image];
  let id: unknown;
  try {
    if (idKind === 'integer') {
      const insert = 'INSERT INTO users (name, email, "emailVerified", image) VALUES (?, ?, ?, ?)';
      const result = await exec.run(driver.dialect.returning ? `${insert} RETURNING id` : insert, values);
      id = driver.dialect.returning ? result.rows[0]?.id : result.insertId;
    } else {
      id = crypto.randomUUID();
      await exec.run('INSERT INTO users (id, name, email, "emailVerified", image) VALUES (?, ?, ?, ?, ?)', [id as string, ...values]);
    }
  } catch (error) {
    throw driver.dialect.classify(error) === 'unique' ? duplicateEmail(error) : error;
  }
  return { id: String(id), name, email: email ?? '', emailVerified, image };
}

export function sqlUsers(context: SqlContext): SqlUserMethods {
  const { db, byUserId } = context;
  return {
    async createUser(user) {
      const driver = await db();
      return insertUser(driver, driver, await context.userIdKind(driver), user);
    },

    async getUser(id) {
      const driver = await db();
      return byUserId(driver, id, null, () => selectUser(driver, id));
    },

    async getUserByEmail(email) {
      if (!email) return null;
      const driver = await db();
      const { rows } = await driver.run(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`, [email]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async updateUser(user) {
      const driver = await db();
      const assignments: string[] = [];
      const values: SqlParam[] = [];
      for (const field of UPDATABLE_USER_FIELDS) {
        const value = user[field];
        if (value === undefined) continue;
        assignments.push(`"${field}" = ?`);
        if (field === 'emailVerified') {
          const date = toDate(value);
          values.push(date && driver.dialect.date(date));
        } else {
          values.push(field === 'email' ? emailParam(value) : text(value));
        }
      }
      const updated = await byUserId(driver, user.id, null, async () => {
        // Only the fields given are written, so two partial updates at once both survive.
        if (assignments.length > 0) {
          try {
            await driver.run(`UPDATE users SET ${assignments.join(', ')} WHERE id = ?`, [...values, user.id]);
          } catch (error) {
            throw driver.dialect.classify(error) === 'unique' ? duplicateEmail(error) : error;
          }
        }
        return selectUser(driver, user.id);
      });
      if (!updated) throw unknownUser();
      return updated;
    },

    async deleteUser(userId) {
      const driver = await db();
      const deleted = await byUserId(driver, userId, null, () =>
        // One transaction: a connection lost half-way leaves the user, sessions, accounts and passkeys as they were.
        driver.transaction(async (tx) => {
          const user = await selectUser(tx, userId);
          if (!user) return null;
          await deleteUserAuthenticators(tx, userId, (error) => driver.dialect.classify(error) === 'missing-table');
          await tx.run('DELETE FROM sessions WHERE "userId" = ?', [userId]);
          await tx.run('DELETE FROM accounts WHERE "userId" = ?', [userId]);
          await tx.run('DELETE FROM users WHERE id = ?', [userId]);
          return user;
        }),
      );
      // After the commit, and forgiving a database migrate() has not yet given the table: a row
      // left by a failure here names a user who no longer exists and unlocks nothing.
      if (deleted) {
        for (const cleanup of ['DELETE FROM gatehouse_passwords WHERE "userId" = ?', 'DELETE FROM gatehouse_backup_codes WHERE user_id = ?', 'DELETE FROM gatehouse_two_factor WHERE user_id = ?']) {
          await driver.run(cleanup, [userId]).catch((error: unknown) => {
            if (driver.dialect.classify(error) !== 'missing-table') throw error;
          });
        }
      }
      return deleted;
    },
  };
}
