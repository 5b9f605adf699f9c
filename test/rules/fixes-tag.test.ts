/**
 * fixes-tag where it needs git or the CLI: commit ids looked up in a real
 * repository, a range whose later commit names an earlier one, the exit status
 * of a style nit, and an option the config validation refuses. What the rule
 * finds in a message is in test/fixtures/rule-cases/fixes-tag/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runJson, type JsonReport } from '../support/cli.js';
import { SOB, lintMessage, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

const fixes = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'fixes-tag');
const withFixes = (value: string) => message('fx: fix the thing', 'The thing was broken.', `Fixes: ${value}`, SOB);

function repoWithBug(): { repo: TestRepo; bug: string } {
  const repo = TestRepo.create();
  repo.commit('base', { 'a.c': 'int a;\n' });
  const bug = repo.commit('fx: introduce the bug', { 'a.c': 'int a = 1;\n' });
  return { repo, bug };
}

describe('fixes-tag', () => {
  it('a short id is an info (preset qemu): the run exits 0', async () => {
    const report = await lintMessage(withFixes('2e963ff ("memory: Allow skipping")'));
    expect(fixes(report)).toMatchObject([{ severity: 'info', line: 5 }]);
    expect(report.code).toBe(0);
  });

  it('an invalid styleSeverity is a config error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ rules: { 'fixes-tag': { options: { styleSeverity: 'loud' } } } }));
    await expect(lintMessage(withFixes('2e963ff ("memory: Allow skipping")'), { args: ['--config', join(dir, 'bad.json')] })).rejects.toThrow(
      /rules\.fixes-tag\.options\.styleSeverity/,
    );
  });

  describe('with a repository', () => {
    it('is silent when the commit exists and the subject matches', async () => {
      const { repo, bug } = repoWithBug();
      expect(fixes(await lintMessage(withFixes(`${bug.slice(0, 12)} ("fx: introduce the bug")`), { cwd: repo.dir }))).toEqual([]);
    });

    it("fires on a subject that is not the commit's, and says the right line; a warning even when the id is short", async () => {
      const { repo, bug } = repoWithBug();
      const [finding] = fixes(await lintMessage(withFixes(`${bug.slice(0, 12)} ("fx: something else")`), { cwd: repo.dir }));
      expect(finding?.message).toMatch(/is "fx: introduce the bug"/);
      expect(finding?.message).toContain(`Write \`Fixes: ${bug.slice(0, 12)} ("fx: introduce the bug")\``);
      const short = await lintMessage(withFixes(`${bug.slice(0, 8)} ("fx: something else")`), { cwd: repo.dir });
      expect(fixes(short)[0]).toMatchObject({ severity: 'warning' });
      expect(fixes(short)[0]?.message).toMatch(/not the subject of/);
    });

    it('fires on a commit the repository does not have', async () => {
      const { repo } = repoWithBug();
      const [finding] = fixes(await lintMessage(withFixes('0123456789ab ("fx: introduce the bug")'), { cwd: repo.dir }));
      expect(finding?.message).toMatch(/this repository has no commit 0123456789ab/);
    });

    it('resolves a Fixes: in a range, also for a commit earlier in the same range', async () => {
      const { repo, bug } = repoWithBug();
      repo.commit(withFixes(`${bug.slice(0, 12)} ("fx: introduce the bug")`), { 'a.c': 'int a = 2;\n' });
      repo.commit(withFixes(`${bug.slice(0, 12)} ("fx: wrong")`), { 'a.c': 'int a = 3;\n' });
      const report = await runJson(['HEAD~3..HEAD', '-C', repo.dir]);
      expect(fixes(report).map((f) => f.commit?.subject)).toEqual(['fx: fix the thing']);
      expect(fixes(report)).toHaveLength(1);
      expect(fixes(report)[0]?.message).toMatch(/fx: introduce the bug/);
    });
  });
});
