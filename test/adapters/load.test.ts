// Driver loading and the session-token storage scheme, without a database.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { AdapterError } from '../../src/adapters/errors.js';
import { loadDriver } from '../../src/adapters/load.js';
import { deleteForms, hashSessionToken, isHashedForm, lookupForms } from '../../src/core/session-token.js';

test('a missing driver is an AdapterError naming the package to install', async () => {
  await assert.rejects(loadDriver('gatehouse-absent-driver/promise', 'mysql'), (error: unknown) => {
    assert.ok(error instanceof AdapterError);
    assert.equal(error.code, 'MissingDriver');
    assert.match(error.message, /gatehouse-auth\/adapters\/mysql needs the "gatehouse-absent-driver" package: npm install gatehouse-absent-driver$/);
    return true;
  });
  await assert.rejects(loadDriver('@gatehouse-absent/driver/sub', 'redis'), /npm install @gatehouse-absent\/driver$/);
});

test('an installed driver loads as its CommonJS module.exports', async () => {
  const pg = await loadDriver<{ Pool: unknown }>('pg', 'postgres');
  assert.equal(typeof pg.Pool, 'function');
});

test('session tokens are stored as sha256:<hex of the token>', () => {
  const token = 'b3f1c2d4'.repeat(8);
  const expected = `sha256:${createHash('sha256').update(token).digest('hex')}`;
  assert.equal(hashSessionToken(token), expected);
  assert.equal(isHashedForm(expected), true);
  assert.equal(isHashedForm(token), false);
});

test('reads match a raw next-auth row only for tokens that cannot be a stored hash', () => {
  const raw = crypto.randomUUID();
  assert.deepEqual(lookupForms(raw), [hashSessionToken(raw), raw]);
  // A value copied out of a leaked table is never matched verbatim when presented as a cookie.
  const leaked = hashSessionToken(raw);
  assert.deepEqual(lookupForms(leaked), [hashSessionToken(leaked)]);
  // Deleting accepts the stored handle too (revoking a listed session grants nothing).
  assert.deepEqual(deleteForms(leaked), [hashSessionToken(leaked), leaked]);
});
