/**
 * The real QEMU files of the shared corpus, read from ../shared beside the
 * repository; skipped when it is not there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFileModel, initCParser } from '../../src/cmodel/parse.js';
import { callsTo, fn, guardTexts, repoRoot } from './helpers.js';

const shared = join(repoRoot, '..', 'shared', 'corpus');
const seedPath = join(shared, 'seed', 'base', 'hw', 'vfio', 'listener.c');
const casesDir = join(shared, 'cases');

function cFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) cFiles(p, out);
    else if (name.endsWith('.c')) out.push(p);
  }
  return out;
}

describe.skipIf(!existsSync(seedPath))('seed hw/vfio/listener.c', () => {
  it('models the listener callbacks, their DMA calls and the try_unmap gate', async () => {
    await initCParser();
    const text = readFileSync(seedPath, 'utf8');
    const model = buildFileModel('hw/vfio/listener.c', text);

    const add = fn(model, 'vfio_container_region_add');
    const del = fn(model, 'vfio_listener_region_del');
    const notify = fn(model, 'vfio_iommu_map_notify');
    for (const f of [add, del, notify]) expect(f.hasErrors, f.name).toBe(false);

    expect(callsTo(add, 'vfio_container_dma_map').length).toBeGreaterThanOrEqual(1);
    expect(callsTo(notify, 'vfio_container_dma_map')).toHaveLength(1);
    expect(callsTo(notify, 'vfio_container_dma_unmap')).toHaveLength(1);
    const unmap = callsTo(notify, 'vfio_container_dma_unmap')[0];
    expect(unmap?.guards.map((g) => g.negated)).toEqual([true]);
    expect(callsTo(del, 'vfio_container_dma_unmap')).toHaveLength(1);

    const gate = del.gates.find((g) => g.flag === 'try_unmap');
    expect(gate?.initValue).toBe('true');
    expect(gate?.gatedCalls.map((c) => c.callee)).toContain('vfio_container_dma_unmap');
    expect(gate?.assignments.map((a) => a.value)).toEqual([
      '!((iova & pgmask) || (int128_get64(llsize) & pgmask))',
      'false',
    ]);
    expect(guardTexts(gate?.assignments[1]?.guards ?? [])).toEqual([
      '!memory_region_is_ram_device(section->mr)',
      '+memory_region_has_ram_discard_manager(section->mr)',
    ]);

    // the QLIST_FOREACH body in region_del is a loop
    const unreg = callsTo(del, 'memory_region_unregister_iommu_notifier')[0];
    expect(unreg?.inLoop).toBe(true);

    const listener = model.initializers.find((i) => i.variable === 'vfio_memory_listener');
    expect(listener?.type).toBe('MemoryListener');
    expect(listener?.fields.filter((f) => f.field.startsWith('region_')).map((f) => `${f.field}=${f.value}`)).toEqual([
      'region_add=vfio_listener_region_add',
      'region_del=vfio_listener_region_del',
    ]);

    // the goto out in the notify function finds its label
    const gotoOut = notify.exits.find((e) => e.kind === 'goto');
    expect(gotoOut?.labelLine).toBe(notify.labels.find((l) => l.name === 'out')?.line);
  });
});

describe.skipIf(!existsSync(casesDir))('corpus cases', () => {
  it('every base image builds without throwing, with few functions flagged', async () => {
    await initCParser();
    let functions = 0;
    let flagged = 0;
    for (const p of cFiles(casesDir).filter((f) => f.includes(`${join('base', '')}`))) {
      const model = buildFileModel(p, readFileSync(p, 'utf8'));
      functions += model.functions.length;
      flagged += model.functions.filter((f) => f.hasErrors).length;
    }
    expect(functions).toBeGreaterThan(1000);
    expect(flagged / functions).toBeLessThan(0.01);
  }, 120000);
});
