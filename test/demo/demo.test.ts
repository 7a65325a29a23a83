// The README's demo (`npm start`), run as a user runs it: a child process on a fresh SQLite file,
// signed into with the demo password, a new account and a magic link read from its console, and a
// second factor turned on.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Browser } from '../helpers/server.js';
import { codeOf, enrolTotp, secondStep, sessionEmail } from '../helpers/two-factor.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

describe('the demo (npm start)', () => {
  let dir: string;
  let file: string;
  let child: ChildProcess;
  let output = '';
  let origin: string;
  let base: string;

  /** Resolves with the first console match after `from`, failing when the demo exits first. */
  function waitFor(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = output.slice(from).match(pattern);
        if (match) {
          child.stdout!.off('data', check);
          child.off('exit', exited);
          resolve(match);
        }
      };
      const exited = (code: number | null) => reject(new Error(`demo exited (${code}) before printing ${pattern}:\n${output}`));
      child.stdout!.on('data', check);
      child.once('exit', exited);
      check();
    });
  }

  async function start(): Promise<void> {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    base = `${origin}/api/auth`;
    output = '';
    child = spawn(process.execPath, ['demo/server.js'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), DEMO_DATABASE: file, NEXTAUTH_URL: '', EMAIL_SERVER: '', AUTH_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitFor(/gatehouse demo on/);
  }

  async function stop(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
    file = join(dir, 'data', 'demo.sqlite');
    await start();
  });
  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the first run creates the SQLite file with the schema and a hashed demo password', () => {
    const db = new Database(file, { readonly: true });
    try {
      const user = db.prepare('SELECT id, email FROM users').all() as { id: string; email: string }[];
      assert.deepEqual(
        user.map((u) => u.email),
        ['demo@example.com'],
      );
      const hash = db.prepare('SELECT hash FROM gatehouse_passwords WHERE "userId" = ?').pluck().get(user[0]!.id) as string;
      assert.match(hash, /^scrypt\$/);
      assert.ok(!hash.includes('demo'));
    } finally {
      db.close();
    }
  });

  test('the home page says how to sign in', async () => {
    const page = await (await fetch(`${origin}/`)).text();
    assert.match(page, /You are not signed in/);
    assert.match(page, /demo@example\.com/);
    assert.match(page, /href="\/api\/auth\/signup"/);
  });

  test('the demo password signs in with a database session; a wrong one does not', async () => {
    const browser = new Browser();
    let csrfToken = await browser.csrfToken(base);
    const wrong = await browser.fetch(`${base}/callback/password`, {
      form: { csrfToken, email: 'demo@example.com', password: 'nope', json: 'true' },
    });
    assert.equal(wrong.status, 401);
    csrfToken = await browser.csrfToken(base);
    const ok = await browser.fetch(`${base}/callback/password`, {
      form: { csrfToken, email: 'demo@example.com', password: 'demo', json: 'true' },
    });
    assert.equal(ok.status, 200);
    const token = browser.jar.get('next-auth.session-token');
    assert.ok(token);
    // A database session's cookie is an opaque token, not a JWE (which has five dot-separated parts).
    assert.equal(token.split('.').length, 1);
    const session = await (await browser.fetch(`${base}/session`)).json();
    assert.equal(session.user.email, 'demo@example.com');
    assert.equal(session.user.name, 'Demo User');
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT count(*) FROM sessions').pluck().get(), 1);
      // Stored hashed: the cookie's value is nowhere in the table.
      assert.equal(db.prepare('SELECT count(*) FROM sessions WHERE "sessionToken" = ?').pluck().get(token), 0);
    } finally {
      db.close();
    }
    const home = await (await browser.fetch(`${origin}/`)).text();
    assert.match(home, /Signed in as <strong>Demo User/);
    assert.match(home, /href="\/api\/auth\/security"/);
    const security = await browser.fetch(`${base}/security`);
    assert.equal(security.status, 200, 'the account-security page the home page links to');
    assert.match(await security.text(), /<form/);
  });

  test('sign-up prints the verification link; once it is confirmed, the new account signs in with its password', async () => {
    const browser = new Browser();
    const mark = output.length;
    const signedUp = await browser.fetch(`${base}/signup/password`, {
      form: { csrfToken: await browser.csrfToken(base), email: 'new.reader@example.com', password: 'a long demo passphrase', name: 'New Reader', json: 'true' },
    });
    assert.equal(signedUp.status, 200);
    const [, link] = await waitFor(/Password mail \(verifyEmail\) for new\.reader@example\.com[^\n]*\n\s+(\S+)/, mark);
    const confirm = new URL(link!);
    assert.equal(confirm.pathname, '/api/auth/verify-email');
    const verified = await browser.fetch(`${base}/verify-email`, { form: { csrfToken: await browser.csrfToken(base), token: confirm.searchParams.get('token')! } });
    assert.match(verified.headers.get('location') ?? '', /notice=verified/);
    const signedIn = await browser.fetch(`${base}/callback/password`, {
      form: { csrfToken: await browser.csrfToken(base), email: 'new.reader@example.com', password: 'a long demo passphrase', json: 'true' },
    });
    assert.equal(signedIn.status, 200);
    assert.equal(await sessionEmail(browser, base), 'new.reader@example.com');
  });

  test('a second factor: the demo user turns on TOTP, and the next password sign-in asks for the code', async () => {
    const browser = new Browser();
    const signIn = () => browser.csrfToken(base).then((csrfToken) => browser.fetch(`${base}/callback/password`, { form: { csrfToken, email: 'demo@example.com', password: 'demo', json: 'true' } }));
    assert.equal((await signIn()).status, 200);
    const { secret, backupCodes } = await enrolTotp(browser, base);
    await browser.fetch(`${base}/signout`, { form: { csrfToken: await browser.csrfToken(base) } });
    const asked = await signIn();
    assert.match(((await asked.json()) as { url: string }).url, /error=TwoFactorRequired/);
    assert.equal(await sessionEmail(browser, base), null, 'no session before the code');
    const done = await secondStep(browser, base, { code: codeOf(secret, 1) });
    assert.equal(done.origin, origin);
    assert.equal(await sessionEmail(browser, base), 'demo@example.com');
    // Leave the demo user as the other tests expect it: without a second factor.
    const disabled = await browser.fetch(`${base}/two-factor/disable`, { method: 'POST', json: { csrfToken: await browser.csrfToken(base), backupCode: backupCodes[0] } });
    assert.equal(disabled.status, 200);
  });

  test('an email sign-in prints the magic link, which signs in once', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(base);
    const mark = output.length;
    const sent = await browser.fetch(`${base}/signin/email`, { form: { csrfToken, email: 'Reader@Example.com', callbackUrl: origin } });
    assert.equal(sent.status, 302);
    assert.match(sent.headers.get('location')!, /\/api\/auth\/verify-request/);
    const [, link] = await waitFor(/Magic link for reader@example\.com[^\n]*\n\s+(\S+)/, mark);
    assert.ok(link!.startsWith(`${base}/callback/email?`));
    const used = await browser.fetch(link!);
    assert.equal(used.status, 302);
    assert.equal(used.headers.get('location'), `${origin}/`);
    const session = await (await browser.fetch(`${base}/session`)).json();
    assert.equal(session.user.email, 'reader@example.com');
    const again = await new Browser().fetch(link!);
    assert.match(again.headers.get('location') ?? '', /error=Verification/);
  });

  test('sessions survive a restart (they live in the file)', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(base);
    await browser.fetch(`${base}/callback/password`, { form: { csrfToken, email: 'demo@example.com', password: 'demo', json: 'true' } });
    await stop();
    await start();
    const session = await (await browser.fetch(`${base}/session`)).json();
    assert.equal(session.user?.email, 'demo@example.com');
  });
});
