// The real servers behind a relay, one fresh schema, database or key prefix each: the adapter under test goes through the relay, a direct one seeds and checks.
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { mysqlAdapter } from '../../src/adapters/mysql.js';
import { postgresAdapter } from '../../src/adapters/postgres.js';
import { redisAdapter } from '../../src/adapters/redis.js';
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import { createPgFixture } from '../adapters/pg-fixture.js';
import { MARIADB, mariadbSkipReason, POSTGRES, postgresSkipReason, REDIS, redisSkipReason, runName } from '../adapters/services.js';
import { startRelay, type Relay } from '../helpers/relay.js';

/** The deadline the outage tests run with: small, so a test waits little; nothing asserts on it. */
export const STORE_TIMEOUT = 300;
/** The drivers' own timeouts in these tests: past the deadline, so they free connections after the request ended. */
const DRIVER_TIMEOUT = 1000;

export interface OutageStore {
  relay: Relay;
  /** Through the relay: what createAuth is given. */
  adapter: GatehouseAdapter;
  /** Straight to the server: seeds and checks, never cut. */
  direct: GatehouseAdapter;
  close(): Promise<void>;
}

export interface StoreKind {
  name: string;
  skip(): Promise<string | undefined>;
  open(): Promise<OutageStore>;
}

export const STORES: StoreKind[] = [
  {
    name: 'PostgreSQL',
    skip: postgresSkipReason,
    async open() {
      const fixture = await createPgFixture();
      const relay = await startRelay(POSTGRES);
      const direct = postgresAdapter(fixture.connection);
      await direct.migrate();
      const adapter = postgresAdapter({
        ...fixture.connection,
        host: relay.host,
        port: relay.port,
        connectionTimeoutMillis: DRIVER_TIMEOUT,
        query_timeout: DRIVER_TIMEOUT,
        statement_timeout: DRIVER_TIMEOUT,
      });
      return {
        relay,
        adapter,
        direct,
        async close() {
          await relay.close();
          await adapter.close();
          await direct.close();
          await fixture.drop();
        },
      };
    },
  },
  {
    name: 'MariaDB',
    skip: mariadbSkipReason,
    async open() {
      const database = runName();
      const admin = await mysql.createConnection(MARIADB);
      await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      const relay = await startRelay(MARIADB);
      const direct = mysqlAdapter({ ...MARIADB, database });
      await direct.migrate();
      const adapter = mysqlAdapter({ ...MARIADB, database, host: relay.host, port: relay.port, connectTimeout: DRIVER_TIMEOUT }, { queryTimeout: DRIVER_TIMEOUT });
      return {
        relay,
        adapter,
        direct,
        async close() {
          await relay.close();
          await adapter.close().catch(() => undefined);
          await direct.close();
          await admin.query(`DROP DATABASE IF EXISTS ${database}`);
          await admin.end();
        },
      };
    },
  },
  {
    name: 'Redis',
    skip: redisSkipReason,
    async open() {
      const prefix = `${runName()}:`;
      const relay = await startRelay(REDIS);
      const direct = redisAdapter(REDIS, { prefix });
      const adapter = redisAdapter({ host: relay.host, port: relay.port, commandTimeout: DRIVER_TIMEOUT, connectTimeout: DRIVER_TIMEOUT }, { prefix });
      return {
        relay,
        adapter,
        direct,
        async close() {
          await relay.close();
          await adapter.close().catch(() => undefined);
          await direct.close();
          const admin = new Redis(REDIS);
          const keys = await admin.keys(`${prefix}*`);
          if (keys.length > 0) await admin.del(...keys);
          admin.disconnect();
        },
      };
    },
  },
];

/** Retries `probe` until it says yes: the service heals by itself; the bound is attempts, not a time. */
export async function eventually(what: string, probe: () => Promise<boolean>, attempts = 200): Promise<number> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await probe()) return attempt;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never healed: ${what}`);
}
