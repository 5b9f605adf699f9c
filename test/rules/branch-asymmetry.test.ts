import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/notify.c';
const BASE = fixture('rules/notify.c');
const MAP_SKIP = edit(
  BASE,
  '        ret = vfio_container_dma_map(',
  '        if (memory_region_skip_iommu_map(mr)) {\n            goto out;\n        }\n        ret = vfio_container_dma_map(',
);

async function lintChange(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'branch-asymmetry');
}

describe('branch-asymmetry', () => {
  it('fires on a skip added to the MAP branch only', async () => {
    const [finding, ...rest] = await lintChange(MAP_SKIP);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      function: 'fx_iommu_map_notify',
      line: lineOf(MAP_SKIP, 'memory_region_skip_iommu_map'),
      related: [{ file: PATH, line: lineOf(MAP_SKIP, 'ret = vfio_container_dma_unmap'), function: 'fx_iommu_map_notify' }],
    });
    expect(finding?.message).toContain(`vfio_container_dma_unmap() at ${PATH}:${lineOf(MAP_SKIP, 'ret = vfio_container_dma_unmap')}`);
  });

  it('is silent when the UNMAP branch tests the same predicate', async () => {
    const both = edit(
      MAP_SKIP,
      '    } else {\n        ret = vfio_container_dma_unmap(',
      '    } else {\n        if (fx_entry_mr(iotlb) && memory_region_skip_iommu_map(fx_entry_mr(iotlb))) {\n            goto out;\n        }\n        ret = vfio_container_dma_unmap(',
    );
    expect(await lintChange(both)).toEqual([]);
  });

  it('fires when the started branch gains a start the stop branch lacks', async () => {
    const after = edit(BASE, '        fx_dev_set_ready(dev);\n', '        fx_dev_queues_start(dev);\n        fx_dev_set_ready(dev);\n');
    const [finding] = await lintChange(after);
    expect(finding).toMatchObject({ function: 'fx_dev_start', line: lineOf(after, 'fx_dev_queues_start') });
    expect(finding?.message).toMatch(/fx_dev_queues_stop\(\)/);
  });

  it('is silent when both branches change together', async () => {
    const after = edit(
      edit(BASE, '        fx_dev_set_ready(dev);\n', '        fx_dev_queues_start(dev);\n        fx_dev_set_ready(dev);\n'),
      '        fx_dev_notifiers_uninit(dev);\n',
      '        fx_dev_queues_stop(dev);\n        fx_dev_notifiers_uninit(dev);\n',
    );
    expect(await lintChange(after)).toEqual([]);
  });
});
