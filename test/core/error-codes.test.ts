// Issue 13 item 5: error codes from the query are looked up as own properties only: `constructor`, `__proto__`, `toString` render like any unknown code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { credentialsConfig } from '../helpers/config.js';
import { startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', 'prototype'];

async function page(url: string): Promise<{ status: number; type: string | null; location: string | null; body: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type'), location: response.headers.get('location'), body: await response.text() };
}

describe('issue 13 item 5: error page codes looked up safely', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig({ logger: quiet }));
  });
  after(() => server.close());

  for (const key of PROTOTYPE_KEYS) {
    test(`GET error?error=${key} renders exactly as an unknown code`, async () => {
      const unknown = await page(`${server.base}/error?error=NoSuchCode`);
      assert.equal(unknown.status, 200);
      assert.match(unknown.body, /Something went wrong while signing in/);
      const probe = await page(`${server.base}/error?error=${encodeURIComponent(key)}`);
      assert.deepEqual(probe, unknown);
    });

    test(`GET signin?error=${key} shows the generic sign-in message, as an unknown code does`, async () => {
      const unknown = await page(`${server.base}/signin?error=NoSuchCode`);
      assert.equal(unknown.status, 200);
      const probe = await page(`${server.base}/signin?error=${encodeURIComponent(key)}`);
      assert.equal(probe.status, unknown.status);
      // The page embeds a fresh CSRF token per request: compare without it.
      const strip = (html: string) => html.replace(/value="[0-9a-f]{64}"/g, 'value="…"');
      assert.equal(strip(probe.body), strip(unknown.body));
    });
  }

  test('case variants of the prototype keys (CONSTRUCTOR, __PROTO__) are unknown codes too', async () => {
    const unknown = await page(`${server.base}/error?error=NoSuchCode`);
    for (const key of ['CONSTRUCTOR', 'Constructor', '__PROTO__', 'TOSTRING']) {
      assert.deepEqual(await page(`${server.base}/error?error=${key}`), unknown, key);
    }
  });
});
