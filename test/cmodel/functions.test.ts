import { describe, expect, it } from 'vitest';
import { fixtureModel, fn, lineOf, modelOf } from './helpers.js';

describe('functions', () => {
  it('finds every definition with its name, range and storage class', async () => {
    const { text, model } = await fixtureModel('listener.c');
    expect(model.functions.map((f) => f.name)).toEqual([
      'vfio_toy_skipped_section',
      'vfio_toy_unused',
      'vfio_toy_translate',
      'vfio_toy_iommu_map_notify',
      'vfio_toy_listener_region_add',
      'vfio_toy_listener_region_del',
      'vfio_toy_log_sync',
      'vfio_toy_listener_register',
      'vfio_toy_listener_unregister',
    ]);
    const del = fn(model, 'vfio_toy_listener_region_del');
    expect(del.startLine).toBe(lineOf(text, 'static void vfio_toy_listener_region_del('));
    expect(del.bodyStartLine).toBe(del.startLine + 2);
    expect(text.split('\n')[del.endLine - 1]).toBe('}');
    expect(del.endLine).toBe(lineOf(text, 'static void vfio_toy_log_sync(') - 2);
    expect(del.isStatic).toBe(true);
    expect(del.params).toEqual(['listener', 'section']);
    expect(fn(model, 'vfio_toy_listener_register').isStatic).toBe(false);
    expect(model.functions.every((f) => !f.hasErrors)).toBe(true);
  });

  it('sees through pointer declarators, attribute macros and a function-pointer return type', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const tr = fn(model, 'vfio_toy_translate');
    expect(tr.startLine).toBe(lineOf(text, 'static MemoryRegion *vfio_toy_translate('));
    expect(tr.params).toEqual(['iotlb', 'xlat_p', 'errp']);
    const unused = fn(model, 'vfio_toy_unused');
    expect(unused.startLine).toBe(lineOf(text, 'G_GNUC_UNUSED vfio_toy_unused'));
    expect(unused.hasErrors).toBe(false);

    const macros = await fixtureModel('macros.c');
    const co = fn(macros.model, 'toy_co_flush');
    expect(co.isStatic).toBe(true);
    expect(co.params).toEqual(['bs', 'errp']);
    expect(co.hasErrors).toBe(false);
    const handler = fn(macros.model, 'toy_get_handler');
    expect(handler.params).toEqual(['kind']);
    expect(handler.startLine).toBe(lineOf(macros.text, 'toy_get_handler(int kind)'));
  });

  it('names a function whose header holds an unknown attribute macro, and flags it', async () => {
    const { model } = await fixtureModel('macros.c');
    const f = fn(model, 'toy_attr_unknown');
    expect(f.isStatic).toBe(true);
    expect(f.hasErrors).toBe(true);
  });

  it('return type on its own line: the definition starts on the type line', async () => {
    const text = 'static int\ntoy_split(int a)\n{\n    return a;\n}\n';
    const model = await modelOf(text);
    const f = fn(model, 'toy_split');
    expect([f.startLine, f.bodyStartLine, f.endLine]).toEqual([1, 3, 5]);
  });

  it('functions inside #ifdef blocks are found', async () => {
    const text = '#ifdef CONFIG_TOY\nstatic void toy_a(void)\n{\n    a();\n}\n#else\nstatic void toy_a(void)\n{\n}\n#endif\n';
    const model = await modelOf(text);
    expect(model.functions.map((f) => [f.name, f.startLine])).toEqual([
      ['toy_a', 2],
      ['toy_a', 7],
    ]);
    expect(model.functionByName('toy_a')?.startLine).toBe(2);
  });
});

describe('functionAt / functionByName', () => {
  it('maps every line of a definition, and nothing else, to its function', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const add = fn(model, 'vfio_toy_listener_region_add');
    for (let line = add.startLine; line <= add.endLine; line++) {
      expect(model.functionAt(line)?.name).toBe('vfio_toy_listener_region_add');
    }
    expect(model.functionAt(add.startLine - 1)).toBeNull();
    expect(model.functionAt(lineOf(text, '.region_add = vfio_toy_listener_region_add'))).toBeNull();
    expect(model.functionAt(1)).toBeNull();
    expect(model.functionAt(0)).toBeNull();
    expect(model.functionAt(-3)).toBeNull();
    expect(model.functionAt(1.5)).toBeNull();
    expect(model.functionAt(100000)).toBeNull();
    expect(model.functionByName('vfio_toy_log_sync')?.startLine).toBe(lineOf(text, 'static void vfio_toy_log_sync('));
    expect(model.functionByName('nope')).toBeNull();
    // a prototype is not a definition
    expect(model.functionByName('vfio_toy_dma_map')).toBeNull();
  });

  it('is fast enough to call per changed line', async () => {
    const { model } = await fixtureModel('listener.c');
    const t0 = performance.now();
    let hits = 0;
    for (let i = 0; i < 200000; i++) if (model.functionAt((i % 260) + 1)) hits++;
    expect(hits).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
