import { describe, expect, it } from 'vitest';
import { callTo, callsTo, fixtureModel, fn, guardTexts, lineOf, modelOf } from './helpers.js';

describe('calls', () => {
  it('records callee, whitespace-collapsed args and lines', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const notify = fn(model, 'vfio_toy_iommu_map_notify');
    const map = callTo(notify, 'vfio_container_dma_map');
    expect(map.args).toEqual(['bcontainer', 'iova', 'iotlb->addr_mask + 1', 'vaddr', '!(iotlb->perm & IOMMU_WO)', 'mr']);
    expect(map.line).toBe(lineOf(text, 'ret = vfio_container_dma_map(bcontainer, iova,'));
    expect(map.endLine).toBe(map.line + 2);
    // string concatenation with format macros stays one argument
    const report = callTo(notify, 'error_report', 1);
    expect(report.args[0]).toBe('"vfio_container_dma_map(%p, 0x%"HWADDR_PRIx") = %d"');
    expect(report.args).toHaveLength(4);
    expect(callTo(notify, 'container_of').args).toEqual(['n', 'VFIOGuestIOMMU', 'n']);
  });

  it('guards: if branch positive, else branch negated, outermost first', async () => {
    const { model } = await fixtureModel('listener.c');
    const notify = fn(model, 'vfio_toy_iommu_map_notify');
    expect(guardTexts(callTo(notify, 'vfio_container_dma_map').guards)).toEqual(['+(iotlb->perm & IOMMU_RW) != IOMMU_NONE']);
    expect(guardTexts(callTo(notify, 'vfio_container_dma_unmap').guards)).toEqual(['!(iotlb->perm & IOMMU_RW) != IOMMU_NONE']);
    expect(guardTexts(callTo(notify, 'error_report', 2).guards)).toEqual([
      '!(iotlb->perm & IOMMU_RW) != IOMMU_NONE',
      '+ret',
    ]);
    expect(callTo(notify, 'container_of').guards).toEqual([]);
    // guards share the condition objects of fn.conditions
    const g = callTo(notify, 'vfio_container_dma_unmap').guards[0];
    expect(notify.conditions).toContain(g?.condition);
  });

  it('else if: the nested if sits in the else of the outer one', async () => {
    const { model } = await fixtureModel('listener.c');
    const del = fn(model, 'vfio_toy_listener_region_del');
    expect(guardTexts(callTo(del, 'vfio_ram_discard_unregister_listener').guards)).toEqual([
      '!memory_region_is_ram_device(section->mr)',
      '+memory_region_has_ram_discard_manager(section->mr)',
    ]);
  });

  it('calls inside a condition carry the guards of the statement, not its own condition', async () => {
    const { model } = await fixtureModel('listener.c');
    const del = fn(model, 'vfio_toy_listener_region_del');
    expect(callTo(del, 'memory_region_is_ram_device').guards).toEqual([]);
    expect(guardTexts(callTo(del, 'memory_region_has_ram_discard_manager').guards)).toEqual([
      '!memory_region_is_ram_device(section->mr)',
    ]);
    expect(guardTexts(callTo(del, 'memory_region_skip_iommu_map').guards)).toEqual([
      '+memory_region_is_ram_device(section->mr)',
    ]);
    // nested calls in arguments are calls too, in source order
    const names = callsTo(del, 'int128_make64').map((c) => c.line);
    expect(names).toHaveLength(2);
  });

  it('inLoop: for bodies, while bodies and FOREACH bodies', async () => {
    const { model } = await fixtureModel('listener.c');
    const sync = fn(model, 'vfio_toy_log_sync');
    expect(callTo(sync, 'vfio_toy_sync_range').inLoop).toBe(true);
    expect(guardTexts(callTo(sync, 'vfio_toy_sync_range').guards)).toEqual(['+i < bcontainer->nr_ranges']);
    expect(callTo(sync, 'vfio_toy_query_dirty').inLoop).toBe(true);
    expect(callTo(sync, 'vfio_toy_drain').inLoop).toBe(true);
    expect(callTo(sync, 'container_of').inLoop).toBe(false);
    const del = fn(model, 'vfio_toy_listener_region_del');
    expect(callTo(del, 'g_free').inLoop).toBe(true);
    expect(callTo(del, 'vfio_container_dma_unmap').inLoop).toBe(false);
  });

  it('calls through pointers keep the callee expression', async () => {
    const model = await modelOf(
      'static int f(VFIOContainer *c)\n{\n    return c->ops->dma_map(c, 0,\n        4096);\n}\nstatic void g(void (*cb)(int))\n{\n    (*cb)(1);\n}\n',
    );
    const call = fn(model, 'f').calls[0];
    expect(call?.callee).toBe('c->ops->dma_map');
    expect(call?.args).toEqual(['c', '0', '4096']);
    expect([call?.line, call?.endLine]).toEqual([3, 4]);
    expect(fn(model, 'g').calls[0]?.callee).toBe('(*cb)');
  });

  it('ternary branches guard their calls', async () => {
    const model = await modelOf('void f(int x)\n{\n    int r = x > 0 ? pos(x) : neg(x);\n}\n');
    const f = fn(model, 'f');
    expect(guardTexts(callTo(f, 'pos').guards)).toEqual(['+x > 0']);
    expect(guardTexts(callTo(f, 'neg').guards)).toEqual(['!x > 0']);
    expect(f.conditions.map((c) => c.kind)).toEqual(['ternary']);
  });

  it('switch guards carry the case labels, with fall-through labels', async () => {
    const { model } = await fixtureModel('macros.c');
    const f = fn(model, 'toy_foreach_shapes');
    const normal = callTo(f, 'toy_cpu_normal_reset').guards;
    expect(guardTexts(normal)).toEqual(['+s->reset_type']);
    expect(normal[0]?.caseValues).toEqual(['TOY_RESET_NORMAL', 'TOY_RESET_SOFT']);
    expect(callTo(f, 'toy_unknown_reset').guards[0]?.caseValues).toEqual(['default']);
  });
});

