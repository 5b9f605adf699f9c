/**
 * `.pre-commit-hooks.yaml` through a real `pre-commit try-repo` (Debian's
 * pre-commit 3.0.4 here): pre-commit clones a committed snapshot of this
 * working tree, builds its node environment (npm install, whose `prepare`
 * compiles the TypeScript, npm pack, npm install -g) and runs the `pairlint`
 * hook on the staged change of a temp repository. try-repo installs into a
 * fresh store every time, so this file runs it once; the pass case and the
 * commit-msg hook are in pre-commit.test.ts, which shares one store.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { REPO_ROOT } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, snapshotWorkingTree } from './helpers.js';
import { PRE_COMMIT, PRE_COMMIT_SKIP, preCommitEnv } from './pre-commit-env.js';

afterAll(cleanupTempDirs);

describe.skipIf(!PRE_COMMIT)(`pre-commit try-repo${PRE_COMMIT_SKIP}`, () => {
  it('pre-commit accepts .pre-commit-hooks.yaml', () => {
    const res = spawnSync('pre-commit', ['validate-manifest', join(REPO_ROOT, '.pre-commit-hooks.yaml')], { encoding: 'utf8', env: preCommitEnv() });
    expect(`${res.stdout}${res.stderr}`).toBe('');
    expect(res.status).toBe(0);
  });

  it('the pairlint hook fails a staged one-sided skip', { timeout: 300_000 }, () => {
    const snapshot = snapshotWorkingTree();
    const repo = TestRepo.create();
    repo.commit('fx: base', { [LISTENER_PATH]: LISTENER });
    repo.write({ [LISTENER_PATH]: SKIP_IN_ADD });
    repo.git('add', '-A');

    const res = spawnSync('pre-commit', ['try-repo', snapshot.dir, 'pairlint', '--color', 'never'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: preCommitEnv(),
    });
    const out = `${res.stdout}${res.stderr}`;
    expect(out).not.toContain('An unexpected error has occurred');
    expect(out).toMatch(/pairlint \(paired operations changed on one side only\)\.+Failed/);
    expect(out).toContain('- hook id: pairlint');
    expect(out).toContain('hw/fx/listener.c:58: error: fx_container_region_add() now returns');
    expect(out).toContain('[skip-asymmetry]');
    expect(res.status).toBe(1);
  });
});
