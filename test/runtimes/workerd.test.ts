// The shared route suite and an OIDC sign-in with gatehouse running on workerd, Cloudflare's runtime.
import { runtimeSuite } from './suite.js';

runtimeSuite('workerd', { noClientAddress: "workerd's HTTP socket hands a Worker no peer address (on Cloudflare it arrives as CF-Connecting-IP: rateLimit.ipHeader)" });
