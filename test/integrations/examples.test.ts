// Each framework example started with its README's commands (npm install, npm start), then sign-in, session and sign-out over HTTP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Browser } from '../helpers/server.js';
import { freePort, installExample, skipOrFail } from './nextjs-apps.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;

interface Started {
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** `npm start` in its own process group, so stopping it also stops the server npm started. */
async function npmStart(dir: string, port: number): Promise<Started> {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), AUTH_SECRET: 'examples-test-secret-0123456789abcdef' },
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    try {
      if ((await fetch(`${origin}/api/auth/providers`)).ok) return { origin, output: () => output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`the example did not answer on ${origin}:\n${output}`);
}

describe('examples: npm install && npm start, then sign in, read the session, sign out', () => {
  for (const name of ['node', 'express', 'fastify', 'hono']) {
    test(`examples/${name}`, async (t) => {
      const dir = join(EXAMPLES, name);
      const skip = installExample(dir, 'gatehouse-auth/package.json');
      if (skip) return void skipOrFail(t, `${skip}: SKIPPED`);
      const app = await npmStart(dir, await freePort());
      try {
        const browser = new Browser();
        const base = `${app.origin}/api/auth`;
        assert.match(await (await browser.fetch(`${app.origin}/`)).text(), /Not signed in/);

        const wrong = await browser.signInWithCredentials(base, { email: 'ann@example.com', password: 'nope' });
        assert.equal(wrong.status, 401);
        const signIn = await browser.signInWithCredentials(base, { email: 'ann@example.com', password: 'ann', callbackUrl: '/' });
        assert.equal(signIn.status, 200);
        assert.deepEqual(await signIn.json(), { url: `${app.origin}/` });

        const me = (await (await browser.fetch(`${app.origin}/api/me`)).json()) as { session: { user: { email: string } } | null };
        assert.equal(me.session?.user.email, 'ann@example.com');
        assert.match(await (await browser.fetch(`${app.origin}/`)).text(), /Signed in as <strong>ann@example\.com<\/strong>/);

        const csrfToken = await browser.csrfToken(base);
        const signOut = await browser.fetch(`${base}/signout`, { method: 'POST', form: { csrfToken, json: 'true' } });
        assert.equal(signOut.status, 200);
        assert.deepEqual(await (await browser.fetch(`${app.origin}/api/me`)).json(), { session: null });
      } catch (error) {
        console.error(app.output());
        throw error;
      } finally {
        await app.stop();
      }
    });
  }
});
