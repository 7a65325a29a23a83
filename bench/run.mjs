// The benchmark: every target in its own process, autocannon here, rounds of all targets per scenario, medians of ratios to bare node:http.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const ROOT = new URL('../', import.meta.url).pathname;
const BENCH = new URL('./', import.meta.url).pathname;

// `npm run bench` builds first; a direct `node bench/run.mjs` on a fresh clone must still find dist/ and the peers.
if (!existsSync(`${ROOT}dist/index.js`)) {
  console.log('dist/ is missing: npm run build …');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
if (!existsSync(`${BENCH}node_modules/next-auth/package.json`) || !existsSync(`${BENCH}node_modules/autocannon/package.json`)) {
  console.log('Installing the bench peers in bench/ …');
  // `npm install`, not `npm ci`: next's lockfile names platform packages this registry lacks (see scripts/ensure-peers.mjs).
  const installed = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: 'inherit' });
  if (installed.status !== 0) process.exit(installed.status ?? 1);
}

const { SERVERS, startServer, signIn, expectAnswer } = await import('./lib/targets.mjs');
const { SCENARIOS: ALL_SCENARIOS } = await import('./lib/scenarios.mjs');
const { measure: measureLoad } = await import('./lib/load.mjs');

const env = process.env;
const SETTINGS = {
  duration: Number(env.BENCH_DURATION ?? 2),
  warmup: Number(env.BENCH_WARMUP ?? 1),
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  connections: Number(env.BENCH_CONNECTIONS ?? 16),
};
/** The running target processes, by SERVERS id. */
const servers = new Map();

/** Bare gets the cookie of the scenario's first library: the same request bytes, only the handling differs. */
function cookieFor(server, scenario) {
  if (!scenario.cookie) return undefined;
  return scenario.cookie(server.spec.library === 'bare' ? servers.get(scenario.servers[0]) : server);
}

/** One run, plus the server's CPU time per request (per sign-in for the chain) between two snapshots. */
async function measure(server, scenario, seconds) {
  const before = await server.stats();
  const result = await measureLoad(server, scenario, seconds, SETTINGS.connections, cookieFor(server, scenario));
  const after = await server.stats();
  const units = scenario.load === 'signin' ? result.rps * result.seconds : after.requests - before.requests;
  return {
    ...result,
    cpuMicrosPerUnit: units > 0 ? (after.cpuMicros - before.cpuMicros) / units : null,
    allocatedBytesPerUnit: units > 0 ? (after.allocatedBytes - before.allocatedBytes) / units : null,
    serverStats: after,
  };
}
const only = (name) => (env[name] ? new Set(env[name].split(',').map((s) => s.trim())) : null);
const ONLY_SCENARIOS = only('BENCH_SCENARIOS');
const ONLY_TARGETS = only('BENCH_TARGETS');

const SCENARIOS = ALL_SCENARIOS.filter((s) => !ONLY_SCENARIOS || ONLY_SCENARIOS.has(s.id));

