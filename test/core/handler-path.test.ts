// The handler's path imports no `node:` module, so one core runs on Node, Bun, Deno and workerd
// (test/runtimes/ runs it on each; this catches a new import before those suites run).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const src = new URL('../../src/', import.meta.url).pathname;

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => files(join(path, entry)));
}

test('core/, flows/, routes/, pages/, providers/, handler.ts, index.ts, config.ts and jwt.ts import nothing from node:', () => {
  const onPath = ['core', 'flows', 'routes', 'pages', 'providers', 'services/oauth', 'handler.ts', 'index.ts', 'config.ts', 'incoming.ts', 'errors.ts', 'jwt.ts', 'integrations/hono.ts'];
  // Next's Edge runtime has process.env (Next inlines it), so the middleware may read it.
  const importsOnly = ['integrations/next-middleware.ts'];
  const offenders: string[] = [];
  for (const file of [...onPath, ...importsOnly].flatMap((part) => files(join(src, part)))) {
    const name = file.slice(src.length);
    const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    if (/\bfrom\s+['"]node:|\bimport\s*\(\s*['"]node:|\brequire\s*\(\s*['"]node:/.test(code)) offenders.push(name);
    // Node globals that Workers lack; the environment is read only through globalThis.process?.
    const outsideStrings = code.replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
    if (!importsOnly.includes(name) && /(^|[^.\w])Buffer\.|(^|[^.\w?])process\.env/m.test(outsideStrings)) offenders.push(`${name} (Node global)`);
  }
  assert.deepEqual(offenders, []);
});
