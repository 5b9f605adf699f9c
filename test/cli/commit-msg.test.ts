import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runBin, runCli, runJson } from '../support/cli.js';
import { SOB, lintMessage, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

describe('--commit-msg FILE', () => {
  it('checks the message as git will store it: comments and everything below the scissors line dropped', async () => {
    const text =
      'fx: do a thing\n\nBecause.\n\n# Signed-off-by: In A Comment <comment@example.org>\n' +
      '# ------------------------ >8 ------------------------\n' +
      `${SOB}\n`;
    const report = await lintMessage(text);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['signed-off-by']);
    expect(report.findings[0]).toMatchObject({ file: 'COMMIT_EDITMSG', line: 3, commit: { sha: null, subject: 'fx: do a thing' } });
    expect(report.code).toBe(1);
    expect(report.notes).toEqual([]); // no "no C files" note: a message has none
  });

  it('a good message passes with exit 0', async () => {
    const report = await lintMessage(message('fx: do a thing', 'Because.', SOB));
    expect(report.findings).toEqual([]);
    expect(report.code).toBe(0);
  });

  it('reports under the path as given and prints the message line in text output', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'msg.txt'), 'fx: do a thing\n\nBecause.\n');
    const run = await runCli(['--commit-msg', 'msg.txt'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^msg\.txt:3: error: no Signed-off-by: trailer/m);
    expect(run.stdout).toMatch(/> 3 \| Because\./);
  });

  it('takes the author from git var GIT_AUTHOR_IDENT inside a repository', async () => {
    const repo = TestRepo.create();
    repo.git('config', 'user.name', 'Ann Author');
    repo.git('config', 'user.email', 'ann@example.org');
    const other = message('fx: a', 'Because.', 'Signed-off-by: Bob <bob@example.org>');
    const inRepo = await lintMessage(other, { cwd: repo.dir });
    expect(inRepo.findings.map((f) => f.message)).toEqual([expect.stringMatching(/is the author's \(Ann Author <ann@example.org>\)/)]);
    // outside a repository the author is unknown and the match is skipped
    expect((await lintMessage(other)).findings).toEqual([]);
  });

  it('as a hook runs it: the built CLI, a relative path, exit 1 with the finding', () => {
    const repo = TestRepo.create();
    writeFileSync(join(repo.dir, '.git', 'COMMIT_EDITMSG'), 'fx: a\n\nBecause.\n');
    const run = runBin(['--commit-msg', '.git/COMMIT_EDITMSG'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\.git\/COMMIT_EDITMSG:3: error: .*\[signed-off-by\]/m);
  });

  it('an empty message is left to git (it aborts the commit)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'comments'), '# Please enter the commit message\n#\n');
    expect((await runJson(['--commit-msg', 'empty'], { cwd: dir })).findings).toEqual([]);
    expect((await runJson(['--commit-msg', 'comments'], { cwd: dir })).code).toBe(0);
  });

  it('usage errors: a missing file, or another input with it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'msg'), 'fx: a\n');
    writeFileSync(join(dir, 'x.patch'), 'x');
    const missing = await runCli(['--commit-msg', 'nope'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^pairlint: --commit-msg nope: no such file\n$/);
    const mixed = await runCli(['--commit-msg', 'msg', 'x.patch'], { cwd: dir });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--commit-msg checks one message file/);
  });

  it('is in --help', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/--commit-msg <file>/);
    expect(help.stdout).toMatch(/--baseline <file>/);
    expect(help.stdout).toMatch(/--write-baseline <file>/);
  });
});

describe('rules and explain know the commit and suppression rules', () => {
  const ids = ['signed-off-by', 'fixes-tag', 'cherry-pick-source', 'revert-reason', 'skip-justified', 'invalid-suppression', 'unused-suppression'];

  it('lists them with severity and category', async () => {
    const rules = await runCli(['rules']);
    expect(rules.stdout).toMatch(/^signed-off-by +error +commit /m);
    expect(rules.stdout).toMatch(/^cherry-pick-source +warning +commit /m);
    expect(rules.stdout).toMatch(/^unused-suppression +info +suppression /m);
    for (const id of ids) expect(rules.stdout).toMatch(new RegExp(`^${id} `, 'm'));
  });

  it('explains each, with its options', async () => {
    for (const id of ids) {
      const explain = await runCli(['explain', id]);
      expect(explain.code).toBe(0);
      for (const heading of ['## What it reports', '## Why it matters', '## How to fix', '## Bad', '## Good']) expect(explain.stdout).toContain(heading);
    }
    expect((await runCli(['explain', 'cherry-pick-source'])).stdout).toMatch(/## Options\n\n- `branchPattern` \(regex/);
  });
});
