// Where the test databases are, and what a test file does when one is not running: skip loudly, or fail under GATEHOUSE_REQUIRE_SERVICES=1.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

export const REQUIRE_SERVICES = process.env.GATEHOUSE_REQUIRE_SERVICES === '1';

export const POSTGRES = {
  host: process.env.GATEHOUSE_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.GATEHOUSE_PG_PORT ?? 5432),
  user: process.env.GATEHOUSE_PG_USER ?? 'postgres',
  database: process.env.GATEHOUSE_PG_DATABASE ?? 'test',
};

export const MARIADB = {
  host: process.env.GATEHOUSE_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.GATEHOUSE_MYSQL_PORT ?? 3306),
  user: process.env.GATEHOUSE_MYSQL_USER ?? 'root',
  password: process.env.GATEHOUSE_MYSQL_PASSWORD ?? '',
};

export const REDIS = {
  host: process.env.GATEHOUSE_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.GATEHOUSE_REDIS_PORT ?? 6379),
};

/** A name no parallel test file will pick: schemas, databases, key prefixes, connection names. */
export function runName(): string {
  return `gh_${randomBytes(6).toString('hex')}`;
}

/**
 * Runs `probe`; returns undefined when the service answers, else the reason to skip. With
 * GATEHOUSE_REQUIRE_SERVICES=1 (CI) an absent service throws instead, failing the file.
 */
export async function serviceSkipReason(service: string, probe: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    const absent = `${service} is not reachable (${error instanceof Error ? error.message : String(error)})`;
    if (REQUIRE_SERVICES) throw new Error(`GATEHOUSE_REQUIRE_SERVICES=1 and ${absent}`, { cause: error });
    return `${absent}; start it, or set GATEHOUSE_REQUIRE_SERVICES=1 to make this a failure`;
  }
}

/** Polls `fn` until it returns a value (for "wait until the adapter is blocked"), bounded by attempts. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, attempts = 400): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** The skip reason (or undefined) for suites on PostgreSQL, MariaDB/MySQL or Redis: one probe each, shared by every suite. */
export const postgresSkipReason = () =>
  serviceSkipReason(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port}`, async () => {
    const client = new pg.Client(POSTGRES);
    await client.connect();
    await client.end();
  });

export const mariadbSkipReason = () =>
  serviceSkipReason(`MariaDB/MySQL at ${MARIADB.host}:${MARIADB.port}`, async () => {
    const connection = await mysql.createConnection(MARIADB);
    await connection.end();
  });

export const redisSkipReason = () =>
  serviceSkipReason(`Redis at ${REDIS.host}:${REDIS.port}`, async () => {
    const probe = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  });
