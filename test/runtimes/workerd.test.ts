// The shared route suite and an OIDC sign-in with gatehouse running on workerd, Cloudflare's runtime,
// without nodejs_compat: the bundle must carry no node: import at all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bundle, runtimeSkipReason } from './harness.js';
import { runtimeSuite } from './suite.js';

runtimeSuite('workerd', { noClientAddress: "workerd's HTTP socket hands a Worker no peer address (on Cloudflare it arrives as CF-Connecting-IP: rateLimit.ipHeader)" });

test('the Workers bundle of the handler, gatehouse/hono and the providers imports no node: module', { skip: runtimeSkipReason('workerd') ?? false }, async () => {
  const code = readFileSync(await bundle('workerd'), 'utf8');
  // Imports only: the fast path's `getBuiltinModule('node:crypto')` is a string, absent here.
  assert.deepEqual(code.match(/\bimport\s*(?:[\w{}\s,*$]+from\s*)?["']node:[a-z_/]+["']|\bimport\(\s*["']node:|\brequire\(\s*["']node:/g) ?? [], []);
  assert.ok(code.includes('crypto.subtle') || code.includes('.subtle.'), 'Web Crypto is what it uses');
});
