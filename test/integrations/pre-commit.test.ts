/**
 * The hooks of `.pre-commit-hooks.yaml` as a user gets them: a
 * `.pre-commit-config.yaml` naming this repository (a committed snapshot of
 * the working tree) with `repo:` and `rev:`, `pre-commit install`, then real
 * `git commit`s. One PRE_COMMIT_HOME for the file, so pre-commit builds the
 * node environment once (the first commit pays for it).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runBin } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, SKIP_MIRRORED, snapshotWorkingTree } from './helpers.js';
import { PRE_COMMIT, PRE_COMMIT_SKIP, preCommitEnv } from './pre-commit-env.js';

afterAll(cleanupTempDirs);

const HAS_COMMIT_MSG = runBin(['--help']).stdout.includes('--commit-msg');
const SIGNED = 'Signed-off-by: Ann Author <ann@example.org>';
const message = (sob: boolean) =>
  `fx: skip the IOMMU map for flagged regions\n\nRAM-device regions flagged by the device are not mapped; mirror it on unmap.\n${sob ? `\n${SIGNED}\n` : ''}`;

describe.skipIf(!PRE_COMMIT)(`pre-commit with .pre-commit-config.yaml${PRE_COMMIT_SKIP}`, () => {
  let env: NodeJS.ProcessEnv = {};
  let repo: TestRepo;

  const run = (cmd: string, args: string[]) => {
    const res = spawnSync(cmd, args, { cwd: repo.dir, encoding: 'utf8', env });
    return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
  };

  beforeAll(() => {
    if (!PRE_COMMIT) return;
    const snapshot = snapshotWorkingTree();
    env = preCommitEnv({ PRE_COMMIT_HOME: tempDir('pairlint-pre-commit-home-') });
    repo = TestRepo.create();
    const config =
      'repos:\n' +
      `  - repo: ${snapshot.dir}\n` +
      `    rev: ${snapshot.rev}\n` +
      '    hooks:\n' +
      '      - id: pairlint\n' +
      '      - id: pairlint-commit-msg\n';
    repo.commit('fx: base', { [LISTENER_PATH]: LISTENER, '.pre-commit-config.yaml': config });
    const inst = run('pre-commit', ['install', '--hook-type', 'pre-commit']);
    expect(inst.out).toContain('pre-commit installed at .git/hooks/pre-commit');
    // (a snapshot of the working tree and a repository: seconds on a busy machine, more than the default 10)
  }, 120_000);

  it('git commit: a one-sided skip is blocked, a symmetric change and a non-C change pass', { timeout: 300_000 }, () => {
    const head = repo.head();
    repo.write({ [LISTENER_PATH]: SKIP_IN_ADD });
    repo.git('add', '-A');
    const blocked = run('git', ['commit', '-m', message(true)]);
    expect(blocked.out).not.toContain('An unexpected error has occurred');
    expect(blocked.out).toMatch(/pairlint \(paired operations changed on one side only\)\.+Failed/);
    expect(blocked.out).toContain('[skip-asymmetry]');
    expect(blocked.code).toBe(1);
    expect(repo.head()).toBe(head);

    repo.write({ [LISTENER_PATH]: SKIP_MIRRORED });
    repo.git('add', '-A');
    const allowed = run('git', ['commit', '-m', message(true)]);
    expect(allowed.out).toMatch(/pairlint \(paired operations changed on one side only\)\.+Passed/);
    expect(allowed.code).toBe(0);
    expect(repo.head()).not.toBe(head);

    // the hook's `files` pattern keeps it to C sources
    repo.write({ 'docs/notes.txt': 'notes\n' });
    repo.git('add', '-A');
    const docs = run('git', ['commit', '-m', message(true)]);
    expect(docs.out).toMatch(/pairlint \(paired operations changed on one side only\)\.+\(no files to check\)Skipped/);
    expect(docs.code).toBe(0);
  });

  it('a warning passes the commit, and pre-commit shows it (verbose: true in the manifest)', { timeout: 300_000 }, () => {
    repo.write({ [LISTENER_PATH]: LISTENER });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', message(true));
    const head = repo.head();
    repo.write({ '.pairlint.json': JSON.stringify({ rules: { 'skip-asymmetry': 'warning' } }), [LISTENER_PATH]: SKIP_IN_ADD });
    repo.git('add', '-A');
    const passed = run('git', ['commit', '-m', message(true)]);
    expect(passed.out).toMatch(/pairlint \(paired operations changed on one side only\)\.+Passed/);
    expect(passed.out).toMatch(/warning: .*\[skip-asymmetry\]/);
    expect(passed.code).toBe(0);
    expect(repo.head()).not.toBe(head);
  });

  it.skipIf(!HAS_COMMIT_MSG)(
    `commit-msg stage: a message without Signed-off-by is rejected${HAS_COMMIT_MSG ? '' : ' (skipped: this build of pairlint has no --commit-msg option)'}`,
    { timeout: 300_000 },
    () => {
      expect(run('pre-commit', ['install', '--hook-type', 'commit-msg']).code).toBe(0);
      const head = repo.head();
      repo.write({ 'docs/more.txt': 'more\n' });
      repo.git('add', '-A');
      const blocked = run('git', ['commit', '-m', message(false)]);
      expect(blocked.out).toMatch(/pairlint commit message\.+Failed/);
      expect(blocked.out).toContain('[signed-off-by]');
      expect(blocked.code).toBe(1);
      expect(repo.head()).toBe(head);

      const allowed = run('git', ['commit', '-m', message(true)]);
      expect(allowed.out).toMatch(/pairlint commit message\.+Passed/);
      expect(allowed.code).toBe(0);
      expect(repo.head()).not.toBe(head);
    },
  );
});
