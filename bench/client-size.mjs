// Client bundle size: a tiny app using signIn/signOut/getSession (and one using the React hooks), bundled by esbuild, gzip bytes beside other auth clients.
// Run: node bench/client-size.mjs   (better-auth is measured when `npm install` was run in bench/size-peers)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const peers = `${root}test/peers`;
const sizePeers = `${root}bench/size-peers`;

/** The goal for gatehouse-auth/client, in bytes of gzip (2.5 KB). */
const GOAL = 2500;

const apps = [
  {
    name: 'gatehouse-auth/client (signIn, signOut, getSession)',
    dir: root,
    code: `import { signIn, signOut, getSession } from 'gatehouse-auth/client'; export default { signIn, signOut, getSession };`,
    goal: GOAL,
  },
  {
    name: 'gatehouse-auth/react (SessionProvider, useSession, signIn, signOut)',
    dir: root,
    code: `import { SessionProvider, useSession, signIn, signOut } from 'gatehouse-auth/react'; export default { SessionProvider, useSession, signIn, signOut };`,
  },
  {
    name: 'next-auth/react v4 (signIn, signOut, getSession)',
    dir: peers,
    needs: `${peers}/node_modules/next-auth`,
    code: `import { signIn, signOut, getSession } from 'next-auth/react'; export default { signIn, signOut, getSession };`,
  },
  {
    name: 'next-auth/react v4 (SessionProvider, useSession, signIn, signOut)',
    dir: peers,
    needs: `${peers}/node_modules/next-auth`,
    code: `import { SessionProvider, useSession, signIn, signOut } from 'next-auth/react'; export default { SessionProvider, useSession, signIn, signOut };`,
  },
  {
    name: 'better-auth/client (signIn, signOut, getSession)',
    dir: sizePeers,
    needs: `${sizePeers}/node_modules/better-auth`,
    code: `import { createAuthClient } from 'better-auth/client'; const c = createAuthClient(); export default { signIn: c.signIn, signOut: c.signOut, getSession: c.getSession };`,
  },
  {
    name: 'better-auth/react (useSession, signIn, signOut)',
    dir: sizePeers,
    needs: `${sizePeers}/node_modules/better-auth`,
    code: `import { createAuthClient } from 'better-auth/react'; const c = createAuthClient(); export default { useSession: c.useSession, signIn: c.signIn, signOut: c.signOut };`,
  },
];

async function measure({ dir, code }) {
  const result = await build({
    stdin: { contents: code, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['react', 'react-dom'],
    // gatehouse is measured from source: the same code `dist/` holds, before tsc.
    alias: { 'gatehouse-auth/client': `${root}src/client/index.ts`, 'gatehouse-auth/react': `${root}src/react/index.ts` },
    define: {
      'process.env.NODE_ENV': '"production"',
      'process.env.NEXTAUTH_URL': 'undefined',
      'process.env.NEXTAUTH_URL_INTERNAL': 'undefined',
      'process.env.VERCEL_URL': 'undefined',
    },
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
}

const rows = [];
for (const app of apps) {
  if (app.needs && !existsSync(app.needs)) {
    rows.push({ name: app.name, note: `not installed (${app.needs.replace(root, '')})` });
    continue;
  }
  rows.push({ name: app.name, ...(await measure(app)), goal: app.goal });
}
// @auth/core is server-only: its browser client ships in next-auth v5, which this registry does not carry.
rows.push({ name: '@auth/core', note: 'no browser client of its own (Auth.js v5 ships it as next-auth@5/react)' });

const width = Math.max(...rows.map((row) => row.name.length));
const pad = (value, size) => String(value).padStart(size);
console.log(`${'bundle (esbuild --minify, react external)'.padEnd(width)}  ${pad('min B', 7)}  ${pad('gzip B', 7)}  ${pad('br B', 7)}`);
for (const row of rows) {
  if (row.note) {
    console.log(`${row.name.padEnd(width)}  ${row.note}`);
    continue;
  }
  const verdict = row.goal ? `  goal ≤ ${row.goal}: ${row.gzip <= row.goal ? 'met' : 'MISSED'}` : '';
  console.log(`${row.name.padEnd(width)}  ${pad(row.min, 7)}  ${pad(row.gzip, 7)}  ${pad(row.brotli, 7)}${verdict}`);
}
