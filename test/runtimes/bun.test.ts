// The shared route suite and an OIDC sign-in with gatehouse running on bun.
import { runtimeSuite } from './suite.js';

runtimeSuite('bun');
