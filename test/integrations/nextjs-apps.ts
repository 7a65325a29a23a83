// Builds and starts the Next.js example twice: as committed (gatehouse) and as the next-auth v4 app it was migrated from.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { requireServices } from '../helpers/chromium.js';
import { packedTarball } from '../helpers/tarball.js';

const ROOT = new URL('../../', import.meta.url).pathname;
export const EXAMPLE = join(ROOT, 'examples/nextjs');
/** The v4 app is generated here (gitignored) and uses next-auth v4 from test/peers. */
export const V4_APP = join(ROOT, '.tmp/nextjs-v4');
/** The Edge-middleware variant is generated here and uses the example's node_modules. */
const EDGE_APP = join(ROOT, '.tmp/nextjs-edge');
const PEERS_MODULES = join(ROOT, 'test/peers/node_modules');
/** The next-auth v5 example, and its v5 original generated here, built with next-auth@5 beta from test/peers-v5. */
export const EXAMPLE_V5 = join(ROOT, 'examples/nextjs-v5');
export const V5_APP = join(ROOT, '.tmp/nextjs-v5-original');
const PEERS_V5_MODULES = join(ROOT, 'test/peers-v5/node_modules');

const SKIPPED_DIRS = new Set(['node_modules', '.next']);
const GENERATED = new Set(['next-env.d.ts', 'package-lock.json']);

/** Source files of an app, relative to its folder. */
export function sourceFiles(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, sub))) {
    const path = join(sub, entry);
    if (statSync(join(dir, path)).isDirectory()) {
      if (!SKIPPED_DIRS.has(entry)) out.push(...sourceFiles(dir, path));
    } else if (!GENERATED.has(path)) out.push(path);
  }
  return out.sort();
}

