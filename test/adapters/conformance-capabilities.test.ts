// The conformance suite by capability: an adapter that implements only some of NextAuth's methods opts into the suites it can pass.
import { runAdapterConformance } from '../../src/adapters/conformance.js';
import { memoryAdapter } from '../../src/adapters/memory.js';

// Only verification tokens (an email-only store): with every suite registered, the method check and the user suites would fail.
runAdapterConformance({
  name: 'verification tokens only (capabilities)',
  capabilities: ['verification-tokens'],
  async adapter() {
    const { createVerificationToken, useVerificationToken } = memoryAdapter();
    return { createVerificationToken, useVerificationToken };
  },
});
