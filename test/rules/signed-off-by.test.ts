import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runJson, type JsonReport } from '../support/cli.js';
import { SOB, configFile, lintMessage, message } from '../support/messages.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

afterAll(cleanupTempDirs);

const sobs = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'signed-off-by');

/** A repository whose configured identity (what `git var GIT_AUTHOR_IDENT` says) is Ann Author. */
function repoAsAnn(): TestRepo {
  const repo = TestRepo.create();
  repo.git('config', 'user.name', 'Ann Author');
  repo.git('config', 'user.email', 'ann@example.org');
  return repo;
}

describe('signed-off-by', () => {
  it('fires (error) when the message has no Signed-off-by', async () => {
    const msg = message('fx: do a thing', 'Because it is needed.', 'Reviewed-by: Rev Iewer <rev@example.org>');
    const report = await lintMessage(msg);
    const [finding, ...rest] = sobs(report);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', category: 'commit', file: 'COMMIT_EDITMSG', function: null });
    expect(finding?.message).toMatch(/no Signed-off-by: trailer/);
    expect(finding?.message).toMatch(/git commit -s/);
    expect(report.code).toBe(1);
  });

  it('is silent with a well-formed Signed-off-by (author unknown outside a repository)', async () => {
    const report = await lintMessage(message('fx: do a thing', 'Because it is needed.', 'Signed-off-by: Someone Else <else@example.org>'));
    expect(sobs(report)).toEqual([]);
    expect(report.code).toBe(0);
  });

  it('fires on a Signed-off-by that is not `Name <email>`, at its line', async () => {
    const msg = message('fx: do a thing', 'Because it is needed.', 'Signed-off-by: ann');
    const [finding] = sobs(await lintMessage(msg));
    expect(finding).toMatchObject({ line: 5 });
    expect(finding?.message).toMatch(/`ann` is not `Name <email>`/);
  });

  it('fires on a Signed-off-by outside the trailer block', async () => {
    const msg = `fx: do a thing\n\n${SOB}\n\nA paragraph after it, so the sign-off is no trailer.\n`;
    const [finding] = sobs(await lintMessage(msg));
    expect(finding).toMatchObject({ line: 3 });
    expect(finding?.message).toMatch(/not in the trailer block/);
  });

  it('names a misspelled Signed-off-by', async () => {
    const [finding] = sobs(await lintMessage('fx: move a file\n\nMove it.\n\nSigned-off -by: Ann Author <ann@example.org>\n'));
    expect(finding).toMatchObject({ line: 5 });
    expect(finding?.message).toMatch(/`Signed-off -by:` is not a Signed-off-by: trailer \(misspelled\)/);
  });

  it('leaves fixup! commits alone', async () => {
    expect(sobs(await lintMessage('fixup! fx: do a thing\n'))).toEqual([]);
  });

  it("preset qemu: fires when no Signed-off-by is the author's (author from git var)", async () => {
    const repo = repoAsAnn();
    const report = await lintMessage(message('fx: do a thing', 'Because.', 'Signed-off-by: Someone Else <else@example.org>'), { cwd: repo.dir });
    const [finding] = sobs(report);
    expect(finding?.message).toMatch(/no Signed-off-by: is the author's \(Ann Author <ann@example.org>\)/);
    expect(finding?.line).toBe(5);
  });

  it("preset qemu: the author's name or email is enough", async () => {
    const repo = repoAsAnn();
    expect(sobs(await lintMessage(message('fx: a', 'Because.', SOB), { cwd: repo.dir }))).toEqual([]);
    expect(sobs(await lintMessage(message('fx: a', 'Because.', 'Signed-off-by: A. Author <ann@example.org>'), { cwd: repo.dir }))).toEqual([]);
    expect(sobs(await lintMessage(message('fx: a', 'Because.', 'Signed-off-by: ann author <ann@elsewhere.org>'), { cwd: repo.dir }))).toEqual([]);
  });

  it('preset downstream: a pick signed off by someone else than the author passes', async () => {
    const repo = repoAsAnn();
    const config = configFile({ extends: 'downstream' });
    const report = await lintMessage(message('fx: a', 'Because.', 'Signed-off-by: Picker <picker@example.org>'), {
      cwd: repo.dir,
      args: ['--config', config],
    });
    expect(sobs(report)).toEqual([]);
  });

  it('the authorMatch option overrides the preset', async () => {
    const repo = repoAsAnn();
    const config = configFile({ extends: 'downstream', rules: { 'signed-off-by': { options: { authorMatch: true } } } });
    const report = await lintMessage(message('fx: a', 'Because.', 'Signed-off-by: Picker <picker@example.org>'), {
      cwd: repo.dir,
      args: ['--config', config],
    });
    expect(sobs(report)).toHaveLength(1);
  });

  it('checks the commits of a range against their git author', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'a.c': 'int a;\n' });
    repo.commit(message('fx: signed by Ann', 'Because.', SOB), { 'a.c': 'int a = 1;\n' });
    repo.commit(message('fx: signed by Bob', 'Because.', 'Signed-off-by: Bob <bob@example.org>'), { 'a.c': 'int a = 2;\n' });
    repo.commit('fx: not signed\n\nBecause.', { 'a.c': 'int a = 3;\n' });
    const report = await runJson(['HEAD~3..HEAD', '-C', repo.dir]);
    const found = sobs(report).map((f) => [f.commit?.subject, f.file]);
    expect(found).toEqual([
      ['fx: signed by Bob', 'COMMIT_MSG'],
      ['fx: not signed', 'COMMIT_MSG'],
    ]);
  });

  it('reads the author of a mail, list-rewritten From: included', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'a.c': 'int a;\n' });
    repo.commit(message('fx: a', 'Because.', SOB), { 'a.c': 'int a = 1;\n' });
    const patch = repo.git('format-patch', '-1', '--stdout');
    const dir = tempDir();
    const rewritten = patch.replace(/^From: .*$/m, 'From: Ann Author via <qemu-devel@nongnu.org>');
    writeFileSync(join(dir, 'ok.patch'), rewritten);
    writeFileSync(join(dir, 'other.patch'), patch.replace(/^From: .*$/m, 'From: Bob <bob@example.org>'));
    expect(sobs(await runJson(['ok.patch'], { cwd: dir }))).toEqual([]);
    expect(sobs(await runJson(['other.patch'], { cwd: dir }))).toHaveLength(1);
  });

  it('is not applied to a plain diff (it has no message)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.diff'), 'diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-int a;\n+int a = 1;\n');
    const report = await runJson(['a.diff'], { cwd: dir });
    expect(report.findings.filter((f) => f.category === 'commit')).toEqual([]);
  });

  it('is not applied to the staged change (it has no message)', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'a.c': 'int a;\n' });
    repo.write({ 'a.c': 'int a = 1;\n' });
    repo.git('add', '-A');
    const report = await runJson(['--staged', '-C', repo.dir]);
    expect(report.findings.filter((f) => f.category === 'commit')).toEqual([]);
  });

  describe('issue 19: sign-offs where merged commits have them, and advice for the hook', () => {
    it("accepts the author's sign-off above a blank line that separates it from the maintainer's trailers (as checkpatch)", async () => {
      const repo = repoAsAnn();
      const msg =
        'fx: do a thing\n\nBecause it is needed.\n\n' +
        `${SOB}\n\n` +
        'Reviewed-by: Rev Iewer <rev@example.org>\nMessage-ID: <20260101.1-1@example.org>\nSigned-off-by: Maint Ainer <maint@example.org>\n';
      const report = await lintMessage(msg, { cwd: repo.dir });
      expect(sobs(report)).toEqual([]);
      expect(report.code).toBe(0);
    });

    it('never asks to add a sign-off that the message already has', async () => {
      const repo = repoAsAnn();
      const msg = `fx: a\n\nBody.\n\n${SOB}\n\nSigned-off-by: Maint Ainer <maint@example.org>\n`;
      const report = await lintMessage(msg, { cwd: repo.dir });
      expect(report.findings.map((f) => f.message).join('\n')).not.toMatch(/Add `Signed-off-by: Ann Author/);
    });

    it('a sign-off only outside the trailer block is a placement warning, not an error', async () => {
      const repo = repoAsAnn();
      const msg = `fx: a\n\n${SOB}\n\nA paragraph after it, so the sign-off is no trailer.\n`;
      const report = await lintMessage(msg, { cwd: repo.dir });
      const [finding, ...rest] = sobs(report);
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: 'warning', line: 3 });
      expect(finding?.message).toMatch(/not in the trailer block/);
      expect(report.code).toBe(0);
    });

    it('in the commit-msg hook the advice is `git commit -s`, never `--amend` (which would change the previous commit)', async () => {
      const missing = await lintMessage(message('fx: do a thing', 'Because.'));
      const [finding] = sobs(missing);
      expect(finding?.message).toMatch(/`git commit -s`/);
      expect(finding?.message).not.toMatch(/--amend/);
      const repo = repoAsAnn();
      const other = await lintMessage(message('fx: a', 'Because.', 'Signed-off-by: Someone Else <else@example.org>'), { cwd: repo.dir });
      expect(sobs(other)[0]?.message).not.toMatch(/--amend/);
    });

    it('on a commit already made (a range), the advice stays `git commit --amend -s`', async () => {
      const repo = TestRepo.create();
      repo.commit('base', { 'a.c': 'int a;\n' });
      repo.commit('fx: not signed\n\nBecause.', { 'a.c': 'int a = 3;\n' });
      const report = await runJson(['HEAD~1..HEAD'], { cwd: repo.dir });
      expect(sobs(report)[0]?.message).toMatch(/git commit --amend -s/);
    });
  });
});
