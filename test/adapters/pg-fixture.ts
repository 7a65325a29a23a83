// A fresh PostgreSQL schema per suite, with raw probes and connection-killing hooks for the conformance suite.
import pg from 'pg';
import type { InterruptHooks, Interruption, StorageProbe } from '../../src/adapters/conformance.js';
import { POSTGRES, runName, until } from './services.js';

export interface PgFixture {
  schema: string;
  /** Pool options that put the adapter in this schema, tagged so its backends can be found and killed. */
  connection: pg.PoolConfig;
  /** A client of our own in the same schema, for raw reads and setup. */
  admin: pg.Client;
  storage: StorageProbe;
  interrupt: InterruptHooks;
  drop(): Promise<void>;
}

async function connect(schema: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ ...POSTGRES, options: `-c search_path=${schema}`, application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function createPgFixture(): Promise<PgFixture> {
  const schema = runName();
  const admin = await connect(schema, `${schema}_admin`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const connection: pg.PoolConfig = { ...POSTGRES, options: `-c search_path=${schema}`, application_name: schema, max: 4 };

  const backends = async (extra = '') => (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 ${extra}`, [schema])).rows;

  const storage: StorageProbe = {
    async sessions(userId) {
      const { rows } = await admin.query('SELECT "sessionToken", expires FROM sessions WHERE "userId"::text = $1', [userId]);
      return rows as Array<{ sessionToken: string; expires: Date }>;
    },
    async accounts(userId) {
      return (await admin.query('SELECT * FROM accounts WHERE "userId"::text = $1', [userId])).rows;
    },
    async verificationTokens(identifier) {
      const { rows } = await admin.query('SELECT token, expires FROM verification_token WHERE identifier = $1', [identifier]);
      return rows as Array<{ token: string; expires: Date }>;
    },
    async passwordHash(userId) {
      const { rows } = await admin.query('SELECT hash FROM gatehouse_passwords WHERE "userId" = $1', [userId]);
      return rows[0] ? String(rows[0].hash) : null;
    },
    async insertLegacySession(session) {
      await admin.query('INSERT INTO sessions ("sessionToken", "userId", expires) VALUES ($1, $2, $3)', [session.sessionToken, session.userId, session.expires]);
    },
  };

  const interrupt: InterruptHooks = {
    async dropConnections() {
      for (const { pid } of await backends()) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    },
    async deleteUser(userId): Promise<Interruption> {
      // Another transaction holds the user's row: the adapter's DELETE FROM users waits on it.
      const locker = await connect(schema, `${schema}_locker`);
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      return {
        async strike() {
          const [waiting] = await until('the adapter to wait on the row lock', async () => {
            const rows = await backends("AND wait_event_type = 'Lock'");
            return rows.length > 0 ? rows : undefined;
          });
          await admin.query('SELECT pg_terminate_backend($1)', [waiting?.pid]);
        },
        async release() {
          await locker.query('ROLLBACK');
          await locker.end();
        },
      };
    },
  };

  return {
    schema,
    connection,
    admin,
    storage,
    interrupt,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
