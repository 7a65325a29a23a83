// The package as npm would publish it: one `npm pack` of the current build, shared by every test file that
// installs it (the fresh-app test and each example), re-packed only when what it would contain changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, 'node_modules', '.cache', 'gatehouse-auth-pack');

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** A digest of every file `npm pack` can pick up: package.json, the docs npm always includes, and dist/. */
function contentDigest(): string {
  const hash = createHash('sha256');
  const top = readdirSync(ROOT).filter((name) => name === 'package.json' || /^(readme|license|licence|changelog)(\.|$)/i.test(name));
  for (const path of [...top.map((name) => join(ROOT, name)), ...walk(join(ROOT, 'dist'))].sort()) {
    hash.update(relative(ROOT, path));
    hash.update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 24);
}

/** The path of a tarball of the current build; packs when there is none for this content yet. */
export function packedTarball(): string {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is not built: npm run build (npm test builds it)');
  const target = join(CACHE, `gatehouse-auth-${contentDigest()}.tgz`);
  if (existsSync(target)) return target;
  mkdirSync(CACHE, { recursive: true });
  const scratch = mkdtempSync(join(CACHE, 'pack-'));
  try {
    const result = spawnSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
    const [packed] = JSON.parse(result.stdout) as [{ filename: string }];
    // Test files run in parallel processes: a rename is atomic, so a reader sees no tarball or a whole one.
    renameSync(join(scratch, packed.filename), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const old of readdirSync(CACHE)) if (old.endsWith('.tgz') && join(CACHE, old) !== target) rmSync(join(CACHE, old), { force: true });
  return target;
}
