// The scenarios: which request, against which servers, with which cookie, and what a correct answer looks like.
import { databaseSessionCookie } from './targets.mjs';

const SESSION = '/api/auth/session';
const hasUser = (text) => /"user":\{[^}]*"email":"ann@example.com"/.test(text);
const anonymous = (text) => text === '{}' || text === 'null';

/**
 * `load` is 'get' (one path, fixed headers) or 'signin' (the GET csrf + POST chain). `servers` are
 * ids from SERVERS; bare node:http runs the same load next to them in every round. `cookie(server)`
 * gives the request's cookie header; `check` is what one request must answer before any load.
 */
export const SCENARIOS = [
  {
    id: 'session-jwt',
    title: 'GET session, valid JWT cookie',
    load: 'get',
    path: SESSION,
    servers: ['gatehouse', 'gatehouse-revocation', 'next-auth-v4', 'auth-core', 'bare-fetch', 'gatehouse-fetch'],
    cookie: (server) => server.jwtCookie,
    check: [hasUser, 'a signed-in session'],
  },
  { id: 'session-anon', title: 'GET session, anonymous', load: 'get', path: SESSION, servers: ['gatehouse', 'next-auth-v4', 'auth-core', 'bare-fetch', 'gatehouse-fetch'], check: [anonymous, '{} (or null)'] },
  { id: 'csrf', title: 'GET csrf', load: 'get', path: '/api/auth/csrf', servers: ['gatehouse', 'next-auth-v4', 'auth-core', 'bare-fetch', 'gatehouse-fetch'], check: [(t) => /"csrfToken":"[0-9a-f]{64}"/.test(t), 'a csrfToken'] },
  { id: 'providers', title: 'GET providers', load: 'get', path: '/api/auth/providers', servers: ['gatehouse', 'next-auth-v4', 'auth-core', 'bare-fetch', 'gatehouse-fetch'], check: [(t) => t.includes('"corp"') && t.includes('"credentials"'), 'both providers'] },
  { id: 'signin', title: 'credentials sign-ins/s (GET csrf + POST callback)', load: 'signin', servers: ['gatehouse', 'next-auth-v4', 'auth-core', 'bare-fetch', 'gatehouse-fetch'] },
  {
    id: 'session-sqlite',
    title: 'GET session, database session on SQLite',
    load: 'get',
    path: SESSION,
    servers: ['gatehouse-sqlite', 'next-auth-v4-sqlite'],
    cookie: databaseSessionCookie,
    check: [hasUser, 'a signed-in session'],
    sql: true,
  },
  {
    id: 'session-postgres',
    title: 'GET session, database session on PostgreSQL',
    load: 'get',
    path: SESSION,
    servers: ['gatehouse-postgres', 'next-auth-v4-postgres'],
    cookie: databaseSessionCookie,
    check: [hasUser, 'a signed-in session'],
    sql: true,
    needs: 'postgres',
  },
];
