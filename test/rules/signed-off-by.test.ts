/**
 * signed-off-by where it needs git or the CLI: the exit status the commit-msg
 * hook acts on, the author read from git (git var, a range's commits), and
 * inputs that carry no message. What the rule finds in a message, and the
 * author of a mail, are in test/fixtures/rule-cases/signed-off-by/ (a case's
 * `author` file stands for the author git would give the hook).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runJson, type JsonReport } from '../support/cli.js';
import { SOB, lintMessage, message } from '../support/messages.js';
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
  it('exits 1 on a message with no Signed-off-by (the hook refuses the commit), 0 with one', async () => {
    const missing = await lintMessage(message('fx: do a thing', 'Because it is needed.', 'Reviewed-by: Rev Iewer <rev@example.org>'));
    expect(sobs(missing)).toMatchObject([{ severity: 'error', file: 'COMMIT_EDITMSG' }]);
    expect(missing.code).toBe(1);
    const signed = await lintMessage(message('fx: do a thing', 'Because it is needed.', 'Signed-off-by: Someone Else <else@example.org>'));
    expect(sobs(signed)).toEqual([]);
    expect(signed.code).toBe(0);
  });

  it("preset qemu: fires when no Signed-off-by is the author's (author from git var)", async () => {
    const repo = repoAsAnn();
    const report = await lintMessage(message('fx: do a thing', 'Because.', 'Signed-off-by: Someone Else <else@example.org>'), { cwd: repo.dir });
    const [finding] = sobs(report);
    expect(finding?.message).toMatch(/no Signed-off-by: is the author's \(Ann Author <ann@example.org>\)/);
    expect(finding?.line).toBe(5);
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

  it('is not applied to input with no message: a plain diff, the staged change', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.diff'), 'diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-int a;\n+int a = 1;\n');
    const plain = await runJson(['a.diff'], { cwd: dir });
    expect(plain.findings.filter((f) => f.category === 'commit')).toEqual([]);
    const repo = TestRepo.create();
    repo.commit('base', { 'a.c': 'int a;\n' });
    repo.write({ 'a.c': 'int a = 1;\n' });
    repo.git('add', '-A');
    const staged = await runJson(['--staged', '-C', repo.dir]);
    expect(staged.findings.filter((f) => f.category === 'commit')).toEqual([]);
  });
});
