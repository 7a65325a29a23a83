// Puts the current gatehouse build into an example's node_modules: npm copies `file:../..` only at install time.
// Run from an example folder (its npm scripts do). Builds gatehouse first when the repository has no dist/ yet.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const target = join(process.cwd(), 'node_modules', 'gatehouse-auth');

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.log('gatehouse is not built yet: building it in', root);
  if (!existsSync(join(root, 'node_modules', '.bin', 'tsc'))) run('npm', ['ci', '--no-audit', '--no-fund'], root);
  run('npm', ['run', 'build'], root);
}
if (!existsSync(target)) {
  console.error('node_modules/gatehouse-auth is missing: run `npm install` in this folder first.');
  process.exit(1);
}
// A linked install (install-links=false) already sees ../.. directly.
if (!lstatSync(target).isSymbolicLink()) {
  rmSync(join(target, 'dist'), { recursive: true, force: true });
  cpSync(join(root, 'dist'), join(target, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(target, 'package.json'));
}
const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = Object.keys(dependencies).filter((name) => !existsSync(join(process.cwd(), 'node_modules', name)) && !existsSync(join(target, 'node_modules', name)));
if (missing.length > 0) {
  console.error(`gatehouse now depends on ${missing.join(', ')}: run \`npm install\` in this folder again.`);
  process.exit(1);
}