describe('where a call value goes', () => {
  it('records the variable or field it is stored in, and whether its scope releases it', async () => {
    const model = await modelOf(
      [
        'static int fx_open(FxDev *d, FxNotifier *n)',
        '{',
        '    void *addr;',
        '    g_autofree char *name = g_strdup_printf("fx-%d", d->id);',
        '    g_autoptr(GArray) ranges = g_array_new(false, true, sizeof(FxRange));',
        '    g_autoptr(GPtrArray) later = NULL;',
        '    char *plain = g_strdup(name);',
        '    later = g_ptr_array_new_full(d->nvqs, g_free);',
        '    addr = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd, 0);',
        '    n->addr = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd, 4096);',
        '    fx_use(addr, plain, ranges);',
        '    return 0;',
        '}',
        '',
      ].join('\n'),
    );
    const f = fn(model, 'fx_open');
    const byCallee = (name: string, nth = 0) => callsTo(f, name)[nth];
    expect(byCallee('g_strdup_printf')).toMatchObject({ result: 'name', autoReleased: true });
    expect(byCallee('g_array_new')).toMatchObject({ result: 'ranges', autoReleased: true });
    // stored later in a variable declared g_autoptr: its scope releases that too
    expect(byCallee('g_ptr_array_new_full')).toMatchObject({ result: 'later', autoReleased: true });
    expect(byCallee('g_strdup')).toMatchObject({ result: 'plain' });
    expect(byCallee('g_strdup')?.autoReleased).toBeUndefined();
    expect(byCallee('mmap', 0)).toMatchObject({ result: 'addr' });
    expect(byCallee('mmap', 1)).toMatchObject({ result: 'n->addr' });
    expect(byCallee('fx_use')?.result).toBeUndefined();
  });

  it('records the last line of the inner block that declares the variable a value is stored in', async () => {
    const model = await modelOf(
      [
        'static void fx_handle(FxDev *d, int req)',
        '{',
        '    int out = fx_take_fd(d);',
        '    switch (req) {',
        '    case 1: {',
        '        int fd = fx_take_fd(d);',
        '        fx_use(fd);',
        '        break;',
        '    }',
        '    default:',
        '        break;',
        '    }',
        '    for (int i = 0; i < 2; i++) {',
        '        char *p = g_strdup("x");',
        '        g_free(p);',
        '    }',
        '    out = fx_take_fd(d);',
        '    fx_use(out);',
        '}',
        '',
      ].join('\n'),
    );
    const f = fn(model, 'fx_handle');
    const takes = callsTo(f, 'fx_take_fd');
    // the case's block ends at line 9, the loop's body at line 16; the function's own variables end with it
    expect(takes[1]).toMatchObject({ result: 'fd', resultLocal: true, resultScopeEnd: 9 });
    expect(callsTo(f, 'g_strdup')[0]).toMatchObject({ result: 'p', resultScopeEnd: 16 });
    expect(takes[0]?.resultScopeEnd).toBeUndefined();
    expect(takes[2]?.resultScopeEnd).toBeUndefined();
  });

  it('records the variables a member of a structure returned by value is copied into', async () => {
    const model = await modelOf(
      [
        'static int fx_convert(hwaddr start, hwaddr size, FxDev *d)',
        '{',
        '    MemoryRegionSection section;',
        '    MemoryRegion *mr;',
        '    section = fx_region_find(start, size);',
        '    mr = section.mr;',
        '    d->last = section.mr;',
        '    FxDev *other = fx_dev_find(d);',
        '    fx_region_unref(mr);',
        '    return 0;',
        '}',
        '',
      ].join('\n'),
    );
    const f = fn(model, 'fx_convert');
    expect(callsTo(f, 'fx_region_find')[0]?.memberCopies).toEqual(['mr']);
    // a field store is no variable of the function, and a call not returning a structure copies nothing
    expect(callsTo(f, 'fx_dev_find')[0]?.memberCopies).toBeUndefined();
  });

  it('passes the value through an ALL_CAPS cast macro around it, and not through an ordinary call', async () => {
    const model = await modelOf(
      [
        'static bool fx_attach(FxDev *d, const FxOps *ops)',
        '{',
        '    FxHost *host;',
        '    Object *obj = OBJECT(FX_HOST(object_new(ops->type_name)));',
        '    host = FX_HOST(object_new(ops->type_name));',
        '    d->size = fx_round(fx_size_of(d));',
        '    fx_use(host, obj);',
        '    return true;',
        '}',
        '',
      ].join('\n'),
    );
    const f = fn(model, 'fx_attach');
    expect(callsTo(f, 'object_new')[0]).toMatchObject({ result: 'obj' });
    expect(callsTo(f, 'object_new')[1]).toMatchObject({ result: 'host' });
    expect(callsTo(f, 'fx_size_of')[0]?.result).toBeUndefined();
  });

  it('records a count raised or lowered on a field as a call of ++ or -- on it, not a local or a loop step', async () => {
    const model = await modelOf(
      [
        'static void fx_run(FxState *s)',
        '{',
        '    int n = 0;',
        '',
        '    for (s->i = 0; s->i < 4; s->i++) {',
        '        n++;',
        '    }',
        '    s->in_flight++;',
        '    if (s->ready) {',
        '        --s->in_flight;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    const f = fn(model, 'fx_run');
    expect(callsTo(f, '++').map((c) => [c.args, c.line])).toEqual([[['s->in_flight'], 8]]);
    const lowered = callsTo(f, '--');
    expect(lowered.map((c) => [c.args, c.line])).toEqual([[['s->in_flight'], 10]]);
    expect(guardTexts((lowered[0] as (typeof lowered)[0]).guards)).toEqual(['+s->ready']);
  });

  it('records the locals that name what a parameter is: the parameter itself, through a cast or a cast macro', async () => {
    const model = await modelOf(
      [
        'static void fx_cb(void *opaque, int ret, Object *obj)',
        '{',
        '    FxReq *req = opaque;',
        '    FxReq *again = (FxReq *)opaque;',
        '    FxState *s = FX_STATE(obj);',
        '    FxState *t = fx_state_of(obj);',
        '    int n = ret + 1;',
        '    fx_done(req, again, s, t, n);',
        '}',
        '',
      ].join('\n'),
    );
    expect(fn(model, 'fx_cb').paramAliases).toEqual([
      { name: 'req', param: 'opaque', line: 3 },
      { name: 'again', param: 'opaque', line: 4 },
      { name: 's', param: 'obj', line: 5 },
    ]);
  });
});
