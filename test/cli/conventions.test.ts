/**
 * Issue 19: conventions people bring from ESLint, ruff, checkpatch and
 * shellcheck (--quiet, --select/--ignore, --no-config, --exit-zero,
 * FORCE_COLOR, TERM=dumb, `rules --format json`), text output with a short
 * first line, silence on success in hooks, and hints for a newcomer's
 * mistakes (a single revision, a directory, a misspelled rule id).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runBin, runCli, runJson } from '../support/cli.js';
import { main, useColor } from '../../src/cli/main.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, SKIP_MIRRORED } from '../integrations/helpers.js';

afterAll(cleanupTempDirs);

const EXAMPLE = ['--tree', join(REPO_ROOT, 'examples', 'tree'), join(REPO_ROOT, 'examples', 'skip-unmap.patch')];
const SIGNED = 'Signed-off-by: Ann Author <ann@example.org>';

async function runWithEnv(args: string[], env: NodeJS.ProcessEnv, isTTY = true, cwd = REPO_ROOT) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => Buffer.from(''), cwd, env, isTTY });
  return { code, stdout, stderr };
}

/** A repository with the listener, then a commit that skips the map in region_add only (a skip-asymmetry error). */
function skipRepo(): TestRepo {
  const repo = TestRepo.create();
  repo.commit(`fx: base\n\n${SIGNED}`, { [LISTENER_PATH]: LISTENER });
  repo.commit(`fx: skip the map for flagged regions\n\nMark them.\n\n${SIGNED}`, { [LISTENER_PATH]: SKIP_IN_ADD });
  return repo;
}

describe('options people know from other linters (item 10)', () => {
  it('--quiet lists errors only', async () => {
    const msg = tempDir();
    writeFileSync(join(msg, 'M'), 'fx: a\n\nBody.\n\nFixes: 2e963ffd374c\n');
    const all = await runJson(['--commit-msg', 'M'], { cwd: msg });
    expect(all.findings.map((f) => f.severity).sort()).toEqual(['error', 'warning']);
    const quiet = await runJson(['--commit-msg', 'M', '--quiet'], { cwd: msg });
    expect(quiet.findings.map((f) => f.ruleId)).toEqual(['signed-off-by']);
    expect(quiet.code).toBe(1);
  });

  it('--select runs only the named rules, --ignore turns rules off, and both check the ids', async () => {
    const repo = skipRepo();
    const only = await runJson(['HEAD~1..HEAD', '--select', 'signed-off-by,fixes-tag'], { cwd: repo.dir });
    expect(only.findings.filter((f) => f.category === 'pair')).toEqual([]);
    const ignored = await runJson(['HEAD~1..HEAD', '--ignore', 'skip-asymmetry'], { cwd: repo.dir });
    expect(ignored.findings.map((f) => f.ruleId)).not.toContain('skip-asymmetry');
    const both = await runJson(['HEAD~1..HEAD'], { cwd: repo.dir });
    expect(both.findings.map((f) => f.ruleId)).toContain('skip-asymmetry');
    // a rule off in the preset runs when selected
    const picked = await runJson(['HEAD~1..HEAD', '--select', 'cherry-pick-source'], { cwd: repo.dir });
    expect(picked.code).toBe(0);
    const typo = await runCli(['HEAD~1..HEAD', '--ignore', 'skip-asymetry'], { cwd: repo.dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("pairlint: --ignore: unknown rule 'skip-asymetry' (did you mean skip-asymmetry?) (see `pairlint rules`)\n");
  });

  it('--no-config ignores .pairlint.json; --exit-zero exits 0 with findings', async () => {
    const repo = skipRepo();
    repo.write({ '.pairlint.json': JSON.stringify({ rules: { 'skip-asymmetry': 'off' } }) });
    const configured = await runJson(['HEAD~1..HEAD'], { cwd: repo.dir });
    expect(configured.findings.map((f) => f.ruleId)).not.toContain('skip-asymmetry');
    const bare = await runJson(['HEAD~1..HEAD', '--no-config'], { cwd: repo.dir });
    expect(bare.findings.map((f) => f.ruleId)).toContain('skip-asymmetry');
    expect(bare.code).toBe(1);
    const zero = await runJson(['HEAD~1..HEAD', '--no-config', '--exit-zero'], { cwd: repo.dir });
    expect(zero.findings.map((f) => f.ruleId)).toContain('skip-asymmetry');
    expect(zero.code).toBe(0);
  });

  it('colour: --color/--no-color, then FORCE_COLOR, then NO_COLOR, then TERM=dumb, then the terminal', async () => {
    expect(useColor(undefined, {}, true, false)).toBe(true);
    expect(useColor(undefined, {}, false, false)).toBe(false);
    expect(useColor(undefined, { TERM: 'dumb' }, true, false)).toBe(false);
    expect(useColor(undefined, { NO_COLOR: '1' }, true, false)).toBe(false);
    expect(useColor(undefined, { NO_COLOR: '' }, true, false)).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: '1' }, false, false)).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: '1', NO_COLOR: '1', TERM: 'dumb' }, false, false)).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: '0' }, true, false)).toBe(false);
    expect(useColor(false, { FORCE_COLOR: '1' }, true, false)).toBe(false);
    expect(useColor(true, { NO_COLOR: '1', TERM: 'dumb' }, false, false)).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: '1' }, true, true)).toBe(false);
    expect(useColor(true, {}, false, true)).toBe(true);
    expect((await runWithEnv(EXAMPLE, { TERM: 'dumb' })).stdout).not.toContain('\u001b[');
    expect((await runWithEnv(EXAMPLE, { FORCE_COLOR: '1' }, false)).stdout).toContain('\u001b[31merror');
  });

  it('`pairlint rules --format json` lists every rule as data', () => {
    const run = runBin(['rules', '--format', 'json']);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; severity: string; category: string; summary: string; options: Record<string, unknown> }[];
    expect(rules.find((r) => r.id === 'skip-asymmetry')).toMatchObject({ severity: 'error', category: 'pair' });
    expect(rules.find((r) => r.id === 'fixes-tag')?.options).toHaveProperty('styleSeverity');
  });
});

