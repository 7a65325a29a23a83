// CPU profile of one gatehouse scenario: runs the server under `node --cpu-prof`, loads it, and prints the top functions by self time.
// Usage: node bench/profile.mjs [scenario]      (a scenario id from lib/scenarios.mjs; default session-jwt)
//        BENCH_PROFILE_TARGET=bare|next-auth-v4|auth-core node bench/profile.mjs …   (the same load on another target, to compare)
//        node bench/profile.mjs <file.cpuprofile>   (only summarize an existing profile)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const BENCH = new URL('./', import.meta.url).pathname;
const ROOT = new URL('../', import.meta.url).pathname;
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 20);

/** Where a frame lives, short: `gatehouse dist/core/jwt.js`, `jose`, `node:internal/…`, or a V8 pseudo-frame. */
function place(url) {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith(ROOT)) return path.slice(ROOT.length);
  return path;
}

/** Self and inclusive time per function from a .cpuprofile (V8's format: nodes, samples, timeDeltas in µs). */
export function summarize(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const f = n.callFrame;
    return `${f.functionName || '(anonymous)'}\u0000${place(f.url)}\u0000${f.url ? f.lineNumber + 1 : ''}`;
  };
  const self = new Map();
  const inclusive = new Map();
  const byPlace = new Map();
  let total = 0;
  // A sample lasts until the next one: timeDeltas[i + 1] is sample i's duration.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    total += dt;
    const leaf = nodes.get(profile.samples[i]);
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    const where = place(leaf.callFrame.url) || leaf.callFrame.functionName;
    byPlace.set(where, (byPlace.get(where) ?? 0) + dt);
    // Inclusive: each function on the stack once, however often it recurses.
    const seen = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const k = key(nodes.get(id));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const rows = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => {
        const [name, where, line] = k.split('\u0000');
        return { name, where, line, ms: us / 1000, share: us / total };
      });
  return { totalMs: total / 1000, self: rows(self), inclusive: rows(inclusive), byPlace: rows(byPlace) };
}

function print(summary, file) {
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const idle = summary.self.filter((r) => r.name === '(idle)').reduce((n, r) => n + r.share, 0);
  console.log(`\n${basename(file)}: ${summary.totalMs.toFixed(0)} ms sampled, ${pct(idle).trim()} idle`);
  console.log(`\nTop ${TOP} functions by self time:`);
  for (const r of summary.self.slice(0, TOP)) console.log(`  ${pct(r.share)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}  ${r.where}${r.line ? `:${r.line}` : ''}`);
  console.log('\nSelf time by package or file:');
  for (const r of summary.byPlace.slice(0, 15)) console.log(`  ${pct(r.share)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`);
  console.log("\ngatehouse's own functions by inclusive time (self + callees):");
  for (const r of summary.inclusive.filter((x) => x.where.startsWith('dist/')).slice(0, 15)) console.log(`  ${pct(r.share)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}  ${r.where}:${r.line}`);
}

async function record(scenario) {
  const { spawnSync } = await import('node:child_process');
  if (!existsSync(`${ROOT}dist/index.js`)) {
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const { SERVERS, startServer, signIn } = await import('./lib/targets.mjs');
  const { SCENARIOS } = await import('./lib/scenarios.mjs');
  const { measure } = await import('./lib/load.mjs');
  const chosen = SCENARIOS.find((s) => s.id === scenario);
  if (!chosen) throw new Error(`unknown scenario ${scenario}; use one of ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const dir = join(BENCH, 'profiles');
  mkdirSync(dir, { recursive: true });
  const startedAt = Date.now();
  // Database scenarios run on their own servers (gatehouse-sqlite, …); the others on the JWT one.
  const target = process.env.BENCH_PROFILE_TARGET ?? chosen.servers[0];
  const spec = SERVERS.find((s) => s.id === target);
  if (!spec) throw new Error(`unknown target ${target}`);
  const server = await startServer(spec, { execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${target}-${scenario}-${startedAt}.cpuprofile`] });
  try {
    // Bare gets a gatehouse-shaped cookie of the same size, so the request bytes match.
    if (chosen.cookie && server.spec.session === 'jwt') server.jwtCookie = await signIn(server);
    if (chosen.cookie && target === 'bare') server.jwtCookie = `next-auth.session-token=${'x'.repeat(400)}`;
    const duration = Number(process.env.BENCH_DURATION ?? 5);
    // A short warm-up first, so the profile is of optimized code rather than of start-up.
    const cookie = chosen.cookie?.(server);
    await measure(server, chosen, 1, 16, cookie);
    const result = await measure(server, chosen, duration, 16, cookie);
    console.log(`${target} ${scenario}: ${result.rps.toFixed(0)}/s under the profiler (non-2xx ${result.non2xx}, errors ${result.errors})`);
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir)
    .filter((f) => f.startsWith(`${target}-${scenario}-${startedAt}`))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  return file;
}

const arg = process.argv[2] ?? 'session-jwt';
const file = arg.endsWith('.cpuprofile') ? arg : await record(arg);
print(summarize(JSON.parse(readFileSync(file, 'utf8'))), file);
console.log(`\nprofile: ${file.startsWith(ROOT) ? file.slice(ROOT.length) : file} (open it in Chrome DevTools › Performance for the call tree)`);
