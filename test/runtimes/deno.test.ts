// The shared route suite and an OIDC sign-in with gatehouse running on deno.
import { runtimeSuite } from './suite.js';

runtimeSuite('deno');
