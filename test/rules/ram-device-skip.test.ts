import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/listener.c';
const BASE = fixture('rules/listener.c');
const ANCHOR = '            return;\n        }\n    }\n\n    vaddr =';

function withSkip(condition: string): string {
  return edit(BASE, ANCHOR, `            return;\n        }\n        if (${condition}) {\n            return;\n        }\n    }\n\n    vaddr =`);
}

async function lintChange(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'ram-device-skip');
}

describe('ram-device-skip', () => {
  it('fires when region_add skips the map for every VFIO-owned RAM-device region', async () => {
    const after = withSkip('vfio_get_vfio_device(memory_region_owner(section->mr))');
    const [finding, ...rest] = await lintChange(after);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      category: 'domain',
      severity: 'warning',
      function: 'fx_container_region_add',
      line: lineOf(after, 'vfio_get_vfio_device'),
      related: [{ line: lineOf(after, 'ret = vfio_container_dma_map'), function: 'fx_container_region_add' }],
    });
    expect(finding?.message).toMatch(/peer-to-peer DMA/i);
    expect(finding?.message).toMatch(/ATS/);
    expect(finding?.message).toMatch(/memory_region_owner/);
  });

  it('fires on a device-class test too', async () => {
    const [finding] = await lintChange(withSkip('object_dynamic_cast(memory_region_owner(section->mr), TYPE_FX_GPU)'));
    expect(finding?.ruleId).toBe('ram-device-skip');
  });

  it('is silent when the skip tests a flag set on the exact region', async () => {
    expect(await lintChange(withSkip('memory_region_skip_iommu_map(section->mr)'))).toEqual([]);
  });

  it('is silent for a broad test that skips something other than the map', async () => {
    const after = edit(BASE, '    memory_region_ref(section->mr);\n', '    if (memory_region_owner(section->mr) == fc->owner) {\n        fx_trace_own(section);\n    }\n    memory_region_ref(section->mr);\n');
    expect(await lintChange(after)).toEqual([]);
  });
});
