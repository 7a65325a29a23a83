// The gatehouse-auth command, run as a child process from dist/: secret, migrate against SQLite, PostgreSQL,
// MariaDB and Redis, and doctor against real SMTP, an in-process oidc-provider and those databases.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { mysqlDialect } from '../../src/adapters/mysql.js';
import { postgresDialect } from '../../src/adapters/postgres.js';
import { sqliteDialect } from '../../src/adapters/sqlite.js';
import { MARIADB, POSTGRES, REDIS, runName, serviceSkipReason } from '../adapters/services.js';
import { startSmtp, type SmtpSink } from '../helpers/smtp.js';
import { startIdp, type Idp } from '../oauth/idp.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli/index.js');

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only the variables given (plus PATH): the test's own environment must not leak in. */
function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { PATH: process.env.PATH ?? '', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const pgUrl = (schema: string) => `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${POSTGRES.database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
/** The tables a dialect's migrate() creates, read from its schema so new tables need no edit here. */
const tablesOf = (dialect: { schema: readonly string[] }) => [...dialect.schema.join('\n').matchAll(/^\s*CREATE TABLE IF NOT EXISTS (\w+)/gm)].map((m) => m[1]!).sort();
const TABLES = tablesOf(sqliteDialect);

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('gatehouse-auth secret', () => {
  test('prints 32 fresh random bytes as base64url, a different secret each run', async () => {
    const [a, b] = await Promise.all([cli(['secret']), cli(['secret'])]);
    for (const run of [a, b]) {
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^[A-Za-z0-9_-]{43}\n$/);
      assert.equal(Buffer.from(run.stdout.trim(), 'base64url').length, 32);
    }
    assert.notEqual(a.stdout, b.stdout);
  });

  test('an unknown command prints the usage and exits 2', async () => {
    const run = await cli(['frobnicate']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Usage: gatehouse-auth <command>/);
  });
});

describe('gatehouse-auth migrate on SQLite', () => {
  const tablesIn = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    } finally {
      db.close();
    }
  };

  test('creates the file and every table; running it again changes nothing', async () => {
    const file = join(scratch, 'nested', 'auth.sqlite');
    const first = await cli(['migrate', `sqlite:${file}`]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^Migrated sqlite:.*auth\.sqlite: \d+ statements/);
    assert.deepEqual(tablesIn(file), TABLES);
    assert.equal((await cli(['migrate', `sqlite://${file}`])).status, 0);
    assert.deepEqual(tablesIn(file), TABLES);
  });

  test('--print writes the SQL without touching a database; applied by hand it makes the same tables', async () => {
    const file = join(scratch, 'printed.sqlite');
    const printed = await cli(['migrate', `sqlite:${file}`, '--print']);
    assert.equal(printed.status, 0, printed.stderr);
    assert.match(printed.stdout, /CREATE TABLE IF NOT EXISTS users/);
    const db = new Database(file);
    db.exec(printed.stdout);
    db.close();
    assert.deepEqual(tablesIn(file), TABLES);
  });

  test('a URL it does not know is refused with the forms it knows', async () => {
    const run = await cli(['migrate', 'mongodb://127.0.0.1/x']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /use sqlite:<file>, postgres:\/\/…, mysql:\/\/… or redis:\/\/…/);
  });
});

describe('gatehouse-auth migrate on PostgreSQL', async () => {
  const admin = new pg.Client(POSTGRES);
  const skip = await serviceSkipReason('PostgreSQL', () => admin.connect());
  const schemas: string[] = [];
  after(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  });
  const tablesIn = async (schema: string) =>
    (await admin.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])).rows.map((r) => r.table_name);

  test('migrate creates the tables where the URL points; --print applied by hand makes the same', { skip }, async () => {
    const [a, b] = [runName(), runName()];
    schemas.push(a, b);
    for (const schema of [a, b]) await admin.query(`CREATE SCHEMA ${schema}`);
    const run = await cli(['migrate', pgUrl(a)]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(await tablesIn(a), tablesOf(postgresDialect));

    const printed = await cli(['migrate', pgUrl(b), '--print']);
    assert.equal(printed.status, 0, printed.stderr);
    assert.deepEqual(await tablesIn(b), [], '--print does not connect');
    const byHand = new pg.Client({ ...POSTGRES, options: `-c search_path=${b}` });
    await byHand.connect();
    await byHand.query(`BEGIN; ${printed.stdout} COMMIT;`);
    await byHand.end();
    assert.deepEqual(await tablesIn(b), tablesOf(postgresDialect));
  });
});

