// Installs the test folders that keep their own dependencies, when missing: each holds packages that
// cannot share the root's node_modules (next-auth v4 wants an older nodemailer; React 18 beside 19;
// three runtimes' binaries, 350 MB, that only their suites use).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const folders = [
  // `npm install` rather than `npm ci`: next's optional platform packages for other systems are not on
  // every registry, and `npm ci` refuses a lockfile without them; install keeps to the lockfile otherwise.
  { dir: 'test/peers/', marker: 'next-auth/package.json', what: 'next-auth v4 and its peers', args: ['install', '--no-save'] },
  // next-auth v5 beta: its next-auth/react (which asks with `X-Auth-Return-Redirect: 1`) runs in Chromium
  // against gatehouse; the v5 suites (issue 20) use it too. `install` for next's platform packages, as above.
  { dir: 'test/peers-v5/', marker: 'next-auth/react.js', what: 'next-auth v5 beta and its peers', args: ['install', '--no-save'] },
  // Published Auth.js adapters (@auth/pg-adapter) that the adapter conformance suite runs unchanged.
  { dir: 'test/peers-adapters/', marker: '@auth/pg-adapter/package.json', what: 'published adapters' },
  // React 18, for the browser test that runs gatehouse-auth/react on it (the repository uses React 19).
  { dir: 'test/client/react18/', marker: 'react/package.json', what: 'React 18' },
  // Bun, Deno and workerd: the runtime suites start the handler on each (their npm packages ship the binaries).
  { dir: 'test/runtimes/', marker: '.bin/workerd', what: 'Bun, Deno and workerd' },
];

for (const { dir, marker, what, args } of folders) {
  const path = new URL(`../${dir}`, import.meta.url).pathname;
  if (existsSync(`${path}node_modules/${marker}`)) continue;
  console.log(`Installing ${what} in ${dir} …`);
  const command = args ?? [existsSync(`${path}package-lock.json`) ? 'ci' : 'install'];
  const result = spawnSync('npm', [...command, '--no-audit', '--no-fund'], { cwd: path, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
