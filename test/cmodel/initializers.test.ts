import { describe, expect, it } from 'vitest';
import { fixtureModel, lineOf, modelOf } from './helpers.js';

describe('initializers', () => {
  it('designated initializer of a static const MemoryListener', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const ml = model.initializers.find((i) => i.variable === 'vfio_toy_memory_listener');
    expect(ml?.type).toBe('MemoryListener');
    expect(ml?.line).toBe(lineOf(text, 'static const MemoryListener vfio_toy_memory_listener'));
    expect(ml?.functionName).toBeNull();
    expect(ml?.fields).toEqual([
      { field: 'region_add', value: 'vfio_toy_listener_region_add', line: lineOf(text, '.region_add = vfio_toy') },
      { field: 'region_del', value: 'vfio_toy_listener_region_del', line: lineOf(text, '.region_del = vfio_toy') },
      { field: 'log_sync', value: 'vfio_toy_log_sync', line: lineOf(text, '.log_sync = vfio_toy') },
    ]);
  });

  it('field assignments: lvalue base as variable, type null', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const assigned = model.initializers.filter((i) => i.functionName === 'vfio_toy_listener_register');
    expect(assigned.map((i) => [i.type, i.variable, i.fields])).toEqual([
      [null, 'bcontainer', [{ field: 'listener', value: 'vfio_toy_memory_listener', line: lineOf(text, 'bcontainer->listener = vfio_toy_memory_listener;') }]],
      [null, 'bcontainer->listener', [{ field: 'region_del', value: 'vfio_toy_listener_region_del', line: lineOf(text, 'bcontainer->listener.region_del =') }]],
    ]);
  });

  it('nested fields, #ifdef inside the list, arrays of structs, compound literals', async () => {
    const { text, model } = await fixtureModel('initializers.c');
    const byVar = (v: string) => model.initializers.filter((i) => i.variable === v);
    const ops = byVar('toy_mmio_ops')[0];
    expect(ops?.type).toBe('MemoryRegionOps');
    expect(ops?.fields.map((f) => `${f.field}=${f.value}`)).toEqual([
      'read=toy_mmio_read',
      'write=toy_mmio_write',
      'endianness=DEVICE_LITTLE_ENDIAN',
      'valid.accepts=toy_mmio_accepts',
    ]);
    const listener = byVar('toy_listener')[0];
    expect(listener?.fields.map((f) => [f.field, f.line])).toEqual([
      ['region_add', lineOf(text, '.region_add = toy_region_add')],
      ['log_sync', lineOf(text, '.log_sync = toy_log_sync')],
      ['region_del', lineOf(text, '.region_del = toy_region_del')],
    ]);
    const types = byVar('toy_types');
    expect(types.map((t) => [t.type, t.element, t.fields.find((f) => f.field === 'class_init')?.value])).toEqual([
      ['TypeInfo', 0, 'toy_device_class_init'],
      ['TypeInfo', 1, 'toy_bus_class_init'],
    ]);
    const setup = model.initializers.filter((i) => i.functionName === 'toy_listener_setup');
    expect(setup.map((i) => [i.type, i.variable, i.fields.map((f) => `${f.field}=${f.value}`).join(',')])).toEqual([
      [null, 's->listener', 'region_add=toy_region_add'],
      [null, 's->listener', 'region_del=toy_region_del'],
      [null, 'l', 'commit=toy_commit'],
      ['MemoryListener', 's->alt_listener', 'region_add=toy_alt_region_add,region_del=toy_alt_region_del'],
    ]);
  });

  it('compound literal in a declaration names the declared variable', async () => {
    const model = await modelOf('void f(void)\n{\n    MemoryListener l = (MemoryListener) { .region_add = ra, .name = "x", .priority = 1 };\n}\n');
    expect(model.initializers).toEqual([
      { type: 'MemoryListener', variable: 'l', line: 3, fields: [{ field: 'region_add', value: 'ra', line: 3 }], functionName: 'f' },
    ]);
  });
});
