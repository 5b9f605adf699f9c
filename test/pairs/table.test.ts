import { describe, expect, it } from 'vitest';
import { PairTable, builtinPairData, mergePairData } from '../../src/pairs/table.js';

const table = new PairTable(builtinPairData());

describe('PairTable', () => {
  it('knows the listed primitives in both directions', () => {
    expect(table.primitive('vfio_container_dma_map')).toMatchObject({ role: 'acquire', counterparts: ['vfio_container_dma_unmap'] });
    expect(table.primitive('memory_region_unref')).toMatchObject({ role: 'release', counterparts: ['memory_region_ref'] });
    expect(table.primitive('printf')).toBeNull();
  });

  it('derives counterparts from name families', () => {
    expect(table.familyCounterparts('vfio_listener_region_add')).toContainEqual({
      role: 'acquire',
      names: ['vfio_listener_region_del', 'vfio_listener_region_remove'],
    });
    expect(table.familyCounterparts('do_pci_unregister_device')).toContainEqual({ role: 'release', names: ['do_pci_register_device'] });
    // QEMU's realizefn names pair like realize
    expect(table.familyCounterparts('fx_cpu_realizefn')).toContainEqual({ role: 'acquire', names: ['fx_cpu_unrealizefn'] });
    expect(table.familyCounterparts('vhost_dev_init')).toContainEqual({
      role: 'acquire',
      names: ['vhost_dev_destroy', 'vhost_dev_uninit', 'vhost_dev_cleanup', 'vhost_dev_exit', 'vhost_dev_finalize', 'vhost_dev_deinit'],
    });
  });

  it('pairs a call through a slot with the slot its name pairs with, on the same base', () => {
    // the table's slot pair (DeviceClass realize/unrealize) first, then what the verbs propose
    expect(table.slotCall('k->realize')?.counterparts[0]).toBe('k->unrealize');
    // (a start is undone by a stop or an end)
    expect(table.slotCall('s->ops.start')).toMatchObject({ role: 'acquire', counterparts: ['s->ops.stop', 's->ops.end'] });
    expect(table.slotCall('s->ops->status')).toBeNull();
    // a plain call is no slot
    expect(table.slotCall('fx_realize')).toBeNull();
  });

  it('gives a name with both verbs of a family no side', () => {
    expect(table.familyCounterparts('fx_notify_map_unmap')).toEqual([]);
    expect(table.primitiveOrFamily('fx_notify_map_unmap', new Set(['fx_notify_unmap', 'fx_notify_map']))).toBeNull();
  });

  it('uses a family pair only when the counterpart is known around the change', () => {
    expect(table.primitiveOrFamily('vfio_kvm_device_add_group', new Set())).toBeNull();
    const match = table.primitiveOrFamily('vfio_kvm_device_add_group', new Set(['vfio_kvm_device_del_group']));
    expect(match).toMatchObject({ role: 'acquire', counterparts: ['vfio_kvm_device_del_group'], fromFamily: true });
  });

  it('matches shared predicates by glob and merges user data after builtin data', () => {
    expect(table.isSharedPredicate('vfio_listener_skipped_section')).toBe(true);
    expect(table.isSharedPredicate('vfio_container_region_add')).toBe(false);
    const merged = new PairTable(mergePairData(builtinPairData(), { sharedPredicates: ['my_*_ok'] }));
    expect(merged.isSharedPredicate('my_section_ok')).toBe(true);
  });
});
