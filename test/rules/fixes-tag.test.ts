import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runJson, type JsonReport } from '../support/cli.js';
import { SOB, lintMessage, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

const fixes = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'fixes-tag');
const withFixes = (value: string) => message('fx: fix the thing', 'The thing was broken.', `Fixes: ${value}`, SOB);

describe('fixes-tag', () => {
  it('is silent on `Fixes: <12+ hex> ("subject")` (no repository: no lookup)', async () => {
    expect(fixes(await lintMessage(withFixes('2e963ffd374c ("memory: Allow RAM device regions to skip IOMMU mapping")')))).toEqual([]);
  });

  it('accepts Coverity ids, as QEMU writes them', async () => {
    expect(fixes(await lintMessage(withFixes('CID 1458134')))).toEqual([]);
    expect(fixes(await lintMessage(withFixes('Coverity CID 1458134')))).toEqual([]);
  });

  it('fires on a short id, at the trailer line (info in preset qemu: a style nit)', async () => {
    const report = await lintMessage(withFixes('2e963ff ("memory: Allow skipping")'));
    const [finding, ...rest] = fixes(report);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'info', category: 'commit', line: 5 });
    expect(finding?.message).toMatch(/7 hex digits, use at least 12/);
    expect(report.code).toBe(0);
  });

  it('fires on a missing or unquoted subject, an URL, and a value with no id', async () => {
    const msg = message(
      'fx: fix the thing',
      'The thing was broken.',
      'Fixes: 2e963ffd374c',
      'Fixes: 2e963ffd374c (memory: Allow skipping)',
      'Fixes: https://gitlab.com/qemu-project/qemu/-/issues/1234',
      'Fixes: the listener',
      SOB,
    );
    const found = fixes(await lintMessage(msg));
    expect(found.map((f) => f.line)).toEqual([5, 6, 7, 8]);
    expect(found[0]?.message).toMatch(/the subject is missing/);
    expect(found[1]?.message).toMatch(/must be in `\("\.\.\."\)`/);
    expect(found[2]?.message).toMatch(/Resolves: <url>/);
    expect(found[3]?.message).toMatch(/does not start with a commit id/);
  });

  describe('issue 19: what reviewers act on stays a warning, the style nits are info in preset qemu', () => {
    it('accepts `Fixes: CVE-...`, as QEMU writes it for security fixes', async () => {
      expect(fixes(await lintMessage(withFixes('CVE-2024-3446')))).toEqual([]);
      expect(fixes(await lintMessage(withFixes('CVE-2023-6693 (virtio-net stack buffer overflow)')))).toEqual([]);
    });

    it('preset qemu: short ids and unquoted subjects are info; a URL and a tag with no subject stay warnings', async () => {
      const msg = message(
        'fx: fix the thing',
        'The thing was broken.',
        'Fixes: 2e963ff ("memory: Allow skipping")',
        'Fixes: 2e963ffd374c (memory: Allow skipping)',
        'Fixes: 2e963ffd374c',
        'Fixes: https://gitlab.com/qemu-project/qemu/-/issues/1234',
        SOB,
      );
      const found = fixes(await lintMessage(msg));
      expect(found.map((f) => [f.line, f.severity])).toEqual([
        [5, 'info'],
        [6, 'info'],
        [7, 'warning'],
        [8, 'warning'],
      ]);
    });

    it('preset downstream keeps the nits at warning; styleSeverity sets them, `off` drops them', async () => {
      const short = withFixes('2e963ff ("memory: Allow skipping")');
      const dir = tempDir();
      writeFileSync(join(dir, 'downstream.json'), JSON.stringify({ extends: 'downstream' }));
      writeFileSync(join(dir, 'off.json'), JSON.stringify({ rules: { 'fixes-tag': { options: { styleSeverity: 'off' } } } }));
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ rules: { 'fixes-tag': { options: { styleSeverity: 'loud' } } } }));
      expect(fixes(await lintMessage(short, { args: ['--config', join(dir, 'downstream.json')] }))[0]?.severity).toBe('warning');
      expect(fixes(await lintMessage(short, { args: ['--config', join(dir, 'off.json')] }))).toEqual([]);
      // off drops the nits only: a missing subject is still reported
      expect(fixes(await lintMessage(withFixes('2e963ffd374c'), { args: ['--config', join(dir, 'off.json')] }))).toHaveLength(1);
      await expect(lintMessage(short, { args: ['--config', join(dir, 'bad.json')] })).rejects.toThrow(/rules\.fixes-tag\.options\.styleSeverity/);
    });

    it('a subject that does not match, or an id the repository lacks, stays a warning even when the id is short', async () => {
      const repo = TestRepo.create();
      repo.commit('base', { 'a.c': 'int a;\n' });
      const bug = repo.commit('fx: introduce the bug', { 'a.c': 'int a = 1;\n' });
      const wrong = await lintMessage(withFixes(`${bug.slice(0, 8)} ("fx: something else")`), { cwd: repo.dir });
      expect(fixes(wrong)[0]).toMatchObject({ severity: 'warning' });
      expect(fixes(wrong)[0]?.message).toMatch(/not the subject of/);
    });
  });

  describe('with a repository', () => {
    function repoWithBug(): { repo: TestRepo; bug: string } {
      const repo = TestRepo.create();
      repo.commit('base', { 'a.c': 'int a;\n' });
      const bug = repo.commit('fx: introduce the bug', { 'a.c': 'int a = 1;\n' });
      return { repo, bug };
    }

    it('is silent when the commit exists and the subject matches', async () => {
      const { repo, bug } = repoWithBug();
      expect(fixes(await lintMessage(withFixes(`${bug.slice(0, 12)} ("fx: introduce the bug")`), { cwd: repo.dir }))).toEqual([]);
    });

    it('fires on a subject that is not the commit\'s, and says the right line', async () => {
      const { repo, bug } = repoWithBug();
      const [finding] = fixes(await lintMessage(withFixes(`${bug.slice(0, 12)} ("fx: something else")`), { cwd: repo.dir }));
      expect(finding?.message).toMatch(/is "fx: introduce the bug"/);
      expect(finding?.message).toContain(`Write \`Fixes: ${bug.slice(0, 12)} ("fx: introduce the bug")\``);
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
