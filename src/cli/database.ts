// The adapter a database URL names, for `migrate` and `doctor`: sqlite:…, postgres://…, mysql://…, redis://….
import type { GatehouseAdapter } from '../adapters/types.js';
import type { SqlDialect } from '../adapters/sql/driver.js';

export interface DatabaseTarget {
  kind: 'sqlite' | 'postgres' | 'mysql' | 'redis';
  /** The URL with any password replaced by `***`, for output. */
  display: string;
  /** What the adapter factory is given: a file path for SQLite, the URL otherwise. */
  connection: string;
}

/** Parses a database URL; a TypeError says which forms are understood. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const display = redactUrl(url);
  if (url.startsWith('sqlite:')) {
    // sqlite:data/auth.sqlite and sqlite:/abs/file; sqlite:///abs/file as in SQLAlchemy-style URLs.
    const rest = url.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new TypeError('sqlite: needs a file, e.g. sqlite:data/auth.sqlite');
    return { kind: 'sqlite', display, connection: decodeURIComponent(path) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', display, connection: url };
  // mysql2 reads only mysql://; MariaDB speaks the same protocol.
  if (scheme === 'mysql' || scheme === 'mariadb') return { kind: 'mysql', display, connection: url.replace(/^mariadb:/i, 'mysql:') };
  if (scheme === 'redis' || scheme === 'rediss') return { kind: 'redis', display, connection: url };
  throw new TypeError(`not a database URL gatehouse knows: ${display} (use sqlite:<file>, postgres://…, mysql://… or redis://…)`);
}

export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^@/]*@/i, '$1***@');
}

/** The adapter for a target, loaded on demand so only its driver must be installed. */
export async function openAdapter(target: DatabaseTarget): Promise<GatehouseAdapter> {
  switch (target.kind) {
    case 'sqlite':
      return (await import('../adapters/sqlite.js')).sqliteAdapter(target.connection);
    case 'postgres':
      return (await import('../adapters/postgres.js')).postgresAdapter(target.connection);
    case 'mysql':
      return (await import('../adapters/mysql.js')).mysqlAdapter(target.connection);
    case 'redis':
      return (await import('../adapters/redis.js')).redisAdapter(target.connection);
  }
}

/** The SQL dialect of a target (its schema is what migrate() runs); Redis has none. */
export async function dialectOf(target: DatabaseTarget): Promise<SqlDialect | undefined> {
  switch (target.kind) {
    case 'sqlite':
      return (await import('../adapters/sqlite.js')).sqliteDialect;
    case 'postgres':
      return (await import('../adapters/postgres.js')).postgresDialect;
    case 'mysql':
      return (await import('../adapters/mysql.js')).mysqlDialect;
    case 'redis':
      return undefined;
  }
}
