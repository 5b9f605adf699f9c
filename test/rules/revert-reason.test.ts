/**
 * revert-reason where it needs git: the reverted commit looked up in the
 * repository (found, subject matching; or not); the seed series in
 * test/seed/commit-rules.test.ts. What the rule finds in a message is in
 * test/fixtures/rule-cases/revert-reason/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson, type JsonReport } from '../support/cli.js';
import { SOB, lintMessage } from '../support/messages.js';

afterAll(cleanupTempDirs);

const reverts = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'revert-reason');

function repoWithChange(): { repo: TestRepo; change: string } {
  const repo = TestRepo.create();
  repo.commit('base', { 'a.c': 'int a;\n' });
  const change = repo.commit('fx: change a', { 'a.c': 'int a = 1;\n' });
  return { repo, change };
}

describe('revert-reason', () => {
  it('is silent when the revert says why', async () => {
    const { repo, change } = repoWithChange();
    repo.git('revert', '--no-commit', 'HEAD');
    repo.git(
      'commit',
      '-q',
      '-m',
      `Revert "fx: change a"\n\nThis reverts commit ${change}.\n\nSetting a to 1 broke the migration stream of older machine types.\n\n${SOB}`,
    );
    expect(reverts(await runJson(['HEAD~1..HEAD', '-C', repo.dir]))).toEqual([]);
  });

  it('with a repository: fires when the quoted subject is not the reverted commit\'s, or the commit is unknown', async () => {
    const { repo, change } = repoWithChange();
    const why = 'It broke the migration stream of older machine types.';
    const wrong = reverts(await lintMessage(`Revert "fx: something else"\n\nThis reverts commit ${change}.\n\n${why}\n\n${SOB}\n`, { cwd: repo.dir }));
    expect(wrong.map((f) => f.message)).toEqual([expect.stringMatching(/quotes "fx: something else", but commit [0-9a-f]+ is "fx: change a"/)]);
    const unknown = reverts(await lintMessage(`Revert "fx: change a"\n\nThis reverts commit 0123456789abcdef.\n\n${why}\n\n${SOB}\n`, { cwd: repo.dir }));
    expect(unknown.map((f) => f.message)).toEqual([expect.stringMatching(/names commit 0123456789abcdef, which this repository does not have/)]);
  });
});
