// gatehouse from the built dist/, served by gatehouse-auth/node's toNodeHandler (or, with BENCH_DOOR=fetch,
// auth.handler behind the same node:http → Fetch bridge as bare-fetch.mjs); BENCH_SESSION picks jwt, sqlite or postgres sessions.
import { createAuth } from '../../dist/index.js';
import { toNodeHandler } from '../../dist/integrations/node.js';
import Credentials from '../../dist/providers/credentials.js';
import OIDC from '../../dist/providers/oidc.js';
import { fetchDoor } from '../lib/fetch-bridge.mjs';
import { authorize, OIDC as OIDC_SETTINGS, SECRET, serve, USER } from '../lib/shared.mjs';
import { countAdapterCalls, countedPostgres, countedSqlite, createMeasuredSession } from '../lib/sql-count.mjs';

const mode = process.env.BENCH_SESSION ?? 'jwt';
/** `node`: gatehouse-auth/node, which skips Fetch objects; `fetch`: auth.handler(Request) → Response. */
const door = (auth) => (process.env.BENCH_DOOR === 'fetch' ? fetchDoor((request, clientAddress) => auth.handler(request, { clientAddress })) : toNodeHandler(auth));

function providers() {
  return [
    Credentials({ name: 'Password', credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } }, authorize }),
    OIDC(OIDC_SETTINGS),
  ];
}

/** Revoked sessions already in the log when the bench starts, so every read looks its id up in a populated list. */
const REVOKED = 1000;

/**
 * JWT sessions with revocation on: the session index in an in-memory SQLite database, seeded with
 * REVOKED revoked sessions. A read adds a local set lookup, and a poll of the log once per
 * `sessions.revocationLag` (5 s, the default) whatever the traffic.
 */
async function withRevocation() {
  const { sqliteAdapter } = await import('../../dist/adapters/sqlite.js');
  const adapter = sqliteAdapter(':memory:');
  await adapter.migrate();
  const store = adapter.sessionStore();
  const now = Date.now();
  const expires = new Date(now + 30 * 24 * 3600 * 1000);
  const ids = Array.from({ length: REVOKED }, (_, i) => `revoked-${i}`);
  for (const id of ids) {
    await store.saveSession({ id, userId: USER.id, createdAt: new Date(now), lastActiveAt: new Date(now), expires, userAgent: null, ipAddress: null });
  }
  await store.revokeSessions(ids, expires);
  return createAuth({ secret: SECRET, providers: providers(), adapter, session: { strategy: 'jwt' } });
}

await serve(async () => {
  if (mode === 'jwt' && process.env.BENCH_REVOCATION === '1') return { handler: door(await withRevocation()) };
  if (mode === 'jwt') {
    // NEXTAUTH_URL (set by serve) gives the base URL, as in a deployment.
    const auth = createAuth({ secret: SECRET, providers: providers() });
    return { handler: door(auth) };
  }
  const store = mode === 'sqlite' ? countedSqlite() : await countedPostgres();
  const { sqliteAdapter } = await import('../../dist/adapters/sqlite.js');
  const { postgresAdapter } = await import('../../dist/adapters/postgres.js');
  const raw = mode === 'sqlite' ? sqliteAdapter(store.db) : postgresAdapter(store.pool);
  await raw.migrate();
  await store.seed();
  const sessionToken = await createMeasuredSession(raw, USER);
  const counted = countAdapterCalls(raw);
  const auth = createAuth({ secret: SECRET, providers: providers(), adapter: counted.adapter, session: { strategy: 'database' } });
  store.reset();
  return {
    handler: door(auth),
    info: { sessionToken },
    reset() {
      store.reset();
      counted.reset();
    },
    async stats(requests) {
      return { adapterCalls: { ...counted.calls }, sql: await store.stats(requests) };
    },
    close: () => store.close(),
  };
});
