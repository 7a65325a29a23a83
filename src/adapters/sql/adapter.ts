// The one SQL adapter behind sqlite, postgres and mysql: NextAuth's methods on the @auth schema, over a thin driver.
import { duplicateAccount, duplicateEmail, unknownUser } from '../errors.js';
import { deleteForms, hashSessionToken, HASH_PREFIX, isHashedForm, lookupForms } from '../session-token.js';
import { sha256Hex } from '../../core/crypto.js';
import type { RateLimitStore } from '../../core/rate-limit.js';
import type { AdapterAccount, AdapterSession, AdapterUser, GatehouseAdapter, VerificationToken } from '../types.js';
import type { SqlDriver, SqlExecutor, SqlParam } from './driver.js';

export interface SqlAdapter extends GatehouseAdapter {
  /**
   * A rate-limit store in this database (table `gatehouse_rate_limits`, made by migrate()), so
   * every instance of the app counts the same attempts: `rateLimit: { store: adapter.rateLimitStore() }`.
   */
  rateLimitStore(): RateLimitStore;
  /**
   * Hashes every session row still stored raw (written by next-auth before the switch), in
   * batches, and returns how many it changed. Optional: rows are also upgraded on first use.
   */
  upgradeLegacySessions(): Promise<number>;
}

const USER_COLUMNS = 'id, name, email, "emailVerified", image';
const SESSION_COLUMNS = '"sessionToken", "userId", expires';
/** The token columns of the @auth `accounts` table; anything else a provider returns is not stored. */
const ACCOUNT_TOKEN_FIELDS = ['refresh_token', 'access_token', 'id_token', 'scope', 'session_state', 'token_type'] as const;
const UPDATABLE_USER_FIELDS = ['name', 'email', 'emailVerified', 'image'] as const;
const UPGRADE_BATCH = 500;
/** Ended rate-limit windows are swept at most this often, by whichever hit comes first. */
const SWEEP_EVERY_MS = 60_000;

type Row = Record<string, unknown>;

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  return null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** An empty email means "no email" (OAuth profiles without one): stored as NULL so the unique index ignores it. */
function emailParam(value: unknown): string | null {
  const email = text(value);
  return email === '' ? null : email;
}

function toUser(row: Row): AdapterUser {
  return {
    id: String(row.id),
    name: text(row.name),
    email: text(row.email) ?? '',
    emailVerified: toDate(row.emailVerified),
    image: text(row.image),
  };
}

function toAccount(row: Row): AdapterAccount {
  const account: AdapterAccount = {
    userId: String(row.userId),
    type: String(row.type) as AdapterAccount['type'],
    provider: String(row.provider),
    providerAccountId: String(row.providerAccountId),
  };
  for (const field of ACCOUNT_TOKEN_FIELDS) {
    const value = text(row[field]);
    if (value !== null) account[field] = value;
  }
  // BIGINT arrives as a string from pg: the @auth adapters return a number.
  if (row.expires_at !== null && row.expires_at !== undefined) account.expires_at = Number(row.expires_at);
  return account;
}