describe('gatehouse-auth migrate on MariaDB', async () => {
  let admin: mysql.Connection | undefined;
  const skip = await serviceSkipReason('MariaDB', async () => (admin = await mysql.createConnection(MARIADB)));
  const database = runName();
  after(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin?.end().catch(() => undefined);
  });

  test('migrate creates the tables in the database the URL names', { skip }, async () => {
    await admin!.query(`CREATE DATABASE ${database}`);
    const url = `mysql://${MARIADB.user}${MARIADB.password ? `:${MARIADB.password}` : ''}@${MARIADB.host}:${MARIADB.port}/${database}`;
    const run = await cli(['migrate', url]);
    assert.equal(run.status, 0, run.stderr);
    const [rows] = await admin!.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name', [database]);
    assert.deepEqual(
      (rows as { name: string }[]).map((r) => r.name),
      tablesOf(mysqlDialect),
    );
  });
});

describe('gatehouse-auth migrate on Redis', async () => {
  const probe = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 0 });
  const skip = await serviceSkipReason('Redis', () => probe.connect());
  after(() => probe.disconnect());

  test('migrate checks the server answers (Redis has no schema); --print says so', { skip }, async () => {
    const run = await cli(['migrate', `redis://${REDIS.host}:${REDIS.port}`]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /answers: Redis needs no schema/);
    assert.match((await cli(['migrate', 'redis://127.0.0.1:6379', '--print'])).stdout, /Redis needs no schema/);
  });
});

