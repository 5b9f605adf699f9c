/**
 * `pairlint install-hook` for real: install with the built CLI, then let git
 * run the hook: `git commit` (pre-commit, commit-msg) and `git send-email
 * --dry-run` (sendemail-validate; when git-email is not installed, the hook
 * is run exactly as git would: patch path as $1, cwd the work tree top,
 * GIT_DIR set).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { hookScript } from '../../src/cli/commands/install-hook.js';
import { runBin } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_IN_ADD, SKIP_MIRRORED } from './helpers.js';

afterAll(cleanupTempDirs);

const AUTHOR = { GIT_AUTHOR_NAME: 'Ann Author', GIT_AUTHOR_EMAIL: 'ann@example.org', GIT_COMMITTER_NAME: 'Ann Author', GIT_COMMITTER_EMAIL: 'ann@example.org' };
const SIGNED = 'Signed-off-by: Ann Author <ann@example.org>';

/** git with hooks allowed to fail: exit status and both streams. */
function gitRun(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...AUTHOR, NO_COLOR: '1', ...env } });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

function repoWithListener(): TestRepo {
  const repo = TestRepo.create();
  repo.commit('fx: base', { [LISTENER_PATH]: LISTENER });
  return repo;
}

function install(repo: TestRepo, kind: string, ...extra: string[]) {
  return runBin(['install-hook', kind, ...extra], { cwd: repo.dir });
}

const message = (sob: boolean) =>
  `fx: skip the IOMMU map for flagged regions\n\nRAM-device regions flagged by the device are not mapped; mirror it on unmap.\n${sob ? `\n${SIGNED}\n` : ''}`;

/** --commit-msg comes with the commit-message rules; this build has it when --help lists it. */
const HAS_COMMIT_MSG = runBin(['--help']).stdout.includes('--commit-msg');
const GIT_SEND_EMAIL = existsSync(join(git(process.cwd(), ['--exec-path']).trim(), 'git-send-email'));

