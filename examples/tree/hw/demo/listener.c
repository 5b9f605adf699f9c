/*
 * A small memory listener written for the pairlint example. It is shaped like
 * a VFIO listener: region_add maps a section into an IOMMU container and
 * region_del unmaps it again.
 */

#include "qemu/osdep.h"
#include "system/memory.h"
#include "demo-container.h"

static bool demo_listener_skipped_section(MemoryRegionSection *section)
{
    return !memory_region_is_ram(section->mr) &&
           !memory_region_is_iommu(section->mr);
}

static bool demo_section_range(DemoContainer *dc, MemoryRegionSection *section,
                               hwaddr *out_iova, hwaddr *out_size)
{
    hwaddr iova = section->offset_within_address_space;
    hwaddr size = int128_get64(section->size);

    if ((iova & dc->pgmask) || (size & dc->pgmask)) {
        return false;
    }
    *out_iova = iova;
    *out_size = size;
    return true;
}

static void demo_listener_region_add(MemoryListener *listener,
                                     MemoryRegionSection *section)
{
    DemoContainer *dc = container_of(listener, DemoContainer, listener);
    hwaddr iova, size;
    void *vaddr;
    int ret;

    if (demo_listener_skipped_section(section)) {
        return;
    }
    if (!demo_section_range(dc, section, &iova, &size)) {
        return;
    }

    memory_region_ref(section->mr);

    vaddr = memory_region_get_ram_ptr(section->mr) +
            section->offset_within_region;

    ret = demo_container_dma_map(dc, iova, size, vaddr, section->readonly);
    if (ret) {
        error_report("demo: dma map of 0x%" HWADDR_PRIx " failed: %d",
                     iova, ret);
    }
}

static void demo_listener_region_del(MemoryListener *listener,
                                     MemoryRegionSection *section)
{
    DemoContainer *dc = container_of(listener, DemoContainer, listener);
    hwaddr iova, size;
    bool try_unmap = true;
    int ret;

    if (demo_listener_skipped_section(section)) {
        return;
    }
    if (!demo_section_range(dc, section, &iova, &size)) {
        return;
    }

    if (memory_region_is_ram_device(section->mr)) {
        try_unmap = dc->unmap_ram_device;
    }

    if (try_unmap) {
        ret = demo_container_dma_unmap(dc, iova, size);
        if (ret) {
            error_report("demo: dma unmap of 0x%" HWADDR_PRIx " failed: %d",
                         iova, ret);
        }
    }

    memory_region_unref(section->mr);
}

static const MemoryListener demo_memory_listener = {
    .name = "demo",
    .region_add = demo_listener_region_add,
    .region_del = demo_listener_region_del,
};

void demo_container_listen(DemoContainer *dc, AddressSpace *as)
{
    dc->listener = demo_memory_listener;
    memory_listener_register(&dc->listener, as);
}

void demo_container_unlisten(DemoContainer *dc)
{
    memory_listener_unregister(&dc->listener);
}
