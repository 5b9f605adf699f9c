/**
 * cherry-pick-source where it needs the CLI: the preset that turns it off (the
 * RuleTester runs a rule whatever its preset says) and the config validation
 * of its option; the seed series in test/seed/commit-rules.test.ts. What the
 * rule finds in a message is in test/fixtures/rule-cases/cherry-pick-source/.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { REPO_ROOT, runCli, type JsonReport } from '../support/cli.js';
import { SOB, configFile, lintMessage, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

const picks = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'cherry-pick-source');
const SHA = '2e963ffd374c0b1a9d7e5f3c2a8b6d4e1f0a9c7b';
const picked = (line: string) => message('fx: picked', 'Picked from the stable branch.', line, SOB);

describe('cherry-pick-source', () => {
  it('is off in preset qemu (the default)', async () => {
    expect(picks(await lintMessage(picked(`(cherry picked from commit ${SHA})`)))).toEqual([]);
  });

  it('rejects a branchPattern that is no regular expression, naming the key', async () => {
    const dir = configFile({ rules: { 'cherry-pick-source': { options: { branchPattern: '([' } } } });
    const run = await runCli(['--commit-msg', join(REPO_ROOT, 'package.json'), '--config', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"rules\.cherry-pick-source\.options\.branchPattern" is not a valid regular expression/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
