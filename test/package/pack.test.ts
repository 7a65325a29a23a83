// The published tarball: only dist/ and the docs npm always ships, types beside every module and every export
// target present; then installed into a fresh app outside the repository, where every entry point must load
// by name with the recorded exports, type-check, and deep imports stay blocked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { packedTarball } from '../helpers/tarball.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }>; peerDependencies: Record<string, string> };
const surface = JSON.parse(readFileSync(join(ROOT, 'api/package-surface.json'), 'utf8')) as { names: Record<string, string[]> };

function listTarball(tarball: string): string[] {
  const result = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
}

describe('the packed tarball', () => {
  let files: string[];
  before(() => {
    files = listTarball(packedTarball());
  });

  test('holds dist/ and the docs npm always ships, nothing else: no sources, tests, maps or tarballs', () => {
    const outside = files.filter((file) => !file.startsWith('dist/'));
    assert.deepEqual(
      outside.filter((file) => !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file)),
      [],
      'files outside dist/',
    );
    assert.ok(outside.includes('package.json') && outside.includes('README.md') && outside.includes('LICENSE'));
    assert.deepEqual(
      files.filter((file) => /(^|\/)(test|tests|__tests__)\/|\.test\.|\.map$|\.tsbuildinfo$|\.tgz$|(?<!\.d)\.ts$/.test(file)),
      [],
    );
  });

  test('every module in dist/ has its .d.ts, and every export target is in the tarball', () => {
    const set = new Set(files);
    for (const file of files.filter((f) => f.endsWith('.js'))) assert.ok(set.has(file.replace(/\.js$/, '.d.ts')), `types for ${file}`);
    for (const [key, target] of Object.entries(pkg.exports)) {
      const paths = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const path of paths) {
        const relativePath = path.replace(/^\.\//, '');
        if (relativePath.includes('*')) {
          const [head, tail] = relativePath.split('*') as [string, string];
          assert.ok(
            files.some((file) => file.startsWith(head) && file.endsWith(tail)),
            `${key}: nothing matches ${path}`,
          );
        } else assert.ok(set.has(relativePath), `${key}: ${path} is not in the tarball`);
      }
    }
  });
});

describe('installed from the tarball into a fresh app', () => {
  let app: string;
  let installed: { status: number | null; output: string };
  before(() => {
    app = mkdtempSync(join(tmpdir(), 'gatehouse-fresh-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }, null, 2));
    // The optional peers an entry point imports at load time, which an app using that entry installs itself
    // (react for gatehouse-auth/react, @simplewebauthn/browser for gatehouse-auth/webauthn), at the ranges
    // package.json declares; the rest comes with the tarball.
    const peers = [`react@^19`, `@simplewebauthn/browser@${pkg.peerDependencies['@simplewebauthn/browser']}`];
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', packedTarball(), ...peers], { cwd: app, encoding: 'utf8' });
    installed = { status: result.status, output: `${result.stdout}${result.stderr}` };
  });
  after(() => rmSync(app, { recursive: true, force: true }));

  test('npm installs it under its own name', () => {
    assert.equal(installed.status, 0, installed.output);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/gatehouse-auth/package.json'), 'utf8')) as { name: string };
    assert.equal(manifest.name, 'gatehouse-auth');
  });

  test('every entry point loads by name with the recorded exports; dist/ is not reachable past the export map', () => {
    const script = `
      const names = JSON.parse(process.argv[1]);
      const out = {};
      for (const specifier of Object.keys(names)) out[specifier] = Object.keys(await import(specifier)).sort();
      let deep;
      try { await import('gatehouse-auth/dist/index.js'); deep = 'loaded'; } catch (error) { deep = error.code; }
      console.log(JSON.stringify({ out, deep }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(surface.names)], { cwd: app, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const { out, deep } = JSON.parse(result.stdout) as { out: Record<string, string[]>; deep: string };
    assert.deepEqual(out, surface.names);
    assert.equal(deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('the bin is linked: node_modules/.bin/gatehouse-auth secret prints a secret', () => {
    const result = spawnSync(join(app, 'node_modules/.bin/gatehouse-auth'), ['secret'], { cwd: app, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^[A-Za-z0-9_-]{43}\n$/);
  });

  test('every entry point type-checks from a TypeScript app (NodeNext), each runtime export visible in its types', () => {
    const lines = Object.entries(surface.names).flatMap(([specifier, names], i) => [`import * as m${i} from '${specifier}';`, ...names.map((name) => `void m${i}[${JSON.stringify(name)}];`)]);
    writeFileSync(join(app, 'check.ts'), `${lines.join('\n')}\nexport {};\n`);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], types: [] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});