export function createSqlAdapter(connect: () => Promise<SqlDriver>): SqlAdapter {
  let driverPromise: Promise<SqlDriver> | undefined;
  let opened: SqlDriver | undefined;
  let idKind: Promise<'integer' | 'text'> | undefined;

  /** The driver, created on first use; a failed start is not cached, so the next call tries again. */
  function db(): Promise<SqlDriver> {
    driverPromise ??= connect().then(
      (driver) => (opened = driver),
      (error: unknown) => {
        driverPromise = undefined;
        throw error;
      },
    );
    return driverPromise;
  }

  /**
   * gatehouse's schema has text ids it generates; a database made by @auth/pg-adapter's schema
   * has SERIAL ids the database assigns. Looked up once, so such a database works unchanged.
   */
  async function userIdKind(driver: SqlDriver): Promise<'integer' | 'text'> {
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
  }

  /** False for ids that cannot exist in an integer column (and that MySQL would coerce: '1abc' = 1). */
  async function plausibleUserId(driver: SqlDriver, id: string): Promise<boolean> {
    return (await userIdKind(driver)) === 'text' || /^[0-9]{1,18}$/.test(id);
  }

  /** Runs a lookup by user id; a value the id column's type refuses (PostgreSQL) means no such user. */
  async function byUserId<T>(driver: SqlDriver, id: string, missing: T, fn: () => Promise<T>): Promise<T> {
    if (!(await plausibleUserId(driver, id))) return missing;
    try {
      return await fn();
    } catch (error) {
      if (driver.dialect.classify(error) === 'invalid-input') return missing;
      throw error;
    }
  }

  async function selectUser(exec: SqlExecutor, id: string): Promise<AdapterUser | null> {
    const { rows } = await exec.run(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  function inList(values: readonly string[]): string {
    return values.map(() => '?').join(', ');
  }

  /** Moves a row next-auth stored raw to its hash; a concurrent request may already have done it. */
  async function upgradeRow(driver: SqlDriver, raw: string): Promise<void> {
    try {
      await driver.run('UPDATE sessions SET "sessionToken" = ? WHERE "sessionToken" = ?', [hashSessionToken(raw), raw]);
    } catch (error) {
      if (driver.dialect.classify(error) !== 'unique') throw error;
      await driver.run('DELETE FROM sessions WHERE "sessionToken" = ?', [raw]);
    }
  }

  const adapter: SqlAdapter = {
    async migrate() {
      const driver = await db();
      await driver.transaction(async (tx) => {
        for (const statement of driver.dialect.schema) await tx.run(statement);
      });
      idKind = undefined;
    },

    async close() {
      const driver = opened;
      opened = undefined;
      driverPromise = undefined;
      idKind = undefined;
      if (driver) await driver.close();
    },

    async createUser(user) {
      const driver = await db();
      const email = emailParam(user.email);
      const emailVerified = toDate(user.emailVerified);
      const name = text(user.name);
      const image = text(user.image);
      const values: SqlParam[] = [name, email, emailVerified && driver.dialect.date(emailVerified), image];
      let id: unknown;
      try {
        if ((await userIdKind(driver)) === 'integer') {
          const insert = 'INSERT INTO users (name, email, "emailVerified", image) VALUES (?, ?, ?, ?)';
          const result = await driver.run(driver.dialect.returning ? `${insert} RETURNING id` : insert, values);
          id = driver.dialect.returning ? result.rows[0]?.id : result.insertId;
        } else {
          id = crypto.randomUUID();
          await driver.run('INSERT INTO users (id, name, email, "emailVerified", image) VALUES (?, ?, ?, ?, ?)', [
            id as string,
            ...values,
          ]);
        }
      } catch (error) {
        throw driver.dialect.classify(error) === 'unique' ? duplicateEmail(error) : error;
      }
      return { id: String(id), name, email: email ?? '', emailVerified, image };
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

    async getUserByAccount({ provider, providerAccountId }) {
      const driver = await db();
      const { rows } = await driver.run(
        'SELECT u.id, u.name, u.email, u."emailVerified", u.image FROM users u JOIN accounts a ON a."userId" = u.id ' +
          'WHERE a.provider = ? AND a."providerAccountId" = ?',
        [provider, providerAccountId],
      );
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
      return byUserId(driver, userId, null, () =>
        // One transaction: a connection lost half-way leaves the user, sessions and accounts as they were.
        driver.transaction(async (tx) => {
          const user = await selectUser(tx, userId);
          if (!user) return null;
          await tx.run('DELETE FROM sessions WHERE "userId" = ?', [userId]);
          await tx.run('DELETE FROM accounts WHERE "userId" = ?', [userId]);
          await tx.run('DELETE FROM users WHERE id = ?', [userId]);
          return user;
        }),
      );
    },

    async linkAccount(account) {
      const driver = await db();
      if (!(await plausibleUserId(driver, account.userId))) throw unknownUser();
      const tokens = ACCOUNT_TOKEN_FIELDS.map((field) => text(account[field]));
      const expiresAt = account.expires_at === undefined || account.expires_at === null ? null : Number(account.expires_at);
      try {
        await driver.run(
          'INSERT INTO accounts ("userId", type, provider, "providerAccountId", ' +
            `${ACCOUNT_TOKEN_FIELDS.join(', ')}, expires_at) VALUES (?, ?, ?, ?, ${inList(ACCOUNT_TOKEN_FIELDS)}, ?)`,
          [account.userId, account.type, account.provider, account.providerAccountId, ...tokens, expiresAt],
        );
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

    async createSession(session) {
      const driver = await db();
      if (!(await plausibleUserId(driver, session.userId))) throw unknownUser();
      try {
        await driver.run(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?)`, [
          hashSessionToken(session.sessionToken),
          session.userId,
          driver.dialect.date(session.expires),
        ]);
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
        await driver.run(`UPDATE sessions SET expires = ?, "sessionToken" = ? WHERE "sessionToken" IN (${inList(forms)})`, [
          driver.dialect.date(session.expires),
          hashed,
          ...forms,
        ]);
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
        const { rows } = await driver.run(
          `SELECT ${SESSION_COLUMNS} FROM sessions WHERE "userId" = ? AND expires > ? ORDER BY expires DESC`,
          [userId, driver.dialect.date(new Date())],
        );
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

    async createVerificationToken(token) {
      const driver = await db();
      // Stored as given: the core passes sha256(token + secret), as next-auth v4 does.
      await driver.run('INSERT INTO verification_token (identifier, token, expires) VALUES (?, ?, ?)', [
        token.identifier,
        token.token,
        driver.dialect.date(token.expires),
      ]);
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

    rateLimitStore(): RateLimitStore {
      let lastSweep = 0;
      // Buckets are hashed: the table never holds the emails and IP addresses the keys contain.
      const bucketOf = (key: string) => sha256Hex(key);
      const read = (row: Row | undefined) => ({ count: Number(row?.hits ?? 0), resetAt: Number(row?.reset_at ?? 0) });
      return {
        async hit(key, windowSeconds) {
          const driver = await db();
          const now = Date.now();
          const resetAt = now + Math.round(windowSeconds * 1000);
          const params: SqlParam[] = [bucketOf(key), resetAt, now, now, resetAt];
          const state = driver.dialect.returning
            ? read((await driver.run(driver.dialect.rateLimitHit, params)).rows[0])
            : await driver.transaction(async (tx) => {
                await tx.run(driver.dialect.rateLimitHit, params);
                return read((await tx.run('SELECT hits, reset_at FROM gatehouse_rate_limits WHERE bucket = ?', [bucketOf(key)])).rows[0]);
              });
          if (now - lastSweep > SWEEP_EVERY_MS) {
            lastSweep = now;
            await driver.run('DELETE FROM gatehouse_rate_limits WHERE reset_at <= ?', [now]).catch(() => undefined);
          }
          return state;
        },
        async peek(key) {
          const driver = await db();
          const { rows } = await driver.run('SELECT hits, reset_at FROM gatehouse_rate_limits WHERE bucket = ? AND reset_at > ?', [
            bucketOf(key),
            Date.now(),
          ]);
          return read(rows[0]);
        },
        async refund(key) {
          const driver = await db();
          // One statement: concurrent refunds and hits on the row serialise on its lock, and an
          // ended window (reset_at passed) is left for the next hit to restart.
          await driver.run('UPDATE gatehouse_rate_limits SET hits = hits - 1 WHERE bucket = ? AND hits > 0 AND reset_at > ?', [
            bucketOf(key),
            Date.now(),
          ]);
        },
        async reset(key) {
          const driver = await db();
          await driver.run('DELETE FROM gatehouse_rate_limits WHERE bucket = ?', [bucketOf(key)]);
        },
      };
    },

    async upgradeLegacySessions() {
      const driver = await db();
      let upgraded = 0;
      for (;;) {
        const { rows } = await driver.run(
          `SELECT "sessionToken" FROM sessions WHERE "sessionToken" NOT LIKE ? LIMIT ${UPGRADE_BATCH}`,
          [`${HASH_PREFIX}%`],
        );
        for (const row of rows) await upgradeRow(driver, String(row.sessionToken));
        upgraded += rows.length;
        if (rows.length < UPGRADE_BATCH) return upgraded;
      }
    },
  };
  return adapter;
}
