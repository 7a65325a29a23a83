// Runs every test file under test/ with node's test runner (Node 20 does not expand globs itself).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'peers' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (/\.test\.tsx?$/.test(entry)) out.push(relative(root, path));
  }
  return out;
}

const files = walk(join(root, 'test'))
  .filter((file) => only.length === 0 || only.some((pattern) => file.includes(pattern)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A second reporter writes TAP to a file, so the run can end with one plain summary line.
const tapDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
const tapFile = join(tapDir, 'report.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
);
const tap = readFileSync(tapFile, 'utf8');
rmSync(tapDir, { recursive: true, force: true });
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const cancelled = count('cancelled');
console.log(`\n${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped${cancelled ? `, ${cancelled} cancelled` : ''}`);
process.exit(result.status ?? 1);
