// Installs the current gatehouse-auth build into an example the way the registry would: `npm pack` of the
// repository (only what package.json#files publishes), then `npm install --no-save` of that tarball, so a file
// missing from `files` or a wrong export breaks the example as it would break a user's app. The example's
// package.json and lockfile are left as committed. Run from an example folder (its npm scripts do); builds
// gatehouse first when the repository has no dist/ yet. GATEHOUSE_TARBALL names a tarball packed already
// (the test suite packs once for every example).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const modules = join(process.cwd(), 'node_modules');
const stamp = join(modules, '.gatehouse-auth-tarball');

function run(command, args, cwd, quiet = false) {
  const result = spawnSync(command, args, { cwd, stdio: quiet ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout;
}

if (!existsSync(modules)) {
  console.error('node_modules is missing: run `npm install` in this folder first.');
  process.exit(1);
}
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.log('gatehouse is not built yet: building it in', root);
  if (!existsSync(join(root, 'node_modules', '.bin', 'tsc'))) run('npm', ['ci', '--no-audit', '--no-fund'], root);
  run('npm', ['run', 'build'], root);
}
let tarball = process.env.GATEHOUSE_TARBALL;
let scratch;
if (!tarball) {
  scratch = mkdtempSync(join(tmpdir(), 'gatehouse-pack-'));
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], root, true));
  tarball = join(scratch, packed.filename);
}
try {
  const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  const current = existsSync(stamp) && existsSync(join(modules, 'gatehouse-auth', 'package.json')) && readFileSync(stamp, 'utf8') === digest;
  if (!current) {
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball], process.cwd());
    writeFileSync(stamp, digest);
  }
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
