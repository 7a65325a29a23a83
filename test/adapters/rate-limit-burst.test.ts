// Issue 13 item 1: rate limits hold under 40 parallel requests, on every store (memory, SQLite file, PostgreSQL, MariaDB, Redis) over real HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Redis } from 'ioredis';
import memoryAdapter from '../../src/adapters/memory.js';
import { mysqlAdapter } from '../../src/adapters/mysql.js';
import { postgresAdapter } from '../../src/adapters/postgres.js';
import { redisAdapter } from '../../src/adapters/redis.js';
import { sqliteAdapter } from '../../src/adapters/sqlite.js';
import { memoryRateLimitStore, type RateLimitStore } from '../../src/core/rate-limit.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import type { AuthConfig, RateLimitOptions } from '../../src/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';
import { createPgFixture } from './pg-fixture.js';
import { MARIADB, mariadbSkipReason, POSTGRES, REDIS, redisSkipReason, runName, serviceSkipReason } from './services.js';

const BURST = 40;
const LIMIT = 5;
const quiet = { warn: () => {}, error: () => {}, debug: () => {} };

interface OpenedStore {
  store: RateLimitStore;
  close(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-burst-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const STORES: Array<{ name: string; skip: () => Promise<string | undefined>; open: () => Promise<OpenedStore> }> = [
  { name: 'memory', skip: async () => undefined, open: async () => ({ store: memoryRateLimitStore(), close: async () => undefined }) },
  {
    name: 'SQLite file',
    skip: async () => undefined,
    async open() {
      const adapter = sqliteAdapter(join(dir, `${runName()}.sqlite`));
      await adapter.migrate();
      return { store: adapter.rateLimitStore(), close: () => adapter.close() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: () =>
      serviceSkipReason(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port}`, async () => {
        const client = new pg.Client(POSTGRES);
        await client.connect();
        await client.end();
      }),
    async open() {
      const fixture = await createPgFixture();
      const adapter = postgresAdapter(fixture.connection);
      await adapter.migrate();
      return {
        store: adapter.rateLimitStore(),
        async close() {
          await adapter.close();
          await fixture.drop();
        },
      };
    },
  },
  {
    name: 'MariaDB',
    skip: () => mariadbSkipReason(),
    async open() {
      const database = runName();
      const admin = await mysql.createConnection(MARIADB);
      await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      const adapter = mysqlAdapter({ ...MARIADB, database, connectionLimit: 8 });
      await adapter.migrate();
      return {
        store: adapter.rateLimitStore(),
        async close() {
          await adapter.close();
          await admin.query(`DROP DATABASE IF EXISTS ${database}`);
          await admin.end();
        },
      };
    },
  },
  {
    name: 'Redis',
    skip: () => redisSkipReason(),
    async open() {
      const prefix = `${runName()}:`;
      const adapter = redisAdapter(REDIS, { prefix });
      return {
        store: adapter.rateLimitStore(),
        async close() {
          const admin = new Redis(REDIS);
          const keys = await admin.keys(`${prefix}*`);
          if (keys.length > 0) await admin.del(...keys);
          admin.disconnect();
          await adapter.close();
        },
      };
    },
  },
];

/**
 * Holds every authorize() call until each of the burst's requests is either inside authorize()
 * or answered, so the race is certain rather than left to scheduling: a check that reads the
 * counter before authorize() and counts afterwards lets all 40 in; a reservation lets in `LIMIT`.
 */
function burstGate(size: number) {
  let inside = 0;
  let answered = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const check = () => {
    if (inside + answered >= size) open();
  };
  return {
    get calls() {
      return inside;
    },
    async enter() {
      inside += 1;
      check();
      await opened;
    },
    answer() {
      answered += 1;
      check();
    },
  };
}

function credentials(gate: ReturnType<typeof burstGate> | undefined, rateLimit: RateLimitOptions): AuthConfig {
  return {
    secret: SECRET,
    logger: quiet,
    rateLimit,
    providers: [
      Credentials({
        credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
        async authorize(input) {
          await gate?.enter();
          return input.password === 'pw' ? { id: `u-${input.username}`, name: input.username ?? null } : null;
        },
      }),
    ],
  };
}

async function burst(base: string, gate: ReturnType<typeof burstGate>, fields: (i: number) => Record<string, string>): Promise<number[]> {
  // CSRF pairs first, in sequence: the burst itself is only the credential POSTs.
  const clients = [];
  for (let i = 0; i < BURST; i++) {
    const browser = new Browser();
    clients.push({ browser, csrfToken: await browser.csrfToken(base) });
  }
  return Promise.all(
    clients.map(async ({ browser, csrfToken }, i) => {
      const response = await browser.fetch(`${base}/callback/credentials`, { method: 'POST', form: { ...fields(i), csrfToken, json: 'true' } });
      await response.arrayBuffer();
      gate.answer();
      return response.status;
    }),
  );
}

function tally(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const status of statuses) out[status] = (out[status] ?? 0) + 1;
  return out;
}

for (const { name, skip, open } of STORES) {
  const reason = await skip();
  describe(`rate limits under a burst of ${BURST} (${name})`, { ...(reason === undefined ? {} : { skip: reason }) }, () => {
    test(`${BURST} parallel wrong passwords for one account: ${LIMIT} reach authorize(), the rest get 429`, async () => {
      const opened = await open();
      const gate = burstGate(BURST);
      const server = await startServer(credentials(gate, { store: opened.store, credentials: { perIdentifier: { limit: LIMIT, window: 900 }, perIp: false } }));
      try {
        const statuses = await burst(server.base, gate, () => ({ username: 'ann', password: 'wrong' }));
        assert.deepEqual(tally(statuses), { 401: LIMIT, 429: BURST - LIMIT });
        assert.equal(gate.calls, LIMIT, 'authorize() ran more often than the limit allows');
        assert.equal((await opened.store.peek('credentials:id:credentials:ann')).count, LIMIT, 'refused attempts were not given back');
      } finally {
        await server.close();
        await opened.close();
      }
    });

    test(`${BURST} parallel guesses from one IP at ${BURST} accounts: the per-IP limit holds too`, async () => {
      const opened = await open();
      const gate = burstGate(BURST);
      const server = await startServer(credentials(gate, { store: opened.store, credentials: { perIp: { limit: LIMIT, window: 900 }, perIdentifier: false } }));
      try {
        const statuses = await burst(server.base, gate, (i) => ({ username: `user${i}`, password: 'wrong' }));
        assert.deepEqual(tally(statuses), { 401: LIMIT, 429: BURST - LIMIT });
        assert.equal(gate.calls, LIMIT);
      } finally {
        await server.close();
        await opened.close();
      }
    });

    test('a success gives its reservation back: sign-ins never use up the per-IP limit', async () => {
      const opened = await open();
      const server = await startServer(credentials(undefined, { store: opened.store, credentials: { perIp: { limit: 2, window: 900 }, perIdentifier: { limit: 2, window: 900 } } }));
      try {
        for (let i = 0; i < 4; i++) {
          const ok = await new Browser().signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
          assert.equal(ok.status, 200, `sign-in ${i + 1} was refused`);
        }
        const wrong = () => new Browser().signInWithCredentials(server.base, { username: 'bob', password: 'wrong' });
        assert.equal((await wrong()).status, 401);
        assert.equal((await wrong()).status, 401);
        assert.equal((await wrong()).status, 429, 'two failures fill a limit of two');
        const ip = (await opened.store.peek('credentials:ip:127.0.0.1')).count;
        assert.equal(ip, 2, 'the IP bucket holds the failures only');
      } finally {
        await server.close();
        await opened.close();
      }
    });

    test(`${BURST} parallel magic-link requests for one address: ${LIMIT} mails, the rest 429`, async () => {
      const opened = await open();
      let sent = 0;
      const server = await startServer({
        secret: SECRET,
        logger: quiet,
        adapter: memoryAdapter(),
        session: { strategy: 'jwt' },
        rateLimit: { store: opened.store, email: { perAddress: { limit: LIMIT, window: 900 }, perIp: false } },
        providers: [Email({ sendVerificationRequest: () => void sent++ })],
      });
      try {
        const clients = [];
        for (let i = 0; i < BURST; i++) {
          const browser = new Browser();
          clients.push({ browser, csrfToken: await browser.csrfToken(server.base) });
        }
        const statuses = await Promise.all(
          clients.map(async ({ browser, csrfToken }) => {
            const response = await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'target@example.com', json: 'true' } });
            await response.arrayBuffer();
            return response.status;
          }),
        );
        assert.deepEqual(tally(statuses), { 200: LIMIT, 429: BURST - LIMIT });
        assert.equal(sent, LIMIT);
      } finally {
        await server.close();
        await opened.close();
      }
    });
  });
}
