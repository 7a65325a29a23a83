// The public API gate: the committed api/ reports match dist/, a changed public type fails the check until
// `npm run api:update`, and a report change needs its CHANGELOG.md entry (scripts/changelog-policy.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPolicy, isBreakingBump, lostLines, unreleasedSection } from '../../scripts/changelog-policy.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const SCRIPT = join(ROOT, 'scripts/api-report.mjs');

function run(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('the committed API reports match the built types and package.json (else: npm run api:update)', () => {
  const result = run(SCRIPT);
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /reports match the build/);
});

test('a public type changed without updating the report fails the check, naming the entry point; --update records it', () => {
  // The copy lives in the repository so its .js files still resolve jose and the drivers from node_modules
  // (not under node_modules: API Extractor would read it as a third-party package).
  const scratch = mkdtempSync(join(ROOT, '.api-test-'));
  try {
    cpSync(join(ROOT, 'dist'), join(scratch, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'api'), join(scratch, 'api'), { recursive: true });
    appendFileSync(join(scratch, 'dist/jwt.d.ts'), '\nexport interface AddedByTheTest {\n    field: string;\n}\n');
    const args = ['--dist', join(scratch, 'dist'), '--reports', join(scratch, 'api')];
    const check = run(SCRIPT, args);
    assert.equal(check.status, 1, check.output);
    assert.match(check.output, /differs from the committed report for gatehouse-auth\/jwt\.\n/);
    assert.match(check.output, /npm run api:update/);

    const update = run(SCRIPT, [...args, '--update']);
    assert.equal(update.status, 0, update.output);
    assert.match(readFileSync(join(scratch, 'api/gatehouse-auth.jwt.api.md'), 'utf8'), /export interface AddedByTheTest \{\n {4}field: string;\n\}/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('the changelog rule holds for the repository against its baseline (last v* tag, or the first committed reports)', () => {
  const result = run(join(ROOT, 'scripts/changelog-policy.mjs'));
  assert.equal(result.status, 0, result.output);
  if (/SKIPPED/.test(result.output)) console.log(result.output);
});

describe('the changelog rule', () => {
  const report = (...lines: string[]) => ['## API report', '```ts', ...lines, '```', ''].join('\n');
  const base = new Map([['gatehouse-auth.jwt.api.md', report('export function decode(input: P): Promise<JWT | null>;')]]);
  const changelog = (body: string) => `# Changelog\n\n## [Unreleased]\n\n${body}\n## [0.1.0] - 2026-12-01\n\n### Added\n\n- \`gatehouse-auth/react\`\n`;

  test('no change to the reports needs no entry', () => {
    assert.deepEqual(checkPolicy({ baseline: base, current: new Map(base), changelog: '# Changelog\n', version: '0.1.0' }), []);
  });

  test('an addition must be named in [Unreleased]; an entry naming only a released section does not count', () => {
    const current = new Map([['gatehouse-auth.jwt.api.md', report('export function decode(input: P): Promise<JWT | null>;', 'export function added(): void;')]]);
    const missing = checkPolicy({ baseline: base, current, changelog: changelog('### Added\n\n- something else\n'), version: '0.1.0' });
    assert.equal(missing.length, 1);
    assert.match(missing[0] ?? '', /does not name `gatehouse-auth\/jwt`/);
    assert.deepEqual(checkPolicy({ baseline: base, current, changelog: changelog('### Added\n\n- `gatehouse-auth/jwt`: `added()`.\n'), version: '0.1.0' }), []);
  });

  test('a new entry point and the package surface are named like the others', () => {
    const current = new Map([...base, ['gatehouse-auth.cli.api.md', report('export {};')], ['package-surface.json', '{}']]);
    const problems = checkPolicy({ baseline: base, current, changelog: changelog('### Added\n\n- `gatehouse-auth/cli`\n'), version: '0.1.0' });
    assert.deepEqual(
      problems.map((p: string) => /`([^`]+)`/.exec(p)?.[1]),
      ['package.json'],
    );
  });

  test('a lost or changed declaration must be under Changed or Removed; after a release it needs a major version', () => {
    const current = new Map([['gatehouse-auth.jwt.api.md', report('export function decode(input: P): Promise<JWT>;')]]);
    const added = checkPolicy({ baseline: base, current, changelog: changelog('### Added\n\n- `gatehouse-auth/jwt`\n'), version: '0.1.0' });
    assert.match(added.join('\n'), /lost or changed declarations \(e\.g\. "export function decode\(input: P\): Promise<JWT \| null>;"\)/);
    const listed = changelog('### Changed\n\n- `gatehouse-auth/jwt`: `decode` never resolves null.\n');
    assert.deepEqual(checkPolicy({ baseline: base, current, changelog: listed, version: '0.1.0' }), [], 'before any release no bump is required');
    assert.match(checkPolicy({ baseline: base, current, changelog: listed, version: '1.4.0', release: 'v1.3.2' }).join('\n'), /needs a major version \(package\.json has 1\.4\.0/);
    assert.deepEqual(checkPolicy({ baseline: base, current, changelog: listed, version: '2.0.0', release: 'v1.3.2' }), []);
    assert.deepEqual(checkPolicy({ baseline: base, current, changelog: listed, version: '0.3.0', release: 'v0.2.5' }), []);
    assert.equal(checkPolicy({ baseline: base, current, changelog: listed, version: '0.2.6', release: 'v0.2.5' }).length, 1);
  });

  test('a removed entry point is a removal', () => {
    const problems = checkPolicy({ baseline: base, current: new Map(), changelog: changelog('### Removed\n\n- `gatehouse-auth/jwt`\n'), version: '2.0.0', release: 'v1.0.0' });
    assert.deepEqual(problems, []);
  });

  test('helpers: lost lines as a multiset, the [Unreleased] section, SemVer bumps', () => {
    assert.deepEqual(lostLines('a\nb\nb\n', 'b\nc\n'), ['a', 'b']);
    const section = unreleasedSection(changelog('### Added\n\n- x\n\n### Removed\n\n- y\n'));
    assert.ok(section);
    assert.match(section.categories.get('Removed') ?? '', /- y/);
    assert.doesNotMatch(section.body, /react/);
    assert.equal(unreleasedSection('# Changelog\n## [1.0.0]\n'), undefined);
    assert.deepEqual([isBreakingBump('1.2.3', '2.0.0'), isBreakingBump('1.2.3', '1.9.0'), isBreakingBump('0.2.3', '0.3.0'), isBreakingBump('0.2.3', '0.2.9')], [true, false, true, false]);
  });
});

test('CHANGELOG.md follows Keep a Changelog: an [Unreleased] section and dated version headings', () => {
  const text = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(text, /^# Changelog\n/);
  assert.match(text, /keepachangelog\.com/);
  assert.match(text, /semver\.org/);
  for (const heading of text.match(/^## .*$/gm) ?? []) assert.match(heading, /^## \[(Unreleased|\d+\.\d+\.\d+)\]( - \d{4}-\d{2}-\d{2})?$/);
  assert.ok(unreleasedSection(text));
});
