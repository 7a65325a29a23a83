// Installs test/peers (next-auth v4 and its peers, kept apart for their older nodemailer) when missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const dir = new URL('../test/peers/', import.meta.url).pathname;
if (!existsSync(`${dir}node_modules/next-auth/package.json`)) {
  console.log('Installing test peers (next-auth v4) in test/peers …');
  // `npm install` rather than `npm ci`: next's optional platform packages for other systems are not on
  // every registry, and `npm ci` refuses a lockfile without them; install keeps to the lockfile otherwise.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// test/peers-adapters: published Auth.js adapters (@auth/pg-adapter) that the adapter conformance suite runs unchanged.
const adapters = new URL('../test/peers-adapters/', import.meta.url).pathname;
if (!existsSync(`${adapters}node_modules/@auth/pg-adapter/package.json`)) {
  console.log('Installing published adapters in test/peers-adapters …');
  const result = spawnSync('npm', [existsSync(`${adapters}package-lock.json`) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: adapters, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
