// What package.json promises: engines, optional peers, every export resolving by the package's own name to
// types and code that agree with the API report, and a README that lists every entry point.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  type: string;
  engines: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  publishConfig: unknown;
};
const surface = JSON.parse(readFileSync(join(ROOT, 'api/package-surface.json'), 'utf8')) as { names: Record<string, string[]> };

test('an ES module for Node 20 and later, published as gatehouse-auth', () => {
  assert.equal(pkg.name, 'gatehouse-auth');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.engines, { node: '>=20' });
});

test('publishing is provenance-ready: public access, provenance attested by the CI that publishes', () => {
  assert.deepEqual(pkg.publishConfig, { access: 'public', provenance: true });
});

test('publishing is provenance-ready: public access, provenance attested by the CI that publishes', () => {
  assert.deepEqual(pkg.publishConfig, { access: 'public', provenance: true });
});

test('react and nodemailer are optional peers beside the frameworks and drivers; every peer is optional', () => {
  assert.equal(pkg.peerDependencies.react, '>=18');
  assert.equal(pkg.peerDependencies.nodemailer, '>=7');
  for (const name of ['next', 'express', 'fastify', 'hono', 'better-sqlite3', 'pg', 'mysql2', 'ioredis']) assert.ok(pkg.peerDependencies[name], name);
  assert.deepEqual(Object.keys(pkg.peerDependenciesMeta).sort(), Object.keys(pkg.peerDependencies).sort());
  for (const [name, meta] of Object.entries(pkg.peerDependenciesMeta)) assert.equal(meta.optional, true, name);
});

test('every export condition lists types first (TypeScript reads conditions in order) and points into dist/', () => {
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') {
      assert.equal(key, './package.json');
      continue;
    }
    assert.deepEqual(Object.keys(target), ['types', 'default'], key);
    assert.match(target.types, /^\.\/dist\/.+\.d\.ts$/, key);
    assert.equal(target.default, target.types.replace(/\.d\.ts$/, '.js'), key);
  }
});

test('each entry point loads by the package name and exports the recorded names, each one in its API report', async () => {
  const specifiers = Object.keys(surface.names);
  assert.ok(specifiers.includes('gatehouse-auth/providers/github') && specifiers.includes('gatehouse-auth/next/middleware'));
  for (const specifier of specifiers) {
    const names = Object.keys(await import(specifier)).sort();
    assert.deepEqual(names, surface.names[specifier], specifier);
    const report = readFileSync(join(ROOT, 'api', `${specifier.replaceAll('/', '.')}.api.md`), 'utf8');
    for (const name of names) {
      const declared = name === 'default' ? /export default |export \{[^}]*\bas default\b/ : new RegExp(`export (declare )?(const|function|class|let|var|enum|abstract class) ${name}\\b|export \\{[^}]*\\b${name}\\b`);
      assert.match(report, declared, `${specifier}: ${name} is exported at run time but not in the API report`);
    }
  }
});

test('the README lists every entry point and every provider id', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Entry points\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section, 'README has an "## Entry points" section');
  for (const key of Object.keys(pkg.exports)) {
    if (key === './package.json') continue;
    const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2).replace('*', '<id>')}`;
    assert.ok(section.includes(`\`${specifier}\``), `README's entry points name ${specifier}`);
  }
  for (const specifier of Object.keys(surface.names).filter((s) => s.startsWith('gatehouse-auth/providers/'))) {
    const id = specifier.slice('gatehouse-auth/providers/'.length);
    assert.ok(section.includes(`\`${id}\``), `README's entry points list the provider ${id}`);
  }
});
