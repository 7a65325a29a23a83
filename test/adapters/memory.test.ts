// gatehouse-auth/adapters/memory: the conformance suite, and two adapters never sharing state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runAdapterConformance } from '../../src/adapters/conformance.js';
import { memoryAdapter } from '../../src/adapters/memory.js';

runAdapterConformance({ name: 'memory', adapter: async () => memoryAdapter() });

test('memory: two adapters keep separate data', async () => {
  const first = memoryAdapter();
  const second = memoryAdapter();
  const user = await first.createUser({ email: 'ann@example.com', emailVerified: null });
  assert.equal(await second.getUser(user.id), null);
  await second.createUser({ email: 'ann@example.com', emailVerified: null });
});

test('memory: returned users are copies, so a caller cannot change what is stored', async () => {
  const adapter = memoryAdapter();
  const user = await adapter.createUser({ email: 'ann@example.com', emailVerified: null, name: 'Ann' });
  user.name = 'Mallory';
  assert.equal((await adapter.getUser(user.id))?.name, 'Ann');
});
