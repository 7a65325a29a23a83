// The Pwned Passwords range format: the 5/35 split and reading counts, padding lines included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countInRange, rangeQuery } from '../../src/core/pwned-range.js';

// SHA-1("password"), the API documentation's own example.
const SHA1 = '5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8';

test('only the first five hex digits are the query', () => {
  assert.deepEqual(rangeQuery(SHA1), { prefix: '5BAA6', suffix: '1E4C9B93F3F0682250B6CF8331B7EE68FD8' });
  assert.throws(() => rangeQuery('5baa6'), TypeError);
});

test('the count of the matching suffix; padding (count 0) and absence both mean not breached', () => {
  const body = ['003D68EB55068C33ACE09247EE4C639306B:3', '1E4C9B93F3F0682250B6CF8331B7EE68FD8:10437277', '01330C689E5D64F660D6947A93AD634EF8F:0', ''].join('\r\n');
  assert.equal(countInRange(body, '1E4C9B93F3F0682250B6CF8331B7EE68FD8'), 10_437_277);
  assert.equal(countInRange(body, '1e4c9b93f3f0682250b6cf8331b7ee68fd8'), 10_437_277);
  assert.equal(countInRange(body, '01330C689E5D64F660D6947A93AD634EF8F'), 0);
  assert.equal(countInRange(body, 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'), 0);
  assert.equal(countInRange(body.replaceAll('\r\n', '\n'), '003D68EB55068C33ACE09247EE4C639306B'), 3);
});

test('an answer that is not the range format is null, for the caller to fail open or closed', () => {
  assert.equal(countInRange('', 'A'.repeat(35)), null);
  assert.equal(countInRange('<html>rate limited</html>', 'A'.repeat(35)), null);
  assert.equal(countInRange('003D68EB55068C33ACE09247EE4C639306B:3\ngarbage', 'A'.repeat(35)), null);
});
