// Opens the database-session stores for the bench with every SQL statement counted, seeds them, and explains the plans of what ran.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// better-sqlite3 and pg are gatehouse's own dev dependencies: load them from the project root, as its adapters do.
const rootRequire = createRequire(new URL('../../package.json', import.meta.url));

/** Rows besides the measured one, so a lookup that scans would show in the plan and in the numbers. */
const FILLER_ROWS = Number(process.env.BENCH_DB_ROWS ?? 10_000);

function kindOf(sql) {
  const verb = sql.trimStart().split(/\s/, 1)[0].toUpperCase();
  return verb === 'SELECT' || verb === 'WITH' ? 'read' : verb === 'BEGIN' || verb === 'COMMIT' || verb === 'ROLLBACK' ? 'tx' : 'write';
}

/** Counts statements by text; `lastParams` lets stats() EXPLAIN a statement exactly as it ran. */
function counter() {
  const bySql = new Map();
  return {
    record(sql, params) {
      const entry = bySql.get(sql) ?? { sql, kind: kindOf(sql), count: 0, lastParams: [] };
      entry.count++;
      entry.lastParams = params ?? [];
      bySql.set(sql, entry);
    },
    reset: () => bySql.clear(),
    entries: () => [...bySql.values()],
  };
}

function summary(entries, requests, plans) {
  const total = (kind) => entries.filter((e) => kind === undefined || e.kind === kind).reduce((n, e) => n + e.count, 0);
  const per = (n) => (requests > 0 ? Number((n / requests).toFixed(3)) : null);
  return {
    statements: total(),
    reads: total('read'),
    writes: total('write'),
    transactions: total('tx'),
    perRequest: { statements: per(total()), reads: per(total('read')), writes: per(total('write')) },
    // Plans inline the bound values: the bench's throwaway tokens are shortened so results carry none.
    distinct: entries.map((e, i) => ({ sql: e.sql, kind: e.kind, count: e.count, plan: plans[i]?.map((line) => line.replace(/[0-9a-f]{32,}/g, '…')) ?? null })),
  };
}

/** Wraps an adapter's methods to count calls (getSessionAndUser, updateSession, …) next to the SQL. */
export function countAdapterCalls(adapter) {
  const calls = {};
  const wrapped = {};
  for (const [name, value] of Object.entries(adapter)) {
    wrapped[name] =
      typeof value === 'function'
        ? (...args) => {
            calls[name] = (calls[name] ?? 0) + 1;
            return value.apply(adapter, args);
          }
        : value;
  }
  return { adapter: wrapped, calls, reset: () => Object.keys(calls).forEach((k) => delete calls[k]) };
}

/**
 * A better-sqlite3 file database opened the way `sqliteAdapter(path)` opens one (WAL, foreign keys,
 * 5 s busy timeout), with `prepare` and `exec` wrapped to count what runs. Pass `db` to `sqliteAdapter`.
 */