async function postgresReachable() {
  if (env.BENCH_POSTGRES === '0') return 'BENCH_POSTGRES=0';
  const pg = createRequire(`${ROOT}package.json`)('pg');
  const { POSTGRES } = await import('./lib/sql-count.mjs');
  const client = new pg.Client({ ...POSTGRES, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES.host}:${POSTGRES.port}/${POSTGRES.database} is not reachable (${error.message}); set GATEHOUSE_PG_* or BENCH_POSTGRES=0`;
  }
}

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (value, digits = 2) => (value === null || value === undefined ? '–' : value.toFixed(digits));
const mb = (bytes) => bytes / 1024 / 1024;

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const skipped = {};
  const pgProblem = SCENARIOS.some((s) => s.needs === 'postgres') ? await postgresReachable() : null;
  const scenarios = SCENARIOS.filter((s) => {
    if (s.needs === 'postgres' && pgProblem) {
      skipped[s.id] = pgProblem;
      return false;
    }
    return true;
  }).map((s) => ({ ...s, servers: s.servers.filter((id) => !ONLY_TARGETS || ONLY_TARGETS.has(id)) }));

  const wanted = new Set(['bare', ...scenarios.flatMap((s) => s.servers)]);
  const cleanup = async () => Promise.all([...servers.values()].map((s) => s.stop().catch(() => undefined)));
  process.once('SIGINT', async () => {
    await cleanup();
    process.exit(130);
  });

  try {
    for (const spec of SERVERS.filter((s) => wanted.has(s.id))) {
      const server = await startServer(spec);
      servers.set(spec.id, server);
      server.idle = await server.stats();
      console.error(`started ${spec.id} on ${server.origin}`);
    }
    // Real cookies, and one checked answer per (scenario, server) before any load.
    for (const server of servers.values()) {
      if (server.spec.session === 'jwt') server.jwtCookie = await signIn(server);
    }
    for (const scenario of scenarios) {
      if (!scenario.check) continue;
      for (const id of scenario.servers) {
        const server = servers.get(id);
        // A bare target is a ceiling with one fixed answer (a session-sized body), not an auth library to check.
        if (server.spec.library === 'bare') continue;
        const cookie = scenario.cookie?.(server);
        await expectAnswer(server, scenario.path, cookie ? { cookie } : {}, scenario.check[0], scenario.check[1]);
      }
    }

    // Units of work: per scenario, bare node:http and each library, so every ratio has a bare figure
    // from minutes before or after (the machine is shared: a bare figure from another scenario drifts).
    const units = (round) => {
      const list = [];
      for (const scenario of scenarios) {
        // Rotate the order each round so no target always runs right after another one.
        const all = ['bare', ...scenario.servers];
        const ids = all.map((_, i) => all[(i + round) % all.length]);
        for (const id of ids) list.push({ scenario, serverId: id, key: `${scenario.id}:${id}` });
      }
      return list;
    };

    if (SETTINGS.warmup > 0) {
      console.error(`warm-up: ${units(0).length} runs × ${SETTINGS.warmup} s`);
      for (const unit of units(0)) await measure(servers.get(unit.serverId), unit.scenario, SETTINGS.warmup);
    }

    const runs = [];
    const sql = {};
    for (let round = 0; round < SETTINGS.rounds; round++) {
      for (const unit of units(round)) {
        const server = servers.get(unit.serverId);
        if (unit.scenario.sql && unit.serverId !== 'bare') await server.reset();
        const { serverStats: stats, ...result } = await measure(server, unit.scenario, SETTINGS.duration);
        if (unit.scenario.sql && unit.serverId !== 'bare') {
          const acc = (sql[unit.serverId] ??= { requests: 0, statements: 0, reads: 0, writes: 0, transactions: 0, adapterCalls: {}, distinct: new Map() });
          acc.requests += stats.requests;
          for (const k of ['statements', 'reads', 'writes', 'transactions']) acc[k] += stats.sql[k];
          for (const [name, n] of Object.entries(stats.adapterCalls)) acc.adapterCalls[name] = (acc.adapterCalls[name] ?? 0) + n;
          for (const d of stats.sql.distinct) {
            const prev = acc.distinct.get(d.sql);
            acc.distinct.set(d.sql, { ...d, count: (prev?.count ?? 0) + d.count });
          }
        }
        runs.push({ round, scenario: unit.scenario.id, server: unit.serverId, key: unit.key, ...result });
        console.error(`round ${round + 1}/${SETTINGS.rounds} ${unit.key.padEnd(34)} ${fmt(result.rps, 0).padStart(7)}/s ${fmt(result.cpuMicrosPerUnit, 0).padStart(6)} µs CPU${result.non2xx || result.errors ? `  (non-2xx ${result.non2xx}, errors ${result.errors})` : ''}`);
      }
    }

    const rss = {};
    for (const [id, server] of servers) rss[id] = { idle: server.idle.rss, after: await server.stats() };
    const coldStarts = await measureColdStarts([...servers.values()]);
    for (const r of Object.values(rss)) r.afterLoad = r.after.rss;

    // Summary rows: median req/s over rounds, and the median of per-round ratios (same round, same machine state).
    const byKey = (key, round) => runs.find((r) => r.key === key && r.round === round);
    const rows = [];
    for (const scenario of scenarios) {
      const v4Id = scenario.servers.find((id) => SERVERS.find((s) => s.id === id).library === 'next-auth-v4');
      for (const id of ['bare', ...scenario.servers]) {
        // Each door against its own ceiling: the Fetch handler against a bare Fetch handler behind the same bridge.
        const baseline = SERVERS.find((s) => s.id === id).baseline ?? 'bare';
        const bareKey = `${scenario.id}:${baseline}`;
        const key = `${scenario.id}:${id}`;
        const mine = runs.filter((r) => r.key === key);
        const rounds = mine.map((r) => r.round);
        const ratio = (otherKey) => median(rounds.map((round) => byKey(key, round).rps / (byKey(otherKey, round)?.rps ?? NaN)));
        const cpuRatio = (_key, otherKey) => median(rounds.map((round) => (byKey(otherKey, round)?.cpuMicrosPerUnit ?? NaN) / byKey(key, round).cpuMicrosPerUnit));
        rows.push({
          scenario: scenario.id,
          title: scenario.title,
          server: id,
          baseline,
          name: SERVERS.find((s) => s.id === id).name,
          rps: median(mine.map((r) => r.rps)),
          perRound: mine.map((r) => Math.round(r.rps)),
          vsBare: ratio(bareKey),
          vsNextAuthV4: v4Id ? ratio(`${scenario.id}:${v4Id}`) : null,
          non2xx: mine.reduce((n, r) => n + r.non2xx, 0),
          errors: mine.reduce((n, r) => n + r.errors, 0),
          failedSignIns: scenario.load === 'signin' ? mine.reduce((n, r) => n + (r.failedSignIns ?? 0), 0) : undefined,
          latencyP99: median(mine.map((r) => r.latencyP99)),
          cpuMicros: median(mine.map((r) => r.cpuMicrosPerUnit)),
          allocatedBytes: median(mine.map((r) => r.allocatedBytesPerUnit)),
          // bare's CPU per request over ours: what the throughput ratio would be on an otherwise idle machine, if the server were the bottleneck.
          cpuVsBare: cpuRatio(key, bareKey),
          cpuVsNextAuthV4: v4Id ? cpuRatio(key, `${scenario.id}:${v4Id}`) : null,
        });
      }
    }

    const sqlSummary = Object.fromEntries(
      Object.entries(sql).map(([id, acc]) => [
        id,
        {
          requests: acc.requests,
          perRequest: { statements: acc.statements / acc.requests, reads: acc.reads / acc.requests, writes: acc.writes / acc.requests },
          adapterCallsPerRequest: Object.fromEntries(Object.entries(acc.adapterCalls).map(([k, n]) => [k, n / acc.requests])),
          statements: [...acc.distinct.values()].map((d) => ({ ...d, perRequest: d.count / acc.requests, indexed: indexed(d.plan) })),
        },
      ]),
    );

    const report = {
      date: new Date(started).toISOString(),
      machine: {
        cpus: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg(),
      },
      versions: versions(),
      settings: { ...SETTINGS, scenarios: env.BENCH_SCENARIOS ?? 'all', targets: env.BENCH_TARGETS ?? 'all' },
      skipped,
      summary: rows,
      rss: Object.fromEntries(
        Object.entries(rss).map(([id, r]) => [
          id,
          { idleMB: mb(r.idle), afterLoadMB: mb(r.afterLoad), vsBareMB: mb(r.afterLoad - rss.bare.afterLoad), heapUsedMB: mb(r.after.heapUsed), heapTotalMB: mb(r.after.heapTotal), externalMB: mb(r.after.external) },
        ]),
      ),
      sql: sqlSummary,
      coldStarts,
      goals: goals(rows, rss, sqlSummary),
      runs,
      seconds: (Date.now() - started) / 1000,
    };
    for (const [id, server] of servers) {
      const warnings = server.stderr().trim();
      if (warnings) report.stderr = { ...(report.stderr ?? {}), [id]: warnings.slice(-2000) };
    }

    print(report);
    mkdirSync(`${BENCH}results`, { recursive: true });
    const file = `${BENCH}results/${report.date.slice(0, 19).replace(/:/g, '-')}.json`;
    writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    console.log(`\nwrote ${file.slice(ROOT.length)} (${fmt(report.seconds, 0)} s)`);
  } finally {
    await cleanup();
  }
}

const COLD_REPEATS = Number(env.BENCH_COLD_REPEATS ?? 3);

/**
 * Cold start, per JWT target and bare: a fresh process of the same target, the time to its port line,
 * then the first GET `session` with a signed-in cookie (minted by the running instance, same secret)
 * and a second one for contrast. Medians of BENCH_COLD_REPEATS starts; the ratio is bare's time over
 * the target's, taken within each repeat, like every other ratio here.
 */
async function measureColdStarts(running) {
  const specs = running.filter((s) => s.spec.library === 'bare' || s.spec.session === 'jwt');
  const cookieOf = (spec) => running.find((s) => s.spec.library === spec.library && s.jwtCookie)?.jwtCookie ?? running.find((s) => s.jwtCookie)?.jwtCookie;
  const samples = {};
  for (let repeat = 0; repeat < COLD_REPEATS; repeat++) {
    for (const { spec } of specs) {
      const server = await startServer(spec);
      try {
        const timed = async () => {
          const t = performance.now();
          const response = await fetch(`${server.origin}/api/auth/session`, { headers: { cookie: cookieOf(spec) } });
          await response.text();
          return performance.now() - t;
        };
        const firstMs = await timed();
        const secondMs = await timed();
        (samples[spec.id] ??= []).push({ startupMs: server.startupMs, firstMs, secondMs });
      } finally {
        await server.stop();
      }
    }
  }
  const out = {};
  for (const [id, list] of Object.entries(samples)) {
    const baseline = SERVERS.find((s) => s.id === id).baseline ?? 'bare';
    const vs = (field) => median(list.map((sample, i) => samples[baseline][i][field] / sample[field]));
    out[id] = {
      baseline,
      startupMs: median(list.map((s) => s.startupMs)),
      firstRequestMs: median(list.map((s) => s.firstMs)),
      secondRequestMs: median(list.map((s) => s.secondMs)),
      startupVsBaseline: vs('startupMs'),
      firstRequestVsBaseline: vs('firstMs'),
    };
  }
  return out;
}

/** No full scan in the plan: SQLite says SEARCH … USING INDEX, PostgreSQL has no Seq Scan. */
function indexed(plan) {
  if (!plan) return null;
  const text = plan.join('\n');
  return !/^SCAN |\bSCAN (TABLE )?\w+\s*$|Seq Scan/m.test(text);
}

function versions() {
  const read = (dir) => {
    try {
      return createRequire(`${dir}package.json`)('./package.json').version;
    } catch {
      return null;
    }
  };
  return {
    gatehouse: read(ROOT),
    'next-auth': read(`${BENCH}node_modules/next-auth/`),
    '@auth/core': read(`${BENCH}node_modules/auth-core/`),
    autocannon: read(`${BENCH}node_modules/autocannon/`),
  };
}

/** The issue's goals (issue 21), as measured in this run: reported, never asserted. */
function goals(rows, rss, sql) {
  const row = (scenario, server) => rows.find((r) => r.scenario === scenario && r.server === server);
  const out = [];
  const ratioGoal = (scenario, server, goal, field = 'vsBare') => {
    const r = row(scenario, server);
    if (!r) return;
    const cpu = field === 'vsBare' ? r.cpuVsBare : r.cpuVsNextAuthV4;
    const against = field === 'vsBare' ? (r.baseline === 'bare' ? 'bare' : r.baseline) : 'next-auth v4';
    out.push({ goal: `${scenario}: ${server} ≥ ${goal}× ${against}`, measured: r[field], byCpu: cpu, met: r[field] !== null && r[field] >= goal });
  };
  for (const scenario of ['session-jwt', 'session-anon', 'csrf']) ratioGoal(scenario, 'gatehouse', 0.8);
  ratioGoal('providers', 'gatehouse', 0.9);
  ratioGoal('signin', 'gatehouse', 0.8);
  ratioGoal('signin', 'gatehouse', 2.5, 'vsNextAuthV4');
  for (const scenario of ['session-jwt', 'session-anon', 'csrf', 'providers']) ratioGoal(scenario, 'gatehouse-fetch', 0.85);
  ratioGoal('signin', 'gatehouse-fetch', 0.7);
  ratioGoal('session-sqlite', 'gatehouse-sqlite', 0.5);
  ratioGoal('session-postgres', 'gatehouse-postgres', 3, 'vsNextAuthV4');
  for (const id of ['gatehouse-sqlite', 'gatehouse-postgres']) {
    const s = sql[id];
    if (!s) continue;
    const reads = s.statements.filter((d) => d.kind === 'read');
    out.push({
      goal: `${id}: one indexed read per request, no write`,
      measured: `${fmt(s.perRequest.reads, 3)} reads, ${fmt(s.perRequest.writes, 3)} writes per request; reads indexed: ${reads.every((d) => d.indexed)}`,
      met: Math.abs(s.perRequest.reads - 1) < 0.01 && s.perRequest.writes === 0 && reads.every((d) => d.indexed),
    });
  }
  if (rss.gatehouse && rss.bare) {
    const delta = mb(rss.gatehouse.afterLoad - rss.bare.afterLoad);
    out.push({ goal: 'RSS after load ≤ bare + 15 MB', measured: `${fmt(delta, 1)} MB over bare`, met: delta <= 15 });
  }
  return out;
}

function table(header, lines, textColumns = 2) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => (i < textColumns ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [row(header), `|${widths.map((w, i) => (i < textColumns ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`, ...lines.map(row)].join('\n');
}

function print(report) {
  const m = report.machine;
  console.log(`\n## gatehouse bench, ${report.date.slice(0, 10)}: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}`);
  console.log(
    `${report.settings.rounds} rounds × ${report.settings.duration} s per run, ${report.settings.connections} connections; load average ${m.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')} before, ${m.loadAverageAfter.map((l) => l.toFixed(2)).join(' ')} after\n`,
  );
  const lines = report.summary.map((r) => [
    r.title,
    r.name,
    fmt(r.rps, 0),
    fmt(r.vsBare, 3),
    r.server === 'bare' || r.server === 'bare-fetch' ? '–' : fmt(r.vsNextAuthV4, 2),
    r.perRound.join(' '),
    fmt(r.cpuMicros, 0),
    fmt(r.cpuVsBare, 3),
    r.server === 'bare' || r.server === 'bare-fetch' ? '–' : fmt(r.cpuVsNextAuthV4, 2),
    r.allocatedBytes === null ? '–' : fmt(r.allocatedBytes / 1024, 1),
    r.non2xx + r.errors + (r.failedSignIns ?? 0) || '',
  ]);
  console.log(table(['scenario', 'target', 'req/s (median)', '× bare', '× next-auth v4', 'req/s per round', 'CPU µs/req', '× bare (CPU)', '× v4 (CPU)', 'KB alloc/req', 'bad'], lines));
  console.log(
    '\nSign-in rows count completed sign-ins/s and CPU per sign-in (two requests each); bare runs the same two requests against fixed answers.' +
      "\nCPU µs/req is the server process's user+system CPU per request; the (CPU) ratios divide bare's (or v4's) by the target's: steadier than req/s on a shared machine." +
      '\nThe Fetch-door rows (bridge) take "× bare" against the bare Fetch handler behind the same bridge; that row itself against bare node:http.',
  );

  const rssLines = Object.entries(report.rss).map(([id, r]) => [id, fmt(r.idleMB, 1), fmt(r.afterLoadMB, 1), id === 'bare' ? '–' : fmt(r.vsBareMB, 1), fmt(r.heapUsedMB, 1), fmt(r.heapTotalMB, 1)]);
  console.log(`\n${table(['server process', 'RSS idle MB', 'RSS after load MB', 'vs bare MB', 'heap used MB', 'heap total MB'], rssLines, 1)}`);

  for (const [id, s] of Object.entries(report.sql)) {
    console.log(`\n${id}: ${fmt(s.perRequest.statements, 3)} statements per request (${fmt(s.perRequest.reads, 3)} reads, ${fmt(s.perRequest.writes, 3)} writes); adapter calls per request ${JSON.stringify(Object.fromEntries(Object.entries(s.adapterCallsPerRequest).map(([k, v]) => [k, Number(v.toFixed(3))])))}`);
    for (const d of s.statements) console.log(`  ${fmt(d.perRequest, 3)}× ${d.kind}${d.indexed === null ? '' : d.indexed ? ', indexed' : ', NOT indexed'}: ${d.sql.length > 150 ? `${d.sql.slice(0, 147)}…` : d.sql}`);
  }
  for (const [id, reason] of Object.entries(report.skipped)) console.log(`\nskipped ${id}: ${reason}`);

  const coldLines = Object.entries(report.coldStarts).map(([id, c]) => [id, c.baseline, fmt(c.startupMs, 0), fmt(c.startupVsBaseline, 3), fmt(c.firstRequestMs, 1), fmt(c.firstRequestVsBaseline, 3), fmt(c.secondRequestMs, 1)]);
  console.log(`\nCold start (fresh process, medians of ${COLD_REPEATS}; × is the baseline's time over the target's):`);
  console.log(table(['server process', 'baseline', 'spawn → listening ms', '× baseline', 'first GET session ms', '× baseline', 'second GET ms'], coldLines, 2));

  console.log('\nGoals (issue 21), as measured in this run:');
  for (const g of report.goals) {
    const measured = typeof g.measured === 'number' ? fmt(g.measured, 3) : g.measured;
    console.log(`  ${g.met ? 'met   ' : 'MISSED'} ${g.goal}: ${measured}${g.byCpu !== undefined ? ` (by CPU per request: ${fmt(g.byCpu, 3)})` : ''}`);
  }
  if (report.stderr) console.log(`\nservers wrote to stderr: ${Object.keys(report.stderr).join(', ')} (see the JSON)`);
}

await main();