describe('gatehouse-auth doctor', async () => {
  const admin = new pg.Client(POSTGRES);
  const pgSkip = await serviceSkipReason('PostgreSQL', () => admin.connect());
  const migrated = runName();
  const empty = runName();
  let smtp: SmtpSink;
  let refusing: SMTPServer;
  let refusingPort: number;
  let idp: Idp;
  const secret = 'doctor-test-secret-0123456789abcdefghijklmnop';

  before(async () => {
    smtp = await startSmtp();
    // A server that wants a login and refuses every one: what a wrong EMAIL_SERVER password meets.
    refusing = new SMTPServer({
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (_auth, _session, callback) => callback(new Error('Invalid username or password')),
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    refusingPort = (refusing.server.address() as { port: number }).port;
    idp = await startIdp([{ client_id: 'doctor', client_secret: 'doctor-secret', redirect_uris: ['http://127.0.0.1:1/api/auth/callback/corp'] }]);
    if (!pgSkip) {
      for (const schema of [migrated, empty]) await admin.query(`CREATE SCHEMA ${schema}`);
      assert.equal((await cli(['migrate', pgUrl(migrated)])).status, 0);
    }
  });
  after(async () => {
    await smtp?.close();
    await new Promise<void>((resolve) => (refusing ? refusing.close(() => resolve()) : resolve()));
    await idp?.stop();
    if (!pgSkip) for (const schema of [migrated, empty]) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  });

  /** An app folder: its .env and an options module loading providers from dist/ (as the package would). */
  function app(env: string, providers: string, extra = ''): string {
    const dir = mkdtempSync(join(scratch, 'app-'));
    writeFileSync(join(dir, '.env'), env);
    writeFileSync(
      join(dir, 'auth.mjs'),
      `import OIDC from ${JSON.stringify(join(ROOT, 'dist/providers/oidc.js'))};
import Email from ${JSON.stringify(join(ROOT, 'dist/providers/email.js'))};
import postgresAdapter from ${JSON.stringify(join(ROOT, 'dist/adapters/postgres.js'))};
export const authOptions = { providers: [${providers}]${extra} };
`,
    );
    return dir;
  }
  const line = (run: Ran, check: string) => run.stdout.split('\n').find((l) => l.startsWith(`✓ ${check}:`) || l.startsWith(`✗ ${check}:`) || l.startsWith(`- ${check}:`)) ?? '';
  const fixAfter = (run: Ran, check: string) => {
    const lines = run.stdout.split('\n');
    return lines[lines.indexOf(line(run, check)) + 1] ?? '';
  };

  test('a healthy deployment: secret, URL, migrated database, SMTP that accepts, OIDC discovery, exit 0', { skip: pgSkip }, async () => {
    const dir = app(
      `AUTH_SECRET=${secret}\nNEXTAUTH_URL=https://app.example.com/api/auth\nDATABASE_URL=${pgUrl(migrated)}\nEMAIL_SERVER=${smtp.url}\n`,
      `OIDC({ id: 'corp', name: 'Corp', issuer: ${JSON.stringify(idp.issuer)}, clientId: 'doctor', clientSecret: 'doctor-secret' }), Email({ server: process.env.EMAIL_SERVER, from: 'a@example.com' })`,
      ', adapter: postgresAdapter(process.env.DATABASE_URL)',
    );
    const run = await cli(['doctor', 'auth.mjs'], { cwd: dir });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(line(run, 'env'), /read \.env/);
    assert.match(line(run, 'auth file'), /^✓ auth file: auth\.mjs: 2 provider\(s\)/);
    assert.match(line(run, 'secret'), /^✓ secret: AUTH_SECRET is set \(45 characters\)$/);
    assert.match(line(run, 'url'), /^✓ url: https:\/\/app\.example\.com, API at \/api\/auth$/);
    assert.match(line(run, 'database'), /^✓ database: postgres:.* answers, tables in place$/);
    assert.match(line(run, 'smtp'), /^✓ smtp: smtp:\/\/127\.0\.0\.1:\d+ accepts/);
    assert.match(line(run, 'oidc'), new RegExp(`^✓ oidc: corp: ${idp.issuer.replace(/[.]/g, '\\.')} discovered$`));
    assert.match(run.stdout, /No problems found\.\n$/);
    assert.doesNotMatch(run.stdout, new RegExp(secret), 'the secret is never printed');
  });

  test('what breaks first deployments, each with its fix: no secret, no URL, missing tables, refused SMTP, failing discovery', { skip: pgSkip }, async () => {
    const dir = app(
      `DATABASE_URL=${pgUrl(empty)}\nEMAIL_SERVER=smtp://mailer:wrong-password@127.0.0.1:${refusingPort}\n`,
      `OIDC({ id: 'corp', name: 'Corp', issuer: ${JSON.stringify(`${idp.issuer}/not-the-issuer`)}, clientId: 'doctor', clientSecret: 'x' })`,
    );
    const run = await cli(['doctor', 'auth.mjs'], { cwd: dir });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(line(run, 'secret'), /^✗ secret: no AUTH_SECRET/);
    assert.match(fixAfter(run, 'secret'), /^ {4}fix: run `npx gatehouse-auth secret`/);
    assert.match(line(run, 'url'), /^✗ url: NEXTAUTH_URL \/ AUTH_URL is not set/);
    assert.match(fixAfter(run, 'url'), /fix: set NEXTAUTH_URL to the public URL/);
    assert.match(line(run, 'database'), /answers, but the tables are missing$/);
    assert.match(fixAfter(run, 'database'), /fix: run `npx gatehouse-auth migrate postgres:/);
    assert.match(line(run, 'smtp'), /^✗ smtp: smtp:\/\/mailer:\*\*\*@127\.0\.0\.1:\d+ refuses: .*Invalid username or password/);
    assert.doesNotMatch(run.stdout, /wrong-password/);
    assert.match(line(run, 'oidc'), /^✗ oidc: corp: discovery at .*not-the-issuer\/\.well-known\/openid-configuration failed/);
    assert.match(fixAfter(run, 'oidc'), /fix: check the provider's `issuer`/);
    assert.match(run.stdout, /5 problem\(s\) found\.\n$/);
  });

  test('a short secret, NEXTAUTH_URL and AUTH_URL that disagree, plain http, an unreachable database (no auth file)', async () => {
    const closed = `postgres://postgres@127.0.0.1:1/test`;
    const short = await cli(['doctor', '--database', closed], { cwd: app('AUTH_SECRET=too-short\nNEXTAUTH_URL=https://a.example.com/api/auth\nAUTH_URL=https://b.example.com/api/auth\n', '') });
    assert.equal(short.status, 1);
    assert.match(line(short, 'secret'), /^✗ secret: AUTH_SECRET is 9 characters; use at least 32/);
    assert.match(line(short, 'url'), /^✗ url: NEXTAUTH_URL \(https:\/\/a\.example\.com\/api\/auth\) and AUTH_URL \(https:\/\/b\.example\.com\/api\/auth\) differ/);
    assert.match(line(short, 'database'), /^✗ database: postgres:\/\/postgres@127\.0\.0\.1:1\/test is unreachable: .*ECONNREFUSED/);
    assert.match(fixAfter(short, 'database'), /fix: check the host, port/);
    assert.match(line(short, 'oidc'), /^- oidc: pass the auth file/);

    const http = await cli(['doctor'], { cwd: app(`NEXTAUTH_SECRET=${secret}\nNEXTAUTH_URL=http://app.example.com/api/auth\n`, ''), env: { NEXTAUTH_URL: 'http://app.example.com/api/auth' } });
    assert.match(line(http, 'secret'), /^✓ secret: NEXTAUTH_SECRET is set/);
    assert.match(line(http, 'url'), /^✗ url: http:\/\/app\.example\.com\/api\/auth is plain http/);
  });

  test('variables already in the environment win over .env; a missing SQLite file is reported, not created', async () => {
    const dir = app('AUTH_SECRET=short\n', '');
    const file = join(dir, 'missing.sqlite');
    const run = await cli(['doctor', '--database', `sqlite:${file}`], { cwd: dir, env: { AUTH_SECRET: secret, AUTH_TRUST_HOST: 'true' } });
    assert.match(line(run, 'secret'), /^✓ secret: AUTH_SECRET is set \(45 characters\)/);
    assert.match(line(run, 'url'), /^✓ url: no NEXTAUTH_URL; the host comes from the proxy headers/);
    assert.match(line(run, 'database'), /does not exist$/);
    assert.match(fixAfter(run, 'database'), /fix: run `npx gatehouse-auth migrate sqlite:/);
    assert.equal((await import('node:fs')).existsSync(file), false);
  });
});
