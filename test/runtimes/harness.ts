// Runs the shared app on Bun, Deno or workerd as a child process, from the binaries test/runtimes/package.json installs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REQUIRE_SERVICES } from '../adapters/services.js';
import type { RunningApp } from '../integrations/suite.js';
import type { AppOptions } from './app.js';

export type Runtime = 'bun' | 'deno' | 'workerd';

const here = new URL('.', import.meta.url).pathname;
const bin = (runtime: Runtime) => join(here, 'node_modules', '.bin', runtime);

/** Undefined when the runtime's binary runs here; else why the file skips (a failure under GATEHOUSE_REQUIRE_SERVICES=1). */
export function runtimeSkipReason(runtime: Runtime): string | undefined {
  const probe = spawnSync(bin(runtime), ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const absent = `${runtime} does not run from test/runtimes/node_modules (${probe.error?.message ?? probe.stderr.trim()}); run \`node scripts/ensure-peers.mjs\``;
  if (REQUIRE_SERVICES) throw new Error(`GATEHOUSE_REQUIRE_SERVICES=1 and ${absent}`);
  return absent;
}

const entries: Record<Runtime, string> = { bun: 'bun.ts', deno: 'deno.ts', workerd: 'worker.ts' };
const bundles = new Map<Runtime, Promise<string>>();
const bundleDir = join(here, '..', '..', '.tmp', 'runtimes');
const written: string[] = [];
process.once('exit', () => {
  for (const file of written) rmSync(file, { force: true });
});

/**
 * One ES module per runtime, bundled from src/ as an app's bundler would: `neutral` platform with the
 * conditions Workers builds use, so a package's Node-only entry is never picked. Node built-ins stay
 * imports: whatever reaches one must exist on the runtime itself.
 */
export function bundle(runtime: Runtime): Promise<string> {
  let pending = bundles.get(runtime);
  if (!pending) {
    pending = (async () => {
      mkdirSync(bundleDir, { recursive: true });
      const outfile = join(bundleDir, `${runtime}-${process.pid}.js`);
      written.push(outfile);
      await build({
        entryPoints: [join(here, entries[runtime])],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        target: 'es2022',
        conditions: runtime === 'workerd' ? ['workerd', 'worker', 'browser'] : [runtime],
        mainFields: ['module', 'main'],
        external: ['node:*'],
        logLevel: 'silent',
      });
      return outfile;
    })();
    bundles.set(runtime, pending);
  }
  return pending;
}

/**
 * workerd's config: the bundle as a module, the options as a text binding, loopback reachable for the
 * IdP. `embed` paths are relative to the config file, so both files sit beside it.
 */
function workerdConfig(): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The default outbound reaches public addresses only; the test IdP listens on 127.0.0.1.
    (name = "loopback", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  # No nodejs_compat: no node: module and no Node global exists here, so the core runs on Web Crypto alone.
  bindings = [(name = "OPTIONS", text = embed "options.json")],
  globalOutbound = "loopback",
);
`;
}

/** Waits for the child's port: `listening N` on stdout (Bun, Deno) or workerd's listen event on fd 3. */
function portOf(child: ChildProcess, runtime: Runtime): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const stream = runtime === 'workerd' ? child.stdio[3]! : child.stdout!;
    const timer = setTimeout(() => reject(new Error(`${runtime} did not start listening: ${errors || output}`)), 60_000);
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = runtime === 'workerd' ? /"event":"listen","socket":"http","port":(\d+)/.exec(output) : /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} exited with ${code} before listening: ${errors || output}`));
    });
  });
}

/** Starts the app on `runtime` on a free loopback port. */
export async function startRuntime(runtime: Runtime, options: AppOptions): Promise<RunningApp> {
  const file = await bundle(runtime);
  const work = mkdtempSync(join(tmpdir(), `gatehouse-${runtime}-`));
  const json = JSON.stringify(options);
  let child: ChildProcess;
  if (runtime === 'bun') {
    child = spawn(bin('bun'), [file, json], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  } else if (runtime === 'deno') {
    // Deno asks before touching the network or the environment; the app needs both, nothing else.
    child = spawn(bin('deno'), ['run', '--allow-net', '--allow-env', '--no-prompt', file, json], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } });
  } else {
    copyFileSync(file, join(work, 'worker.js'));
    writeFileSync(join(work, 'options.json'), json);
    writeFileSync(join(work, 'config.capnp'), workerdConfig());
    child = spawn(bin('workerd'), ['serve', join(work, 'config.capnp'), '--control-fd=3'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  }
  let port: number;
  try {
    port = await portOf(child, runtime);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}
