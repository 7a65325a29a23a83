// `gatehouse-auth migrate <url> [--print]`: the adapter's migrate() on the database a URL names, or its SQL.
import { dialectOf, openAdapter, parseDatabaseUrl } from './database.js';

/** The statements migrate() runs, as a script a DBA can read or apply by hand. */
export async function migrationSql(url: string): Promise<string> {
  const target = parseDatabaseUrl(url);
  const dialect = await dialectOf(target);
  if (!dialect) return '-- Redis needs no schema: gatehouse creates its keys on first write.\n';
  return `${dialect.schema.map((statement) => `${statement.trim()};`).join('\n\n')}\n`;
}

/** Runs migrate() (safe to repeat: the schema creates only what is missing) and says what it did. */
export async function migrate(url: string): Promise<string> {
  const target = parseDatabaseUrl(url);
  const adapter = await openAdapter(target);
  try {
    await adapter.migrate();
  } finally {
    await adapter.close();
  }
  const dialect = await dialectOf(target);
  return dialect ? `Migrated ${target.display}: ${dialect.schema.length} statements, every table and index present.` : `${target.display} answers: Redis needs no schema.`;
}
