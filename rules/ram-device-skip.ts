/**
 * ram-device-skip: region_add (or a helper it calls) stops DMA-mapping
 * RAM-device sections chosen by a broad test (the owner is a VFIO device, a
 * region type, a device class) instead of a flag set on the exact regions
 * that must stay out of the IOMMU.
 */
import type { NoOptions, Rule } from '../src/rule/rule.js';

function compile(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p));
}

const MESSAGES = {
  broadSkip:
    '{{fn}}() now skips {{callee}}() when `{{condition}}`, a broad test ' +
    '({{broad}}) that keeps every matching RAM-device region out of the IOMMU, ' +
    "not just the one that must stay out. Peer-to-peer DMA between assigned devices reaches a peer's BAR " +
    'through the IOMMU, and ATS with nested stage-2 translation needs the mapping of device memory, so ' +
    'skipping them breaks both. Mark the exact regions where they are created ' +
    '(memory_region_set_skip_iommu_map()) and test that flag on both sides instead.',
  // related locations
  skippedForAll: 'the {{callee}}() call now skipped for all of those regions',
};

export const ramDeviceSkip: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'ram-device-skip',
    category: 'domain',
    severity: 'warning',
    summary: 'RAM-device sections kept out of the IOMMU by a broad test instead of a per-region flag',
    messages: MESSAGES,
    docs: {
      what:
        'The patch makes region_add, or a helper it calls, skip vfio_container_dma_map()/vfio_dma_map() for RAM-device ' +
        'sections selected by a broad test: the owner is a VFIO device (vfio_get_vfio_device(memory_region_owner(mr))), ' +
        'a region type or subtype, a whole device class. The exact regions that must not be mapped should carry a flag ' +
        'instead (memory_region_set_skip_iommu_map() where they are created), and region_add should test that flag.',
      why:
        'RAM-device sections are device BARs and device memory windows, and the listener maps them into the IOMMU on ' +
        'purpose. Peer-to-peer DMA between assigned devices (one GPU writing into another\'s BAR) reaches the peer\'s BAR ' +
        'through the IOMMU, and a device using ATS with nested (stage-1 + stage-2) translation needs the stage-2 mapping ' +
        'of its own coherent memory: without it the translation fails and the device replays the fault forever. A broad ' +
        'test drops every BAR and coherent window of every assigned device, not just the one region that had a problem.',
      fix:
        'Mark only the regions that must stay out of the IOMMU where they are created (for example the mmap subregions ' +
        'of a CXL.mem region, with memory_region_set_skip_iommu_map()), and test that flag in region_add and region_del.',
      bad: [
        '    if (memory_region_is_ram_device(section->mr)) {',
        '+       if (vfio_get_vfio_device(memory_region_owner(section->mr))) {',
        '+           return;   /* every VFIO BAR and device memory window */',
        '+       }',
        '    }',
        '    ret = vfio_container_dma_map(bcontainer, iova, size, vaddr, ro, section->mr);',
      ].join('\n'),
      good: [
        '/* where the CXL.mem mmap subregions are created */',
        '+   memory_region_set_skip_iommu_map(&region->mmaps[i].mem, true);',
        '',
        '/* region_add, and the same test in region_del */',
        '+   if (memory_region_skip_iommu_map(section->mr)) {',
        '+       return;',
        '+   }',
      ].join('\n'),
    },
  },
  create(context) {
    const data = context.pairs.data.ramDevice;
    const broad = compile(data.broadTests);
    const exact = compile(data.exactFlags);
    /** the acquire sides of the pairs of the file being visited (changedFile comes before its functions) */
    let acquireSide = new Set<string>();
    return {
      changedFile(file) {
        acquireSide = new Set(file.postSides.flatMap((p) => [...p.acquireSide]));
      },
      changedFunction(file, change) {
        const fn = change.post;
        if (!file.post || !fn || !acquireSide.has(fn.name)) return;
        const maps = fn.calls.filter((c) => data.mapPrimitives.includes(c.callee));
        if (maps.length === 0) return;
        for (const skip of context.model.newSkips(file, fn)) {
          const mapCall = maps.find((c) => context.model.skipsCall(skip, c));
          if (!mapCall) continue;
          const parts = [...skip.condition.callees, ...skip.condition.names];
          const broadParts = parts.filter((p) => broad.some((re) => re.test(p)));
          if (broadParts.length === 0) continue;
          if (parts.some((p) => exact.some((re) => re.test(p)))) continue;
          context.report({
            at: { file: file.path, line: skip.line, endLine: skip.endLine, function: fn.name },
            messageId: 'broadSkip',
            data: { fn: fn.name, callee: mapCall.callee, condition: skip.condition.text, broad: [...new Set(broadParts)].join(', ') },
            related: [
              {
                file: file.path,
                line: mapCall.line,
                function: fn.name,
                messageId: 'skippedForAll',
                data: { callee: mapCall.callee },
              },
            ],
            key: `${fn.name}|${mapCall.callee}|${skip.condition.normalized}`,
          });
        }
      },
    };
  },
};
