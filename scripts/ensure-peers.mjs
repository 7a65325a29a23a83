// Installs test/peers (next-auth v4 and its peers, kept apart for their older nodemailer) when missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const dir = new URL('../test/peers/', import.meta.url).pathname;
if (!existsSync(`${dir}node_modules/next-auth/package.json`)) {
  console.log('Installing test peers (next-auth v4) in test/peers …');
  const hasLock = existsSync(`${dir}package-lock.json`);
  const result = spawnSync('npm', [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
