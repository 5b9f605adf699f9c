/**
 * The commit-message rules on the seed series (../shared/corpus/seed), read
 * from ../shared and never copied; skipped when it is absent. What each rule
 * finds in one commit is in test/fixtures/rule-cases/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { REPO_ROOT, runJson, type JsonReport } from '../support/cli.js';
import { configFile } from '../support/messages.js';

afterAll(cleanupTempDirs);

const SEED = join(REPO_ROOT, '..', 'shared', 'corpus', 'seed');
const picks = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'cherry-pick-source');
const justified = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'skip-justified');

describe('cherry-pick-source on the seed', () => {
  it.skipIf(!existsSync(SEED))('seed skip-map-asymmetric with extends downstream: patch 1 fires, patch 2 does not', async () => {
    const config = configFile({ extends: 'downstream' });
    const report = await runJson(['--config', config, '--tree', join(SEED, 'base'), join(SEED, 'skip-map-asymmetric.mbox')]);
    const found = picks(report);
    expect(found).toHaveLength(1);
    expect(found[0]?.commit).toMatchObject({ index: 1, total: 2 });
    expect(found[0]?.file).toBe('COMMIT_MSG');
  });
});

describe('revert-reason on the seed', () => {
  it.skipIf(!existsSync(SEED))('seed owner-skip-revert passes, with --tree and in a clone of the bundle', async () => {
    const tree = await runJson(['--tree', join(SEED, 'base'), join(SEED, 'owner-skip.mbox'), join(SEED, 'owner-skip-revert.mbox')]);
    expect(tree.findings.filter((f) => f.category === 'commit')).toEqual([]);
    const repo = TestRepo.create();
    repo.git('fetch', '-q', join(SEED, 'seed.bundle'), 'owner-skip:owner-skip', 'owner-skip-revert:owner-skip-revert');
    const range = await runJson(['owner-skip..owner-skip-revert', '-C', repo.dir]);
    expect(range.findings.filter((f) => f.category === 'commit')).toEqual([]);
  });
});

describe('skip-justified on the seed', () => {
  it.skipIf(!existsSync(SEED))('seed notifier-skip fires; skip-map-asymmetric and owner-skip explain their skips', async () => {
    const base = join(SEED, 'base');
    const notifier = await runJson(['--tree', base, join(SEED, 'notifier-skip.mbox')]);
    const [finding] = justified(notifier);
    expect(finding?.message).toMatch(/vfio_iommu_map_notify\(\) at hw\/vfio\/listener\.c:16[6-8]/);
    expect(justified(await runJson(['--tree', base, join(SEED, 'skip-map-asymmetric.mbox')]))).toEqual([]);
    expect(justified(await runJson(['--tree', base, join(SEED, 'owner-skip.mbox')]))).toEqual([]);
  });
});
