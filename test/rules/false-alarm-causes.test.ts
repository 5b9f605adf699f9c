/**
 * The false-alarm causes of issue 18, one fixture each (our own code, shaped
 * like QEMU's): moved code, an owned subregion, a wrapper, a NULL-safe release,
 * and a name that is no pair. Each was reported before the balance model learned
 * the fact; each stays silent now, and a twin that is a real imbalance still fires.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const VQ = fixture('causes/vq-loop.c');
const BAR = fixture('causes/bar.c');
const DMA = fixture('causes/dma.c');
const RELEASE = fixture('causes/release.c');
const PORTS = fixture('causes/ports.c');

const brief = (fs: { ruleId: string; function: string | null; message: string }[]) => fs.map((f) => `${f.ruleId}@${f.function}: ${f.message.slice(0, 160)}`);

describe('moved code', () => {
  const LOOP =
    '    for (i = 0; i < host->nqueues; ++i) {\n' +
    '        r = fx_queue_setup(host, host->qs + i, host->first_q + i);\n' +
    '        if (r < 0) {\n' +
    '            goto fail;\n' +
    '        }\n' +
    '    }\n';
  it('a loop moved from init into a new helper is no edit of its condition', async () => {
    const helper =
      'static int fx_host_setup_queues(FxHost *host)\n{\n    int i, r;\n\n' + LOOP + '    return 0;\n\nfail:\n    while (--i >= 0) {\n        fx_queue_teardown(host, host->qs + i);\n    }\n    return r;\n}\n\n';
    let after = edit(VQ, LOOP, '    r = fx_host_setup_queues(host);\n    if (r < 0) {\n        goto fail;\n    }\n');
    after = edit(after, '    while (--i >= 0) {\n        fx_queue_teardown(host, host->qs + i);\n    }\n    g_free(host->qs);\n    return r;\n', '    g_free(host->qs);\n    return r;\n');
    after = edit(after, 'int fx_host_init(', helper + 'int fx_host_init(');
    expect(brief(await pairFindingsOf({ 'hw/fx/queues.c': VQ }, { 'hw/fx/queues.c': after }))).toEqual([]);
  });
  it('...also when an earlier commit of the series added the helper', async () => {
    const helper =
      'static int fx_host_setup_queues(FxHost *host)\n{\n    int i, r;\n\n' + LOOP + '    return 0;\n\nfail:\n    while (--i >= 0) {\n        fx_queue_teardown(host, host->qs + i);\n    }\n    return r;\n}\n\n';
    const base = edit(VQ, 'int fx_host_init(', helper + 'int fx_host_init(');
    let after = edit(base, LOOP + '    host->started', '    r = fx_host_setup_queues(host);\n    if (r < 0) {\n        goto fail;\n    }\n    host->started');
    after = edit(after, '    while (--i >= 0) {\n        fx_queue_teardown(host, host->qs + i);\n    }\n    g_free(host->qs);\n    return r;\n}\n\nvoid', '    g_free(host->qs);\n    return r;\n}\n\nvoid');
    expect(brief(await pairFindingsOf({ 'hw/fx/queues.c': base }, { 'hw/fx/queues.c': after }))).toEqual([]);
  });
  it('...also when the helper names its parameter another way', async () => {
    const loop = LOOP.split('host->').join('hq->').replace('fx_queue_setup(host,', 'fx_queue_setup(hq,');
    const helper =
      'static int fx_host_setup_queues(FxHost *hq)\n{\n    int i, r;\n\n' + loop + '    return 0;\n\nfail:\n    while (--i >= 0) {\n        fx_queue_teardown(hq, hq->qs + i);\n    }\n    return r;\n}\n\n';
    const base = edit(VQ, 'int fx_host_init(', helper + 'int fx_host_init(');
    let after = edit(base, LOOP + '    host->started', '    r = fx_host_setup_queues(host);\n    if (r < 0) {\n        goto fail;\n    }\n    host->started');
    after = edit(after, '    while (--i >= 0) {\n        fx_queue_teardown(host, host->qs + i);\n    }\n    g_free(host->qs);\n    return r;\n}\n\nvoid', '    g_free(host->qs);\n    return r;\n}\n\nvoid');
    expect(brief(await pairFindingsOf({ 'hw/fx/queues.c': base }, { 'hw/fx/queues.c': after }))).toEqual([]);
  });
  it('...also when the helper lives in another file the commit does not touch', async () => {
    let after = edit(VQ, LOOP, '    r = fx_host_setup_queues(host);\n    if (r < 0) {\n        goto fail;\n    }\n');
    after = edit(after, '    while (--i >= 0) {\n        fx_queue_teardown(host, host->qs + i);\n    }\n    g_free(host->qs);\n    return r;\n', '    g_free(host->qs);\n    return r;\n');
    expect(brief(await pairFindingsOf({ 'hw/fx/queues.c': VQ }, { 'hw/fx/queues.c': after }))).toEqual([]);
  });
  it('a loop deleted from init with nothing taking its place still fires, and says deleted, not edited', async () => {
    const after = edit(VQ, LOOP, '');
    const found = await pairFindingsOf({ 'hw/fx/queues.c': VQ }, { 'hw/fx/queues.c': after });
    const check = found.find((f) => f.ruleId === 'check-asymmetry');
    expect(check?.message).toMatch(/deletes the statement testing `i < host->nqueues`/);
    expect(check?.message).not.toMatch(/edits the/);
  });
});

describe('owned subregion', () => {
  it('a subregion of a container the device owns needs no del_subregion in exit', async () => {
    const after = edit(BAR, '    memory_region_del_subregion(&s->bar, &s->regs);\n', '');
    expect(brief(await pairFindingsOf({ 'hw/fx/bar.c': BAR }, { 'hw/fx/bar.c': after }))).toEqual([]);
  });
  it('a new subregion of the owned container needs none either', async () => {
    const after = edit(
      BAR,
      '    pci_register_bar(',
      '    memory_region_init_io(&s->ext, OBJECT(s), &fx_regs_ops, s, "fx-ext", 0x1000);\n    memory_region_add_subregion(&s->bar, 0x1000, &s->ext);\n    pci_register_bar(',
    );
    expect(brief(await pairFindingsOf({ 'hw/fx/bar.c': BAR }, { 'hw/fx/bar.c': after }))).toEqual([]);
  });
  it('...also when the container is created elsewhere (instance init), embedded in the same instance', async () => {
    const base = edit(
      edit(BAR, '    memory_region_init(&s->bar, OBJECT(s), "fx-bar", 0x4000);\n', ''),
      'static void fx_fn_realize',
      'static void fx_fn_instance_init(Object *obj)\n{\n    FxFn *s = FX_FN(obj);\n\n    memory_region_init(&s->bar, obj, "fx-bar", 0x4000);\n}\n\nstatic void fx_fn_realize',
    );
    const after = edit(base, '    memory_region_del_subregion(&s->bar, &s->regs);\n', '');
    expect(brief(await pairFindingsOf({ 'hw/fx/bar.c': base }, { 'hw/fx/bar.c': after }))).toEqual([]);
  });
  it('a subregion added to another instance\'s container still needs its del', async () => {
    const base = edit(edit(BAR, '    memory_region_init(&s->bar, OBJECT(s), "fx-bar", 0x4000);\n', ''), 'memory_region_add_subregion(&s->bar, 0, &s->regs)', 'memory_region_add_subregion(&s->parent->bar, 0, &s->regs)').replace('memory_region_del_subregion(&s->bar, &s->regs)', 'memory_region_del_subregion(&s->parent->bar, &s->regs)');
    const after = edit(base, '    memory_region_del_subregion(&s->parent->bar, &s->regs);\n', '');
    const found = await pairFindingsOf({ 'hw/fx/bar.c': base }, { 'hw/fx/bar.c': after });
    expect(found.map((f) => f.ruleId)).toContain('call-asymmetry');
  });
  it('a subregion of an owned container that roots an address space still needs its del', async () => {
    const base = edit(BAR, '    pci_register_bar(', '    address_space_init(&s->as, &s->bar, "fx-as");\n    pci_register_bar(');
    const after = edit(base, '    memory_region_del_subregion(&s->bar, &s->regs);\n', '');
    const found = await pairFindingsOf({ 'hw/fx/bar.c': base }, { 'hw/fx/bar.c': after });
    expect(found.map((f) => f.ruleId)).toContain('call-asymmetry');
  });
  it('a subregion added to a container the device does not own still needs its del', async () => {
    const after = edit(
      BAR,
      '    pci_register_bar(',
      '    memory_region_add_subregion(fx_bus_space(pdev), 0x1000, &s->regs);\n    pci_register_bar(',
    );
    const found = await pairFindingsOf({ 'hw/fx/bar.c': BAR }, { 'hw/fx/bar.c': edit(after, '    memory_region_del_subregion(&s->bar, &s->regs);\n', '') });
    expect(found.map((f) => f.ruleId)).toContain('call-asymmetry');
  });
});

describe('wrapper', () => {
  it('an acquire through a wrapper is released by the wrapper\'s counterpart', async () => {
    let after = edit(DMA, '    req->len = req->size;\n', '    req->len = req->size;\n    req->buf = fx_dev_map(req->dev, req->addr, &req->len);\n');
    after = edit(after, '    fx_req_unaccount(req);\n', '    fx_dev_unmap(req->dev, req->buf, req->len);\n    fx_req_unaccount(req);\n');
    expect(brief(await pairFindingsOf({ 'hw/fx/dma.c': DMA }, { 'hw/fx/dma.c': after }))).toEqual([]);
  });
  it('still fires when the wrapper\'s counterpart is visible and releases nothing', async () => {
    let after = edit(DMA, '    req->len = req->size;\n', '    req->len = req->size;\n    req->buf = fx_dev_map(req->dev, req->addr, &req->len);\n');
    after = edit(after, '    fx_req_unaccount(req);\n', '    fx_dev_unmap(req->dev, req->buf, req->len);\n    fx_req_unaccount(req);\n');
    after = edit(after, '    fx_bus_unmap(d->bus, buffer, len);\n', '    d->mapped = false;\n');
    const found = await pairFindingsOf({ 'hw/fx/dma.c': DMA }, { 'hw/fx/dma.c': after });
    expect(found.map((f) => f.ruleId)).toContain('call-asymmetry');
  });
  it('still fires when nothing on the release side unmaps', async () => {
    const after = edit(DMA, '    req->len = req->size;\n', '    req->len = req->size;\n    req->buf = fx_dev_map(req->dev, req->addr, &req->len);\n');
    const found = await pairFindingsOf({ 'hw/fx/dma.c': DMA }, { 'hw/fx/dma.c': after });
    expect(found.map((f) => f.ruleId)).toContain('call-asymmetry');
  });
});

describe('NULL-safe release', () => {
  it('a release that returns at once when its buffer was never mapped skips nothing', async () => {
    const after = edit(RELEASE, '    fx_buf_unmap(ring->as', '    if (!ring->desc) {\n        return;\n    }\n    fx_buf_unmap(ring->as');
    expect(brief(await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after }))).toEqual([]);
  });
  it('the same with an explicit NULL comparison', async () => {
    const after = edit(RELEASE, '    fx_buf_unmap(ring->as', '    if (ring->desc == NULL) {\n        return;\n    }\n    fx_buf_unmap(ring->as');
    expect(brief(await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after }))).toEqual([]);
  });
  it('a release that tests the length it is given for zero skips nothing', async () => {
    const after = edit(RELEASE, '    fx_buf_unmap(ring->as', '    if (!ring->desc_len) {\n        return;\n    }\n    fx_buf_unmap(ring->as');
    expect(brief(await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after }))).toEqual([]);
  });
  it('an unmap that now returns at once on a NULL or empty buffer skips nothing', async () => {
    const after = edit(RELEASE, '    MemoryRegion *mr = fx_win_region_of(w, buffer);\n', '    MemoryRegion *mr;\n\n    if (!buffer || !len) {\n        return;\n    }\n    mr = fx_win_region_of(w, buffer);\n');
    expect(brief(await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after }))).toEqual([]);
  });
  it('an unmap that returns on a flag of its own still fires', async () => {
    const after = edit(RELEASE, '    MemoryRegion *mr = fx_win_region_of(w, buffer);\n', '    MemoryRegion *mr;\n\n    if (w->frozen) {\n        return;\n    }\n    mr = fx_win_region_of(w, buffer);\n');
    const found = await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after });
    expect(found.map((f) => f.ruleId)).toContain('skip-asymmetry');
  });
  it('a release of each element of a list that returns when the list is empty skips nothing', async () => {
    const after = edit(RELEASE, '    FxChunk *c, *next;\n\n', '    FxChunk *c, *next;\n\n    if (QTAILQ_EMPTY(&pool->chunks)) {\n        return;\n    }\n');
    expect(brief(await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after }))).toEqual([]);
  });
  it('a release skipped on another test still fires', async () => {
    const after = edit(RELEASE, '    fx_buf_unmap(ring->as', '    if (ring->busy) {\n        return;\n    }\n    fx_buf_unmap(ring->as');
    const found = await pairFindingsOf({ 'hw/fx/ring.c': RELEASE }, { 'hw/fx/ring.c': after });
    expect(found.map((f) => f.ruleId)).toContain('skip-asymmetry');
  });
});

describe('not a pair', () => {
  const renameAll = (text: string, from: string, to: string) => text.split(from).join(to);
  it('a release renamed with its callers is asked for no counterpart that no longer exists', async () => {
    const after = renameAll(PORTS, 'fx_port_del', 'fx_port_detach');
    expect(brief(await pairFindingsOf({ 'hw/fx/switch.c': PORTS }, { 'hw/fx/switch.c': after }))).toEqual([]);
  });
  it('an acquire renamed with its callers, body reworked, is asked for no counterpart of its new name', async () => {
    let after = renameAll(PORTS, 'fx_port_add', 'fx_port_attach');
    after = edit(after, '    QLIST_INSERT_HEAD(&sw->ports, p, next);\n', '    p->sw = sw;\n    QLIST_INSERT_HEAD(&sw->ports, p, next);\n');
    expect(brief(await pairFindingsOf({ 'hw/fx/switch.c': PORTS }, { 'hw/fx/switch.c': after }))).toEqual([]);
  });
  it('a new acquire is not asked for a counterpart the same commit renamed away', async () => {
    let after = renameAll(PORTS, 'fx_port_del', 'fx_port_detach');
    after = edit(after, '    sw->nports++;\n', '    sw->nports++;\n}\n\nstatic void fx_switch_hotplug(FxSwitch *sw, FxPort *p)\n{\n    fx_port_add(sw, p);\n    sw->hotplugged++;\n');
    after = edit(after, '    sw->nports--;\n', '    sw->nports--;\n    fx_port_detach(sw, p);\n}\n\nstatic void fx_switch_hotunplug(FxSwitch *sw, FxPort *p)\n{\n    sw->hotplugged--;\n');
    expect(brief(await pairFindingsOf({ 'hw/fx/switch.c': PORTS }, { 'hw/fx/switch.c': after }))).toEqual([]);
  });
  it('a root renamed to a name whose family counterpart does not exist', async () => {
    const after = renameAll(renameAll(PORTS, 'fx_switch_plug', 'fx_switch_add_port'), 'fx_switch_unplug', 'fx_switch_drop_port');
    expect(brief(await pairFindingsOf({ 'hw/fx/switch.c': PORTS }, { 'hw/fx/switch.c': after }))).toEqual([]);
  });
});
