// Token refresh across instances: two refreshers (two app instances) sharing a lease store on each real database and Redis
// spend one refresh token once at the real oidc-provider; and the lease store itself, parallel adds included.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { mysqlAdapter } from '../../src/adapters/mysql.js';
import postgresAdapter from '../../src/adapters/postgres.js';
import { redisAdapter } from '../../src/adapters/redis.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { GatehouseAdapter, LeaseStore } from '../../src/adapters/types.js';
import { createTokenRefresher } from '../../src/token-refresh.js';
import type { OAuthConfig, Session } from '../../src/types.js';
import { createPgFixture } from '../adapters/pg-fixture.js';
import { MARIADB, mariadbSkipReason, postgresSkipReason, REDIS, redisSkipReason, runName } from '../adapters/services.js';
import { Browser, SECRET, authorizeAt, idpProvider, rig, sessionOf, type Rig } from './setup.js';

interface Stores {
  /** Two adapters on one database: what two processes of the app hold. */
  adapters: [GatehouseAdapter, GatehouseAdapter];
  /** Every value stored under the lease keys, raw, for checking what sits at rest. */
  raw(): Promise<string[]>;
  cleanup(): Promise<void>;
}

interface Backend {
  name: string;
  skip?: () => Promise<string | undefined>;
  open(): Promise<Stores>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite (one file, two connections)',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-lease-'));
      const file = join(dir, 'auth.sqlite');
      const adapters: [GatehouseAdapter, GatehouseAdapter] = [sqliteAdapter(file), sqliteAdapter(file)];
      await adapters[0].migrate();
      return {
        adapters,
        raw: async () => {
          const { default: Database } = await import('better-sqlite3');
          const db = new Database(file, { readonly: true });
          try {
            return (db.prepare('SELECT id, value FROM gatehouse_leases').all() as Array<{ id: string; value: string }>).map((r) => `${r.id} ${r.value}`);
          } finally {
            db.close();
          }
        },
        async cleanup() {
          await Promise.all(adapters.map((a) => a.close()));
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: () => postgresSkipReason(),
    async open() {
      const fixture = await createPgFixture();
      const adapters: [GatehouseAdapter, GatehouseAdapter] = [postgresAdapter(fixture.connection), postgresAdapter(fixture.connection)];
      await adapters[0].migrate();
      return {
        adapters,
        raw: async () => (await fixture.admin.query<{ id: string; value: string }>('SELECT id, value FROM gatehouse_leases')).rows.map((r) => `${r.id} ${r.value}`),
        async cleanup() {
          await Promise.all(adapters.map((a) => a.close()));
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
      const adapters: [GatehouseAdapter, GatehouseAdapter] = [mysqlAdapter({ ...MARIADB, database }), mysqlAdapter({ ...MARIADB, database })];
      await adapters[0].migrate();
      return {
        adapters,
        raw: async () => ((await admin.query(`SELECT id, value FROM ${database}.gatehouse_leases`))[0] as Array<{ id: string; value: string }>).map((r) => `${r.id} ${r.value}`),
        async cleanup() {
          await Promise.all(adapters.map((a) => a.close()));
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
      const adapters: [GatehouseAdapter, GatehouseAdapter] = [redisAdapter(REDIS, { prefix }), redisAdapter(REDIS, { prefix })];
      const admin = new Redis(REDIS);
      return {
        adapters,
        async raw() {
          const keys = await admin.keys(`${prefix}lease:*`);
          return Promise.all(keys.map(async (key) => `${key} ${await admin.get(key)}`));
        },
        async cleanup() {
          const keys = await admin.keys(`${prefix}*`);
          if (keys.length > 0) await admin.del(...keys);
          await admin.quit();
          await Promise.all(adapters.map((a) => a.close()));
        },
      };
    },
  },
];

describe('the lease store', () => {
  for (const backend of BACKENDS) {
    describe(backend.name, async () => {
      const skip = await backend.skip?.();
      if (skip) {
        it('skipped', { skip }, () => undefined);
        return;
      }
      let stores: Stores;
      let a: LeaseStore;
      let b: LeaseStore;
      before(async () => {
        stores = await backend.open();
        a = stores.adapters[0].leaseStore();
        b = stores.adapters[1].leaseStore();
      });
      after(() => stores.cleanup());

      it('add stores only where nothing live is; set replaces; get and delete; an expired value is gone', async () => {
        assert.equal(await a.add('k1', 'first', 60_000), true);
        assert.equal(await b.add('k1', 'second', 60_000), false, 'the other instance cannot add over a live value');
        assert.equal(await b.get('k1'), 'first');
        await b.set('k1', 'replaced', 60_000);
        assert.equal(await a.get('k1'), 'replaced');
        await a.delete('k1');
        assert.equal(await b.get('k1'), null);
        assert.equal(await b.add('k1', 'again', 60_000), true);

        assert.equal(await a.add('short', 'x', 30), true);
        await new Promise((resolve) => setTimeout(resolve, 80));
        assert.equal(await b.get('short'), null, 'expired');
        assert.equal(await b.add('short', 'y', 60_000), true, 'an expired value does not block an add');
        assert.equal(await a.get('short'), 'y');
      });

      it('40 parallel adds of one key from two instances: exactly one wins', async () => {
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).add('race', String(i), 60_000)));
        assert.equal(results.filter(Boolean).length, 1);
      });
    });
  }
});

describe('token refresh across instances (oidc-provider with rotating refresh tokens)', () => {
  let rg: Rig;
  let provider!: OAuthConfig;
  before(async () => {
    // A slow token endpoint, so both instances are waiting on the same refresh at once.
    rg = await rig(
      (issuer) => {
        provider = idpProvider(issuer, { id: 'refresh' });
        return [provider];
      },
      {
        idp: { tokenDelayMs: 150 },
        config: {
          callbacks: {
            jwt: ({ token, account }) => (account ? { ...token, refresh_token: account.refresh_token } : token),
            session: ({ session, token }) => ({ ...session, refreshToken: token.refresh_token }) as Session,
          },
        },
      },
    );
  });
  after(() => rg.close());

  const refreshCalls = () => rg.idp.tokenRequests.filter((r) => r.get('grant_type') === 'refresh_token').length;

  async function freshRefreshToken(): Promise<string> {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'refresh', 'frank');
    assert.equal((await browser.fetch(rg.local(callback))).status, 302);
    const { refreshToken } = (await sessionOf(rg, browser)) as { refreshToken?: string };
    assert.ok(refreshToken, 'the IdP issued a refresh token');
    return refreshToken;
  }

  for (const backend of BACKENDS) {
    describe(backend.name, async () => {
      const skip = await backend.skip?.();
      if (skip) {
        it('skipped', { skip }, () => undefined);
        return;
      }
      let stores: Stores;
      before(async () => {
        stores = await backend.open();
      });
      after(() => stores.cleanup());

      it('10 concurrent refreshes on each of two instances: one token endpoint call, all 20 get the same rotated tokens, sealed at rest', async () => {
        const refreshToken = await freshRefreshToken();
        const onRefresh: string[] = [];
        const instances = stores.adapters.map((adapter, i) => createTokenRefresher(provider, { shared: { store: adapter.leaseStore(), secret: SECRET }, onRefresh: () => void onRefresh.push(`instance ${i}`) }));
        const before = refreshCalls();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 2]!.refresh(refreshToken)));

        assert.equal(refreshCalls() - before, 1, 'one exchange reached the token endpoint');
        assert.equal(onRefresh.length, 1, 'onRefresh ran once, on the instance that exchanged');
        const first = results[0]!;
        assert.ok(first.access_token && first.refresh_token);
        assert.notEqual(first.refresh_token, refreshToken, 'the refresh token rotated');
        for (const tokens of results) {
          assert.equal(tokens.access_token, first.access_token);
          assert.equal(tokens.refresh_token, first.refresh_token);
        }
        const atRest = await stores.raw();
        assert.ok(atRest.length > 0, 'the answer is in the shared store');
        for (const row of atRest) {
          for (const secret of [refreshToken, first.refresh_token!, first.access_token!]) assert.ok(!row.includes(secret), 'no token in clear at rest');
        }
      });

      it('a refused refresh rejects on every instance and leaves no lease behind', async () => {
        const instances = stores.adapters.map((adapter) => createTokenRefresher(provider, { shared: { store: adapter.leaseStore(), secret: SECRET } }));
        const settled = await Promise.allSettled([instances[0]!.refresh('not-a-refresh-token'), instances[1]!.refresh('not-a-refresh-token')]);
        assert.deepEqual(
          settled.map((s) => s.status),
          ['rejected', 'rejected'],
        );
        const spare = createTokenRefresher(provider, { shared: { store: stores.adapters[1].leaseStore(), secret: SECRET } });
        await assert.rejects(spare.refresh('not-a-refresh-token'), 'a later try is not blocked by a stale lease');
      });
    });
  }

  it('shared without a secret is refused at creation', () => {
    assert.throws(() => createTokenRefresher(provider, { shared: { store: unreachableStore(), secret: '' } }), /shared\.secret/);
  });
});

/** A lease store that is never reached: for checks that fail before any I/O. */
function unreachableStore(): LeaseStore {
  const never = () => Promise.reject(new Error('not reached'));
  return { add: never, set: never, get: never, delete: never };
}