export function countedSqlite() {
  const Database = rootRequire('better-sqlite3');
  const file = join(tmpdir(), `gatehouse-bench-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const count = counter();
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  db.prepare = (sql) => {
    const statement = prepare(sql);
    for (const method of ['run', 'get', 'all', 'iterate']) {
      const original = statement[method].bind(statement);
      statement[method] = (...params) => {
        count.record(sql, params);
        return original(...params);
      };
    }
    return statement;
  };
  db.exec = (sql) => {
    count.record(sql, []);
    return exec(sql);
  };
  return {
    db,
    async seed() {
      const insertUser = prepare('INSERT INTO users (id, name, email) VALUES (?, ?, ?)');
      const insertSession = prepare('INSERT INTO sessions ("userId", expires, "sessionToken") VALUES (?, ?, ?)');
      const expires = new Date(Date.now() + 30 * 86400_000).toISOString();
      db.transaction(() => {
        for (let i = 0; i < FILLER_ROWS; i++) {
          insertUser.run(`filler-${i}`, `Filler ${i}`, `filler${i}@example.com`);
          insertSession.run(`filler-${i}`, expires, randomBytes(32).toString('hex'));
        }
      })();
      // No ANALYZE here: better-sqlite3 builds SQLite with STAT4, and once sqlite_stat4 exists every
      // execution whose bound values changed is re-planned (about 12 µs more per session read, measured).
      // A fresh database from migrate() has no statistics either; the plan is the same index search.
      count.reset();
    },
    reset: () => count.reset(),
    stats(requests) {
      const entries = count.entries();
      const plans = entries.map((e) => {
        if (e.kind === 'tx') return null;
        try {
          return prepare(`EXPLAIN QUERY PLAN ${e.sql}`)
            .all(...e.lastParams)
            .map((row) => row.detail);
        } catch (error) {
          return [`(no plan: ${error.message})`];
        }
      });
      return summary(entries, requests, plans);
    },
    close() {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
  };
}

/** The same connection settings as the test suites (GATEHOUSE_PG_*), in a throwaway schema. */
export const POSTGRES = {
  host: process.env.GATEHOUSE_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.GATEHOUSE_PG_PORT ?? 5432),
  user: process.env.GATEHOUSE_PG_USER ?? 'postgres',
  database: process.env.GATEHOUSE_PG_DATABASE ?? 'test',
};

/** A pg.Pool in a fresh schema with `query` (and pooled clients' `query`) counted. Pass `pool` to `postgresAdapter`. */
export async function countedPostgres() {
  const pg = rootRequire('pg');
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(POSTGRES);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`SET search_path = ${schema}`);
  const pool = new pg.Pool({ ...POSTGRES, options: `-c search_path=${schema}` });
  pool.on('error', () => undefined);
  const count = counter();
  const query = pool.query.bind(pool);
  pool.query = (text, params, ...rest) => {
    count.record(typeof text === 'string' ? text : text.text, params);
    return query(text, params, ...rest);
  };
  // pg-pool's own query() checks a client out with a callback and queries it: already counted above.
  // Only promise-style checkouts (the adapter's transactions) count their client's statements.
  const connect = pool.connect.bind(pool);
  pool.connect = (...args) => {
    if (typeof args[0] === 'function') return connect(...args);
    return connect().then((client) => {
      if (!client.__benchWrapped) {
        const clientQuery = client.query.bind(client);
        client.query = (text, params, ...rest) => {
          if (client.__benchOwned) count.record(typeof text === 'string' ? text : text.text, params);
          return clientQuery(text, params, ...rest);
        };
        client.__benchWrapped = true;
      }
      // pg-pool assigns a fresh release() at every checkout, so it is wrapped every time.
      const release = client.release;
      client.release = (...releaseArgs) => {
        client.__benchOwned = false;
        return release(...releaseArgs);
      };
      client.__benchOwned = true;
      return client;
    });
  };
  return {
    pool,
    schema,
    async seed() {
      await admin.query(
        `INSERT INTO users (id, name, email) SELECT 'filler-' || i, 'Filler ' || i, 'filler' || i || '@example.com' FROM generate_series(1, $1) i`,
        [FILLER_ROWS],
      );
      await admin.query(
        `INSERT INTO sessions ("userId", expires, "sessionToken") SELECT 'filler-' || i, now() + interval '30 days', md5(random()::text) || md5(random()::text) FROM generate_series(1, $1) i`,
        [FILLER_ROWS],
      );
      await admin.query('ANALYZE');
      count.reset();
    },
    reset: () => count.reset(),
    async stats(requests) {
      const entries = count.entries();
      const plans = [];
      for (const e of entries) {
        if (e.kind === 'tx') {
          plans.push(null);
          continue;
        }
        try {
          // Plain EXPLAIN only plans: an UPDATE is not executed.
          const { rows } = await admin.query(`EXPLAIN ${e.sql}`, e.lastParams);
          plans.push(rows.map((row) => row['QUERY PLAN']));
        } catch (error) {
          plans.push([`(no plan: ${error.message})`]);
        }
      }
      return summary(entries, requests, plans);
    },
    async close() {
      await pool.end().catch(() => undefined);
      await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}

/** Seeds the measured user and one session younger than updateAge through the adapter itself; returns the cookie value. */
export async function createMeasuredSession(adapter, user) {
  const created = await adapter.createUser({ name: user.name, email: user.email, emailVerified: null, image: null });
  const sessionToken = randomBytes(32).toString('hex');
  await adapter.createSession({ sessionToken, userId: created.id, expires: new Date(Date.now() + 30 * 86400_000) });
  return sessionToken;
}
