/** The listener fixture, and the same listener after region_add learned to skip the map for marked regions. */
import { edit, fixture } from './fixtures.js';

export const LISTENER = fixture('rules/listener.c');

export const SKIP_IN_ADD = edit(
  LISTENER,
  '    vaddr = memory_region_get_ram_ptr(section->mr) +\n',
  '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n\n    vaddr = memory_region_get_ram_ptr(section->mr) +\n',
);