/** The inverse of MIGRATING.md's sed: gatehouse imports back to next-auth v4's. */
export function toV4Imports(source: string): string {
  return source
    .replace(/(['"])gatehouse-auth\/next\/middleware(['"])/g, '$1next-auth/middleware$2')
    .replace(/(['"])gatehouse-auth\/next(['"])/g, '$1next-auth$2')
    .replace(/(['"])gatehouse-auth\/(react|jwt|providers\/[A-Za-z0-9_-]+)(['"])/g, '$1next-auth/$2$3');
}

/** The inverse of MIGRATING.md's v5 sed: gatehouse imports back to next-auth v5's. */
export function toV5Imports(source: string): string {
  return source.replace(/(['"])gatehouse-auth\/next(['"])/g, '$1next-auth$2').replace(/(['"])gatehouse-auth\/(react|jwt|providers\/[A-Za-z0-9_-]+)(['"])/g, '$1next-auth/$2$3');
}

/** Skips loudly, or fails when GATEHOUSE_REQUIRE_SERVICES=1 (CI). */
export function skipOrFail(t: TestContext, message: string): undefined {
  if (requireServices()) throw new Error(message);
  console.warn(`\n${'!'.repeat(72)}\n!! ${message}\n${'!'.repeat(72)}\n`);
  t.skip(message);
  return undefined;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function hashTree(hash: ReturnType<typeof createHash>, dir: string, files: string[]): void {
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(join(dir, file)));
  }
}

/**
 * `next build` unless the last build saw the same sources and the same gatehouse-auth/next-auth: the
 * stamp keeps repeated test runs at a few seconds (a cold build is 30-60 s on two cores).
 */
function buildIfChanged(dir: string, extra: string[]): { ok: boolean; output: string } {
  const hash = createHash('sha256');
  hashTree(hash, dir, sourceFiles(dir));
  for (const path of extra) if (existsSync(path)) hashTree(hash, path, sourceFiles(path));
  const stamp = hash.digest('hex');
  const stampFile = join(dir, '.next', 'gatehouse-test-stamp');
  if (existsSync(join(dir, '.next', 'BUILD_ID')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { ok: true, output: 'cached' };
  const result = run(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'build'], dir);
  if (result.ok) writeFileSync(stampFile, stamp);
  return result;
}

/**
 * An example folder ready to run: installed once (`npm install`, as its README says; not `npm ci`,
 * since the lockfile may lack other platforms' @next/swc packages), then the current build installed
 * from the packed tarball (sync-gatehouse.mjs), as a registry install would. A reason to skip, or undefined.
 */
export function installExample(dir: string, marker: string): string | undefined {
  const install = () => run('npm', ['install', '--no-audit', '--no-fund'], dir);
  // One tarball for every example (and the fresh-app test): packed once per build.
  const sync = () => run(process.execPath, [join(dir, '../sync-gatehouse.mjs')], dir, { GATEHOUSE_TARBALL: packedTarball() });
  if (!existsSync(join(dir, 'node_modules', marker))) {
    console.log(`Installing ${relative(ROOT, dir)} (once) …`);
    const installed = install();
    if (!installed.ok) return `npm install in ${relative(ROOT, dir)} failed (offline?)\n${installed.output.slice(-2000)}`;
  }
  let synced = sync();
  if (!synced.ok && /npm install/.test(synced.output) && install().ok) synced = sync();
  if (!synced.ok) throw new Error(`sync-gatehouse failed in ${dir}:\n${synced.output}`);
  return undefined;
}

/** examples/nextjs (or `example`, e.g. EXAMPLE_V5) as committed: installed, gatehouse synced from dist/, built. */
export function prepareGatehouseApp(t: TestContext, example = EXAMPLE): string | undefined {
  if (!existsSync(join(ROOT, 'dist/integrations/next.js'))) return skipOrFail(t, 'dist/ is not built (npm test builds it; or run npm run build): Next.js tests SKIPPED');
  const skip = installExample(example, 'next/package.json');
  if (skip) return skipOrFail(t, `${skip}: Next.js tests SKIPPED`);
  const build = buildIfChanged(example, [join(example, 'node_modules/gatehouse-auth/dist')]);
  if (!build.ok) throw new Error(`next build of ${relative(ROOT, example)} failed:\n${build.output.slice(-4000)}`);
  return example;
}

/**
 * A generated copy of the example: files renamed or rewritten by `transform` (null drops one),
 * `node_modules` a link to `modules`, Turbopack's root widened to the repository so the link
 * resolves. Rebuilt only when its files change.
 */
function prepareCopy(dir: string, modules: string, transform: (file: string, source: string) => [string, string] | null, from = EXAMPLE): { ok: boolean; output: string } {
  mkdirSync(dir, { recursive: true });
  const wanted = new Map<string, string>();
  for (const file of sourceFiles(from)) {
    const out = transform(file, readFileSync(join(from, file), 'utf8'));
    if (!out) continue;
    const [name, source] = out;
    wanted.set(name, name === 'next.config.mjs' ? source.replace('turbopack: { root: import.meta.dirname }', `turbopack: { root: ${JSON.stringify(ROOT)} }`) : source);
  }
  for (const file of sourceFiles(dir)) if (!wanted.has(file)) rmSync(join(dir, file));
  for (const [file, source] of wanted) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    if (!existsSync(join(dir, file)) || readFileSync(join(dir, file), 'utf8') !== source) writeFileSync(join(dir, file), source);
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(relative(dir, modules), join(dir, 'node_modules'));
  return buildIfChanged(dir, [join(modules, 'gatehouse-auth/dist')]);
}

/**
 * The same app on next-auth v4: the example's files with the imports mapped back, built against
 * next-auth and next from test/peers.
 */
export function prepareV4App(t: TestContext): string | undefined {
  if (!existsSync(join(PEERS_MODULES, 'next-auth/package.json')) || !existsSync(join(PEERS_MODULES, 'next/package.json'))) {
    return skipOrFail(t, 'next-auth v4 is not installed in test/peers (npm test installs it): v4 migration tests SKIPPED');
  }
  const build = prepareCopy(V4_APP, PEERS_MODULES, (file, source) => [file, /\.tsx?$/.test(file) ? toV4Imports(source) : source]);
  if (!build.ok) throw new Error(`next build of the v4 app failed:\n${build.output.slice(-4000)}`);
  return V4_APP;
}

/**
 * The v5 example as the next-auth v5 app it was moved from: its files with the imports mapped back,
 * built against next-auth@5 beta and next from test/peers-v5.
 */
export function prepareV5App(t: TestContext): string | undefined {
  if (!existsSync(join(PEERS_V5_MODULES, 'next-auth/package.json')) || !existsSync(join(PEERS_V5_MODULES, 'next/package.json'))) {
    return skipOrFail(t, 'next-auth v5 beta is not installed in test/peers-v5 (npm test installs it): v5 migration tests SKIPPED');
  }
  const build = prepareCopy(V5_APP, PEERS_V5_MODULES, (file, source) => [file, /\.tsx?$/.test(file) ? toV5Imports(source) : source], EXAMPLE_V5);
  if (!build.ok) throw new Error(`next build of the v5 original failed:\n${build.output.slice(-4000)}`);
  return V5_APP;
}

/**
 * The gatehouse example with its `proxy.ts` named `middleware.ts`, which Next runs on the Edge
 * runtime: what a Next 15 app migrating from v4 has. Call after prepareGatehouseApp.
 */
export function prepareEdgeApp(): string {
  const build = prepareCopy(EDGE_APP, join(EXAMPLE, 'node_modules'), (file, source) => [file === 'proxy.ts' ? 'middleware.ts' : file, source]);
  if (!build.ok) throw new Error(`next build of the Edge-middleware variant failed:\n${build.output.slice(-4000)}`);
  return EDGE_APP;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningNext {
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** `next start` on 127.0.0.1:port; resolves once the auth API answers. */
export async function startNext(dir: string, port: number, env: Record<string, string>): Promise<RunningNext> {
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXTAUTH_URL: origin, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      const response = await fetch(`${origin}/api/auth/providers`);
      if (response.ok) return { origin, output: () => output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`next start did not answer on ${origin}:\n${output}`);
}

/** Copies a folder (used to check the migration sed on a scratch copy). */
export function copyTree(from: string, to: string): void {
  for (const file of sourceFiles(from)) {
    mkdirSync(join(to, file, '..'), { recursive: true });
    cpSync(join(from, file), join(to, file));
  }
}
