import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { REPO_ROOT, runJson, type JsonReport } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';
import { SOB, configFile, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

const SEED = join(REPO_ROOT, '..', 'shared', 'corpus', 'seed');
const justified = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'skip-justified');

const NOTIFY = fixture('rules/notify.c');
const NOTIFY_PATH = 'hw/fx/notify.c';
const NOTIFY_SKIP = edit(
  NOTIFY,
  '        ret = vfio_container_dma_map(',
  '        if (memory_region_skip_iommu_map(mr)) {\n            goto out;\n        }\n        ret = vfio_container_dma_map(',
);

const MAP_ONLY = fixture('rules/map-notify.c');
const MAP_ONLY_PATH = 'hw/fx/map-notify.c';
const MAP_ONLY_SKIP = edit(
  MAP_ONLY,
  '    vaddr = memory_region_get_ram_ptr(mr) + entry->offset;\n',
  '    if (memory_region_skip_iommu_map(mr)) {\n        goto out;\n    }\n    vaddr = memory_region_get_ram_ptr(mr) + entry->offset;\n',
).replace('    rcu_read_unlock();\n}', 'out:\n    rcu_read_unlock();\n}');

const VAGUE = message('fx: check skip_iommu_map on one more mapping path', 'Check the flag in one more place as well.', SOB);

async function lintCommit(path: string, before: string, after: string, msg: string, args: string[] = []) {
  const repo = TestRepo.create();
  repo.commit('base', { [path]: before });
  repo.commit(msg, { [path]: after });
  return runJson(['HEAD~1..HEAD', '-C', repo.dir, ...args]);
}

describe('skip-justified', () => {
  it("fires when another rule's skip finding is not explained by the message", async () => {
    const report = await lintCommit(NOTIFY_PATH, NOTIFY, NOTIFY_SKIP, VAGUE);
    expect(report.findings.some((f) => f.ruleId === 'branch-asymmetry')).toBe(true);
    const [finding, ...rest] = justified(report);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'warning', category: 'commit', file: 'COMMIT_MSG', line: 1, function: null });
    expect(finding?.related).toEqual([
      expect.objectContaining({ file: NOTIFY_PATH, line: lineOf(NOTIFY_SKIP, 'memory_region_skip_iommu_map'), function: 'fx_iommu_map_notify' }),
    ]);
    expect(finding?.message).toMatch(/names neither fx_iommu_map_notify\(\) nor vfio_container_dma_map\(\)/);
  });

  it('is silent when the message names the function (in full or by its last words)', async () => {
    const named = message('fx: skip marked regions in fx_iommu_map_notify()', 'Marked regions must not be mapped.', SOB);
    expect(justified(await lintCommit(NOTIFY_PATH, NOTIFY, NOTIFY_SKIP, named))).toEqual([]);
    const words = message('fx: skip marked regions on map notify', 'Marked regions must not be mapped.', SOB);
    expect(justified(await lintCommit(NOTIFY_PATH, NOTIFY, NOTIFY_SKIP, words))).toEqual([]);
  });

  it('is silent when the message explains the notifier path', async () => {
    const path = message('fx: skip marked regions', 'A vIOMMU IOTLB entry can point into a marked region: the IOMMU notifier must skip it too.', SOB);
    expect(justified(await lintCommit(NOTIFY_PATH, NOTIFY, NOTIFY_SKIP, path))).toEqual([]);
  });

  it('finds a new skip before a map primitive in a *_notify function by itself (no pair finding)', async () => {
    const report = await lintCommit(MAP_ONLY_PATH, MAP_ONLY, MAP_ONLY_SKIP, VAGUE);
    expect(report.findings.filter((f) => f.category === 'pair' || f.category === 'domain')).toEqual([]);
    const [finding] = justified(report);
    expect(finding?.related[0]).toMatchObject({ file: MAP_ONLY_PATH, function: 'fx_ram_map_notify', line: lineOf(MAP_ONLY_SKIP, 'memory_region_skip_iommu_map') });
    expect(finding?.message).toMatch(/fx_ram_map_notify\(\) at hw\/fx\/map-notify\.c:\d+ skips vfio_container_dma_map\(\)/);
  });

  it('is silent when the message names the skipped primitive', async () => {
    const msg = message('fx: skip marked regions', 'Do not hand marked regions to vfio_container_dma_map().', SOB);
    expect(justified(await lintCommit(MAP_ONLY_PATH, MAP_ONLY, MAP_ONLY_SKIP, msg))).toEqual([]);
  });

  it('counts only skips of map/unmap primitives, not other findings of those rules', async () => {
    // branch-asymmetry fires on a start added to one branch: that is no skip on a map/unmap path
    const started = edit(NOTIFY, '        fx_dev_set_ready(dev);\n', '        fx_dev_queues_start(dev);\n        fx_dev_set_ready(dev);\n');
    const report = await lintCommit(NOTIFY_PATH, NOTIFY, started, VAGUE);
    expect(report.findings.some((f) => f.ruleId === 'branch-asymmetry')).toBe(true);
    expect(justified(report)).toEqual([]);
  });

  it('does not count findings of a rule that is off', async () => {
    const config = configFile({ rules: { 'branch-asymmetry': 'off' } });
    // fx_iommu_map_notify is a *_notify function, so the rule's own search still finds the skip
    expect(justified(await lintCommit(NOTIFY_PATH, NOTIFY, NOTIFY_SKIP, VAGUE, ['--config', config]))).toHaveLength(1);
    const narrow = configFile({ rules: { 'branch-asymmetry': 'off', 'skip-justified': { options: { pathFunctions: '^nothing$' } } } });
    expect(justified(await lintCommit(NOTIFY_PATH, NOTIFY, NOTIFY_SKIP, VAGUE, ['--config', narrow]))).toEqual([]);
  });

  it.skipIf(!existsSync(SEED))('seed notifier-skip fires; skip-map-asymmetric and owner-skip explain their skips', async () => {
    const base = join(SEED, 'base');
    const notifier = await runJson(['--tree', base, join(SEED, 'notifier-skip.mbox')]);
    const [finding] = justified(notifier);
    expect(finding?.message).toMatch(/vfio_iommu_map_notify\(\) at hw\/vfio\/listener\.c:16[6-8]/);
    expect(justified(await runJson(['--tree', base, join(SEED, 'skip-map-asymmetric.mbox')]))).toEqual([]);
    expect(justified(await runJson(['--tree', base, join(SEED, 'owner-skip.mbox')]))).toEqual([]);
  });
});