describe('pairlint install-hook', () => {
  it('pre-commit: git commit is blocked on a one-sided skip and allowed on a symmetric change', { timeout: 60_000 }, () => {
    const repo = repoWithListener();
    const head = repo.head();
    const inst = install(repo, 'pre-commit');
    expect(inst.code).toBe(0);
    expect(inst.stdout).toBe('installed .git/hooks/pre-commit: lints the staged change before each commit (pairlint --staged)\n');
    const hook = join(repo.dir, '.git/hooks/pre-commit');
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    const script = readFileSync(hook, 'utf8');
    expect(script).toMatch(/^#!\/bin\/sh\n# pairlint-hook: /);
    expect(script).toContain(`node='${process.execPath}'`);
    expect(script).toMatch(/\nexec "\$node" "\$pairlint" --staged\n$/);
    expect(spawnSync('sh', ['-n', hook]).status).toBe(0);

    repo.write({ [LISTENER_PATH]: SKIP_IN_ADD });
    repo.git('add', '-A');
    const blocked = gitRun(repo.dir, ['commit', '-m', message(true)]);
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('hw/fx/listener.c:58: error: fx_container_region_add() now returns');
    expect(blocked.out).toContain('[skip-asymmetry]');
    expect(repo.head()).toBe(head);

    // `git commit -a` runs the hook against a temporary index: the unstaged edit is what gets checked
    repo.git('reset', '-q');
    const blockedAll = gitRun(repo.dir, ['commit', '-a', '-m', message(true)]);
    expect(blockedAll.code).toBe(1);
    expect(blockedAll.out).toContain('[skip-asymmetry]');
    expect(repo.head()).toBe(head);

    repo.write({ [LISTENER_PATH]: SKIP_MIRRORED });
    repo.git('add', '-A');
    const allowed = gitRun(repo.dir, ['commit', '-m', message(true)]);
    expect(allowed.out).not.toContain('error:');
    expect(allowed.code).toBe(0);
    expect(repo.head()).not.toBe(head);
  });

  it('refuses to overwrite a hook it did not write unless --force; rewrites its own', () => {
    const repo = repoWithListener();
    const hook = join(repo.dir, '.git/hooks/pre-commit');
    const foreign = '#!/bin/sh\n./scripts/checkpatch.pl --staged\n';
    writeFileSync(hook, foreign, { mode: 0o755 });
    const refused = install(repo, 'pre-commit');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'pairlint: .git/hooks/pre-commit exists and was not written by pairlint; add --force to replace it, or call pairlint from it yourself\n',
    );
    expect(readFileSync(hook, 'utf8')).toBe(foreign);

    const forced = install(repo, 'pre-commit', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^replaced \(--force\) \.git\/hooks\/pre-commit/);
    expect(readFileSync(hook, 'utf8')).toContain('# pairlint-hook: ');

    const again = install(repo, 'pre-commit');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^updated \.git\/hooks\/pre-commit/);

    const unknown = install(repo, 'post-commit');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("pairlint: unknown hook 'post-commit' (one of: pre-commit, commit-msg, sendemail-validate)\n");
  });

  it('writes into core.hooksPath when the repository sets one, and fails closed when pairlint is gone', () => {
    const repo = repoWithListener();
    repo.git('config', 'core.hooksPath', 'githooks');
    expect(install(repo, 'pre-commit').code).toBe(0);
    const hook = join(repo.dir, 'githooks/pre-commit');
    expect(existsSync(hook)).toBe(true);

    writeFileSync(hook, readFileSync(hook, 'utf8').replace(/^pairlint='.*'$/m, "pairlint='/nonexistent/pairlint.js'"));
    repo.write({ 'notes.txt': 'x\n' });
    repo.git('add', '-A');
    const gone = gitRun(repo.dir, ['commit', '-m', message(true)]);
    expect(gone.code).toBe(1);
    expect(gone.out).toContain('pairlint pre-commit hook: ');
    expect(gone.out).toContain('is gone; run `pairlint install-hook pre-commit --force` again');
  });

  it('quotes odd paths for sh: spaces, quotes, $ and backquotes reach node verbatim', () => {
    const dir = join(tempDir('pairlint-quote-'), `it's a "dir" with $HOME and \`x\``);
    mkdirSync(dir, { recursive: true });
    const node = join(dir, 'node');
    const bin = join(dir, 'pairlint.js');
    writeFileSync(node, '#!/bin/sh\nfor a in "$0" "$@"; do printf "<%s>\\n" "$a"; done\n', { mode: 0o755 });
    writeFileSync(bin, '');
    const hook = join(dir, 'commit-msg');
    writeFileSync(hook, hookScript('commit-msg', node, bin), { mode: 0o755 });
    const res = spawnSync(hook, ['.git/COMMIT EDITMSG'], { encoding: 'utf8' });
    expect(res.stdout).toBe(`<${node}>\n<${bin}>\n<--commit-msg>\n<.git/COMMIT EDITMSG>\n`);
    expect(res.status).toBe(0);
  });

  it.skipIf(!HAS_COMMIT_MSG)(
    `commit-msg: git commit is blocked without Signed-off-by${HAS_COMMIT_MSG ? '' : ' (skipped: this build of pairlint has no --commit-msg option)'}`,
    { timeout: 60_000 },
    () => {
      const repo = repoWithListener();
      const head = repo.head();
      const inst = install(repo, 'commit-msg');
      expect(inst.code).toBe(0);
      expect(readFileSync(join(repo.dir, '.git/hooks/commit-msg'), 'utf8')).toMatch(/\nexec "\$node" "\$pairlint" --commit-msg "\$1"\n$/);

      repo.write({ [LISTENER_PATH]: SKIP_MIRRORED });
      repo.git('add', '-A');
      const blocked = gitRun(repo.dir, ['commit', '-m', message(false)]);
      expect(blocked.code).toBe(1);
      expect(blocked.out).toContain('[signed-off-by]');
      expect(repo.head()).toBe(head);

      const allowed = gitRun(repo.dir, ['commit', '-m', message(true)]);
      expect(allowed.out).not.toContain('[signed-off-by]');
      expect(allowed.code).toBe(0);
      expect(repo.head()).not.toBe(head);
    },
  );

  it(`sendemail-validate: ${GIT_SEND_EMAIL ? 'git send-email --dry-run' : 'the hook run as git send-email runs it (git-email is not installed)'} refuses a one-sided patch`, { timeout: 60_000 }, () => {
    const repo = repoWithListener();
    expect(install(repo, 'sendemail-validate').code).toBe(0);
    const hook = join(repo.dir, '.git/hooks/sendemail-validate');
    expect(readFileSync(hook, 'utf8')).toMatch(/\nexec "\$node" "\$pairlint" "\$1"\n$/);

    const send = (rev: string) => {
      if (GIT_SEND_EMAIL) {
        return gitRun(repo.dir, [
          'send-email', '--dry-run', '--confirm=never', '--quiet', '--no-annotate', '--to=qemu-devel@example.org',
          '--from=Ann Author <ann@example.org>', '--smtp-server=/bin/true', '--suppress-cc=all', '-1', rev,
        ]);
      }
      const out = tempDir('pairlint-patches-');
      const patch = git(repo.dir, ['format-patch', '-o', out, '-1', rev]).trim();
      const res = spawnSync(hook, [patch], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, GIT_DIR: join(repo.dir, '.git'), NO_COLOR: '1' } });
      return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
    };

    const bad = repo.commit(message(true), { [LISTENER_PATH]: SKIP_IN_ADD });
    const refused = send(bad);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('hw/fx/listener.c:58: error: ');
    expect(refused.out).toContain('[skip-asymmetry]');
    if (GIT_SEND_EMAIL) expect(refused.out).toMatch(/rejected by sendemail-validate hook/);

    const good = repo.commit(message(true), { [LISTENER_PATH]: SKIP_MIRRORED });
    const sent = send(good);
    expect(sent.out).not.toContain('error:');
    expect(sent.code).toBe(0);
    if (GIT_SEND_EMAIL) expect(sent.out).toMatch(/Dry-Sent|Subject: \[PATCH\]/);
  });
});
