// Issue 22 item 5: a second process holding BEGIN EXCLUSIVE on the SQLite file makes writes wait, but never the event loop: JWT requests are served meanwhile.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sqliteAdapter } from '../../src/adapters/sqlite.js';
import Credentials from '../../src/providers/credentials.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

/** Another process takes the write lock and holds it until told (a line on stdin), saying "locked" once it has it. */
function holdLock(file: string) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN EXCLUSIVE');
    db.exec("INSERT INTO verification_token (identifier, expires, token) VALUES ('lock', '2999-01-01T00:00:00.000Z', 'x')");
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
  `,
    ],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const locked = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    locked,
    release: async () => {
      child.stdin.write('go\n');
      await exited;
    },
  };
}

test('a write waiting on a lock held by another process leaves the event loop free: a JWT session read is served meanwhile', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'));
  const file = join(dir, 'auth.sqlite');
  const adapter = sqliteAdapter({ filename: file, options: { timeout: 30_000 } });
  await adapter.migrate();
  const server = await startServer({
    secret: SECRET,
    logger: { warn: () => {}, error: () => {}, debug: () => {} },
    providers: [Credentials({ credentials: { username: {} }, authorize: (input) => ({ id: `u-${input.username}`, name: String(input.username) }) })],
  });
  const lock = holdLock(file);
  try {
    const browser = new Browser();
    assert.equal((await browser.signInWithCredentials(server.base, { username: 'ann' })).status, 200);
    await lock.locked;
    let writeDone = false;
    const write = adapter.createUser({ email: 'waits@example.com', emailVerified: null } as never).then(() => (writeDone = true));
    // Counted, not timed: with a synchronous busy wait no callback runs until the write returns.
    let turns = 0;
    await new Promise<void>((resolve) => {
      const spin = () => (++turns >= 50 ? resolve() : setImmediate(spin));
      setImmediate(spin);
    });
    const session = await browser.fetch(`${server.base}/session`);
    assert.equal(((await session.json()) as { user?: { name?: string } }).user?.name, 'ann');
    assert.equal(writeDone, false, 'the write finished before the lock was released: the test did not exercise the wait');
    await lock.release();
    await write;
    assert.ok(await adapter.getUserByEmail('waits@example.com'), 'the write landed once the lock was released');
  } finally {
    await server.close();
    await adapter.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