describe('text output: a short first line, the why and the fix below it (item 11)', () => {
  it('the first line says what and where in at most ~150 characters; the rest is wrapped and indented; code frames stay', () => {
    const run = runBin(EXAMPLE);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('hw/demo/listener.c:48: error: '));
    expect(at).toBeGreaterThanOrEqual(0);
    const first = lines[at] as string;
    expect(first).toMatch(/^hw\/demo\/listener\.c:48: error: demo_listener_region_add\(\) now returns when .* \[skip-asymmetry\]$/);
    expect(first.length).toBeLessThanOrEqual(160);
    const next = lines.slice(at + 1, at + 4);
    for (const l of next) {
      expect(l).toMatch(/^ {4}\S/);
      expect(l.length).toBeLessThanOrEqual(100);
    }
    expect(run.stdout).toMatch(/Fix: mirror the test/);
    expect(run.stdout).toMatch(/^ {2}> 48 \| {5}if \(memory_region_skip_iommu_map\(section->mr\)\) \{$/m);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  });
});

describe('pre-commit shows findings (item 4)', () => {
  it('both hooks of .pre-commit-hooks.yaml are verbose: pre-commit hides a passing hook\'s warnings otherwise', () => {
    const manifest = readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    const hooks = manifest.split(/^- id: /m).slice(1);
    expect(hooks.map((h) => h.split('\n')[0])).toEqual(['pairlint', 'pairlint-commit-msg']);
    for (const h of hooks) expect(h).toMatch(/^ {2}verbose: true$/m);
  });
});

describe('silence on success in hooks, and a pathspec that matches nothing (item 12)', () => {
  it('--commit-msg and --staged print nothing when there is nothing to say', async () => {
    const repo = TestRepo.create();
    repo.git('config', 'user.name', 'Ann Author');
    repo.git('config', 'user.email', 'ann@example.org');
    repo.commit(`fx: base\n\n${SIGNED}`, { [LISTENER_PATH]: LISTENER });
    repo.write({ MSG: `fx: a change\n\nBecause.\n\n${SIGNED}\n` });
    const msg = await runCli(['--commit-msg', 'MSG'], { cwd: repo.dir });
    expect(msg).toEqual({ code: 0, stdout: '', stderr: '' });
    repo.write({ [LISTENER_PATH]: SKIP_MIRRORED });
    repo.git('add', LISTENER_PATH);
    const staged = await runCli(['--staged'], { cwd: repo.dir });
    expect(staged).toEqual({ code: 0, stdout: '', stderr: '' });
    // with something to say, they say it
    repo.write({ [LISTENER_PATH]: SKIP_IN_ADD });
    repo.git('add', LISTENER_PATH);
    const blocked = await runCli(['--staged'], { cwd: repo.dir });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('[skip-asymmetry]');
  });

  it('a pathspec that matches no changed file says so', async () => {
    const repo = skipRepo();
    const run = await runCli(['HEAD~1..HEAD', '--', 'no/such/dir'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("note: the pathspec 'no/such/dir' matches no file changed in HEAD~1..HEAD: nothing was checked");
  });
});

describe('hints for a newcomer (item 13)', () => {
  it('`pairlint REV` lints the commit REV names (REV^..REV), and says so', async () => {
    const repo = skipRepo();
    const run = await runJson(['HEAD'], { cwd: repo.dir });
    expect(run.findings.map((f) => f.ruleId)).toContain('skip-asymmetry');
    expect(run.summary.commits).toBe(1);
    expect(run.notes).toContain('HEAD is a single revision: linted the commit it names (HEAD^..HEAD)');
    const root = await runCli([repo.git('rev-list', '--max-parents=0', 'HEAD').trim()], { cwd: repo.dir });
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(/is a root commit .*did you mean `pairlint [0-9a-f]+\.\.`/);
  });

  it('`pairlint DIR` suggests `pairlint audit DIR`', async () => {
    const dir = tempDir();
    const run = await runCli(['hw'], { cwd: join(REPO_ROOT, 'examples', 'tree') });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('pairlint: hw: is a directory, not a patch (did you mean `pairlint audit hw`, which checks the pairs in the files as they are?)\n');
    expect(dir).toBeTruthy();
  });

  it('a misspelled rule id in the config or on the command line gets "did you mean"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.pairlint.json'), JSON.stringify({ rules: { 'skip-asymetry': 'warning' } }));
    writeFileSync(join(dir, 'p.patch'), readFileSync(join(REPO_ROOT, 'examples', 'skip-unmap.patch')));
    const run = await runCli(['p.patch'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"rules\.skip-asymetry" is not a known rule \(did you mean skip-asymmetry\?\)/);
    const explain = await runCli(['explain', 'skip-asymetry']);
    expect(explain.stderr).toMatch(/did you mean skip-asymmetry\?/);
  });
});
