// The changelog rule for public API changes: every api/ report that differs from the baseline (the last release
// tag v*, or before any release the commit that first committed the reports) is named in CHANGELOG.md's
// [Unreleased] section, a report that lost lines under "### Changed" or "### Removed", and after a release such a
// loss needs a SemVer-major version in package.json (0.x: a minor one). `node scripts/changelog-policy.mjs` checks.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The specifier a report file describes: `gatehouse-auth.providers.github.api.md` → `gatehouse-auth/providers/github`. */
export function specifierOf(file) {
  return file === 'package-surface.json' ? 'package.json' : file.replace(/\.api\.md$/, '').replaceAll('.', '/');
}

/** Lines of `before` missing from `after`, counted as a multiset: what a consumer may have relied on. */
export function lostLines(before, after) {
  const left = new Map();
  for (const line of after.split('\n')) left.set(line, (left.get(line) ?? 0) + 1);
  const lost = [];
  for (const line of before.split('\n')) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else if (line.trim() !== '') lost.push(line);
  }
  return lost;
}

/** Keep a Changelog's [Unreleased] section: its text, and the text under each `### Category`. */
export function unreleasedSection(changelog) {
  const match = /^## \[Unreleased\][^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog);
  if (!match) return undefined;
  const body = match[1];
  const categories = new Map();
  for (const part of body.split(/^(?=### )/m)) {
    const heading = /^### (\w+)/.exec(part);
    if (heading) categories.set(heading[1], part);
  }
  return { body, categories };
}

const named = (text, specifier) => text.includes(`\`${specifier}\``);

function parseVersion(version) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? m.slice(1, 4).map(Number) : undefined;
}

/** True when `next` is an incompatible-change bump over `released` under SemVer (0.x: the minor acts as major). */
export function isBreakingBump(released, next) {
  const [a, b] = [parseVersion(released), parseVersion(next)];
  if (!a || !b) return false;
  return a[0] === 0 ? b[0] > 0 || b[1] > a[1] : b[0] > a[0];
}

/**
 * The policy, pure: `baseline` and `current` map report file names to their text (absent = no such report),
 * `release` is the baseline's version when it is a release tag. Returns the problems, empty when it holds.
 */
export function checkPolicy({ baseline, current, changelog, version, release }) {
  const problems = [];
  const files = [...new Set([...baseline.keys(), ...current.keys()])].sort();
  const differing = files.filter((file) => baseline.get(file) !== current.get(file));
  if (differing.length === 0) return problems;
  const unreleased = unreleasedSection(changelog);
  if (!unreleased) return ['CHANGELOG.md has no "## [Unreleased]" section (Keep a Changelog) for the public API changes in ' + differing.map(specifierOf).join(', ')];
  const incompatible = [];
  for (const file of differing) {
    const specifier = specifierOf(file);
    if (!named(unreleased.body, specifier)) {
      problems.push(`CHANGELOG.md [Unreleased] does not name \`${specifier}\`, whose public API changed (api/${file})`);
      continue;
    }
    const lost = baseline.has(file) ? lostLines(baseline.get(file), current.get(file) ?? '') : [];
    if (lost.length === 0) continue;
    incompatible.push(specifier);
    const listed = ['Changed', 'Removed'].some((category) => named(unreleased.categories.get(category) ?? '', specifier));
    if (!listed) {
      problems.push(`\`${specifier}\` lost or changed declarations (e.g. "${lost[0].trim()}"): list it under "### Changed" or "### Removed" in [Unreleased]`);
    }
  }
  if (incompatible.length > 0 && release && !isBreakingBump(release, version)) {
    problems.push(`${incompatible.join(', ')} changed incompatibly since ${release}: that needs a major version (package.json has ${version}; for 0.x a new minor)`);
  }
  return problems;
}

function git(root, args, raw = false) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) return undefined;
  return raw ? result.stdout : result.stdout.trim();
}

/** The baseline commit and, when it is a release tag, its version; undefined without git history. */
export function findBaseline(root) {
  const tag = git(root, ['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*']);
  if (tag) return { ref: tag, release: tag };
  const first = git(root, ['log', '--diff-filter=A', '--format=%H', '--', 'api/gatehouse-auth.api.md'])?.split('\n').filter(Boolean).pop();
  return first ? { ref: first, release: undefined } : undefined;
}

export function reportsAt(root, ref) {
  const out = new Map();
  const names = git(root, ['ls-tree', '--name-only', `${ref}:api`]);
  for (const name of names ? names.split('\n') : []) out.set(name, git(root, ['show', `${ref}:api/${name}`], true));
  return out;
}

export function currentReports(root) {
  return new Map(readdirSync(join(root, 'api')).map((name) => [name, readFileSync(join(root, 'api', name), 'utf8')]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL('..', import.meta.url).pathname;
  const base = findBaseline(root);
  if (!base) {
    console.log('changelog-policy: no git history with api/ reports here; nothing to compare against (SKIPPED)');
    process.exit(0);
  }
  const problems = checkPolicy({
    baseline: reportsAt(root, base.ref),
    current: currentReports(root),
    changelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
    version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
    release: base.release,
  });
  if (problems.length > 0) {
    console.error(`changelog-policy (against ${base.release ?? `${base.ref.slice(0, 12)}, the first committed reports`}):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`changelog-policy: holds against ${base.release ?? base.ref.slice(0, 12)}.`);
}
