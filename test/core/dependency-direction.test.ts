// Dependency direction: every relative import in src/ points down the layers (ARCHITECTURE.md), never up.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { describe, test } from 'node:test';

const src = new URL('../../src/', import.meta.url).pathname;

/** Highest first: a file may import its own layer and the ones after it. */
const LAYERS = ['integrations', 'index', 'handler', 'routes', 'flows', 'pages/config', 'providers/adapters', 'core'] as const;
type Layer = (typeof LAYERS)[number] | 'client' | 'react' | 'cli';

/** The layer of a file, by its path under src/; undefined for a file no rule places (which fails the test). */
function layerOf(file: string): Layer | undefined {
  // The shared vocabulary: pure leaves, the error model, the public types and the adapter contract (types only).
  if (/^(core|locales)\//.test(file) || ['errors.ts', 'types.ts', 'credentials-signin.ts', 'adapters/types.ts'].includes(file)) return 'core';
  if (/^(adapters|providers|services)\//.test(file)) return 'providers/adapters';
  if (/^(pages|config)\//.test(file) || file === 'config.ts') return 'pages/config';
  if (/^flows\//.test(file) || file === 'context.ts') return 'flows';
  if (/^routes\//.test(file)) return 'routes';
  if (file === 'handler.ts' || file === 'incoming.ts') return 'handler';
  // The remaining top-level modules are entry points (index, jwt, token refresh, password, captcha) and the instance accessor.
  if (/^[^/]+\.ts$/.test(file)) return 'index';
  if (/^integrations\//.test(file)) return 'integrations';
  if (/^client\//.test(file)) return 'client';
  // gatehouse-auth/webauthn, like react, is a browser layer on top of the client.
  if (/^(react|webauthn)\//.test(file)) return 'react';
  if (/^cli\//.test(file)) return 'cli';
  return undefined;
}

/** Whether a file in layer `from` may import a file in layer `to`. */
function allowed(from: Layer, to: Layer, target: string): boolean {
  // The browser client sees only the wire types; react only the client.
  if (from === 'client') return to === 'client' || target === 'types.ts';
  if (from === 'react') return to === 'react' || to === 'client';
  if (to === 'client' || to === 'react') return false;
  // The command line is a tool on top: it may use the library, and nothing uses it.
  if (from === 'cli') return true;
  if (to === 'cli') return false;
  const rank = (layer: Layer) => LAYERS.indexOf(layer as (typeof LAYERS)[number]);
  return rank(to) >= rank(from);
}

/** Relative import and re-export specifiers (static, type-only and dynamic) of a module's text. */
function importsOf(code: string): string[] {
  const stripped = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  for (const match of stripped.matchAll(/\b(?:import|export)\s[^;'"]*?\bfrom\s*'(\.[^']*)'|\bimport\s*\(\s*'(\.[^']*)'\s*\)|\bimport\s*'(\.[^']*)'/g)) {
    specifiers.push((match[1] ?? match[2] ?? match[3])!);
  }
  return specifiers;
}

function resolve(fromFile: string, specifier: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  return joined.replace(/\.js$/, '.ts');
}

/** Every violation in a map of file → its import specifiers. */
function violations(modules: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [file, specifiers] of modules) {
    const from = layerOf(file);
    if (!from) {
      out.push(`${file}: in no layer (place it in layerOf)`);
      continue;
    }
    for (const specifier of specifiers) {
      const target = resolve(file, specifier);
      const to = layerOf(target);
      if (!to) out.push(`${file} imports ${target}, which is in no layer`);
      else if (!allowed(from, to, target)) out.push(`${file} (${from}) imports ${target} (${to})`);
    }
  }
  return out;
}

function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return /\.tsx?$/.test(path) ? [path] : [];
  return readdirSync(path).flatMap((entry) => sourceFiles(join(path, entry)));
}

function readSources(): Map<string, string[]> {
  const modules = new Map<string, string[]>();
  for (const path of sourceFiles(src)) {
    const file = relative(src, path).split('\\').join('/');
    modules.set(file, importsOf(readFileSync(path, 'utf8')));
  }
  return modules;
}

describe('dependency direction (integrations → index → handler → routes → flows → pages/config → providers/adapters → core)', () => {
  test('the checker sees every import: each resolves to a file in src/, and there are hundreds', () => {
    const modules = readSources();
    let count = 0;
    for (const [file, specifiers] of modules) {
      for (const specifier of specifiers) {
        count++;
        const target = resolve(file, specifier);
        assert.ok(existsSync(join(src, target)) || existsSync(join(src, target.replace(/\.ts$/, '.tsx'))), `${file}: ${specifier} resolves to ${target}`);
      }
    }
    assert.ok(modules.size > 100 && count > 300, `${modules.size} files, ${count} imports`);
  });

  test('the checker flags an upward import, an unplaced file, and client code reaching the server', () => {
    const found = violations(
      new Map([
        ['core/cookies.ts', ['../routes/index.js']],
        ['flows/oauth.ts', ['../handler.js', '../core/oauth.js', '../pages/html.js']],
        ['pages/error.ts', ['../flows/request-state.js']],
        ['newdir/thing.ts', []],
        ['client/index.ts', ['../config.js', '../types.js']],
        ['routes/csrf.ts', ['../integrations/node.js']],
      ]),
    );
    assert.deepEqual(found, [
      'core/cookies.ts (core) imports routes/index.ts (routes)',
      'flows/oauth.ts (flows) imports handler.ts (handler)',
      'pages/error.ts (pages/config) imports flows/request-state.ts (flows)',
      'newdir/thing.ts: in no layer (place it in layerOf)',
      'client/index.ts (client) imports config.ts (pages/config)',
      'routes/csrf.ts (routes) imports integrations/node.ts (integrations)',
    ]);
  });

  test('no file in src/ imports a higher layer', () => {
    assert.deepEqual(violations(readSources()), []);
  });
});
