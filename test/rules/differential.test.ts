/**
 * Differential pair balance: a pair rule reports only an imbalance the
 * commit introduces. Each test here is a shape of commit that used to raise a
 * false alarm (a rename, a wrapper, a trace point, an early exit that guards
 * nothing acquired, a temporary...) and must now be silent; where it makes
 * sense, a sibling test makes a real imbalance in the same fixture and checks
 * it is still reported, so the silent test cannot pass by the rule going deaf.
 * Moves (file splits, functions moved between files, a release moved into a
 * helper or a generic teardown) are in differential-moves.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const fx = (name: string) => fixture(`rules/differential/${name}`);

const lintChange = pairFindingsOf;

describe('renames', () => {
  const PATH = 'hw/fx/fx-pci.c';
  const BASE = fx('rename-device.c');
  // fx_dev_exitfn becomes fx_dev_unrealize: realize/unrealize now pair by name family.
  const RENAMED = edit(
    edit(BASE, 'static void fx_dev_exitfn(PCIDevice *pdev)', 'static void fx_dev_unrealize(PCIDevice *pdev)'),
    '    k->exit = fx_dev_exitfn;\n',
    '    k->exit = fx_dev_unrealize;\n',
  );

  it('is silent when a rename makes a pair appear over an imbalance the base already had', async () => {
    // realize's memory_listener_register() was never undone by the exit hook: not this commit's doing.
    expect(await lintChange({ [PATH]: BASE }, { [PATH]: RENAMED })).toEqual([]);
  });

  it('still reports an acquire the renaming commit adds', async () => {
    const after = edit(
      RENAMED,
      '    fx_dev_reset_regs(s);\n',
      '    fx_dev_reset_regs(s);\n    memory_region_add_subregion(&s->bar, FX_REGS_OFFSET, &s->regs_mr);\n',
    );
    const findings = await lintChange({ [PATH]: BASE }, { [PATH]: after });
    // the new subregion, and only it: the listener was unbalanced before the commit
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_dev_realize', lineOf(after, 'memory_region_add_subregion')],
    ]);
    expect(findings[0]?.message).toMatch(/memory_region_del_subregion\(\)/);
  });

  const CALLEE = fx('rename-callee.c');
  // fx_enable_intx (defined elsewhere) is renamed at its only call site: enable/disable now pair by family.
  const CALLEE_RENAMED = edit(CALLEE, '    fx_enable_intx(s);\n', '    fx_intx_enable(s);\n');

  it('is silent when a callee renamed at every call site makes a family pair appear', async () => {
    expect(await lintChange({ [PATH]: CALLEE }, { [PATH]: CALLEE_RENAMED })).toEqual([]);
  });

  it('still reports a new acquire in the commit that renames the callee', async () => {
    const after = edit(
      CALLEE_RENAMED,
      '    s->regs[FX_REG_STATUS] = 0;\n',
      '    s->regs[FX_REG_STATUS] = 0;\n    memory_listener_register(&s->listener, &address_space_memory);\n',
    );
    const findings = await lintChange({ [PATH]: CALLEE }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_dev_init_regs', lineOf(after, 'memory_listener_register')],
    ]);
  });

  it('is silent about the renamed callee when the renaming commit also adds a call next to it', async () => {
    // The rename is the same; the function around it gains a call, so its call list no longer
    // lines up one to one with the pre-image's. Only the new register is this commit's.
    const after = edit(
      CALLEE_RENAMED,
      '    fx_intx_enable(s);\n',
      '    fx_intx_enable(s);\n    memory_listener_register(&s->listener, &address_space_memory);\n',
    );
    const findings = await lintChange({ [PATH]: CALLEE }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_dev_realize', lineOf(after, 'memory_listener_register')],
    ]);
  });
});

describe('wrappers', () => {
  const PATH = 'hw/fx/fx-dev.c';
  const NOTIFIER = fx('wrapper-notifier.c');
  const WRAPPER =
    'static void fx_notifier_cleanup(FxDev *s, EventNotifier *e)\n{\n    event_notifier_cleanup(e);\n}\n\n';

  it('is silent when the releases go through a new one-line wrapper (no functional change)', async () => {
    const after = edit(
      edit(
        edit(NOTIFIER, '    event_notifier_cleanup(&s->call);\n', '    fx_notifier_cleanup(s, &s->call);\n'),
        '    event_notifier_cleanup(&s->kick);\n',
        '    fx_notifier_cleanup(s, &s->kick);\n',
      ),
      'static void fx_dev_unrealize(DeviceState *dev)\n',
      WRAPPER + 'static void fx_dev_unrealize(DeviceState *dev)\n',
    );
    expect(await lintChange({ [PATH]: NOTIFIER }, { [PATH]: after })).toEqual([]);
  });

  it('still reports the releases when the commit drops them', async () => {
    const after = edit(NOTIFIER, '    event_notifier_cleanup(&s->call);\n    event_notifier_cleanup(&s->kick);\n', '');
    const findings = await lintChange({ [PATH]: NOTIFIER }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function])).toEqual([['call-asymmetry', 'fx_dev_unrealize']]);
    expect(findings[0]?.message).toMatch(/no longer calls event_notifier_cleanup\(\)/);
  });

  it('still reports one release dropped while another of the same callee stays', async () => {
    // event_notifier_cleanup(&s->kick) is still there, but it does not undo the init of s->call.
    const after = edit(NOTIFIER, '    event_notifier_cleanup(&s->call);\n', '');
    const findings = await lintChange({ [PATH]: NOTIFIER }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function])).toEqual([['call-asymmetry', 'fx_dev_unrealize']]);
  });

  const STOP = fx('wrapper-stop.c');
  const STOP_PATH = 'hw/fx/fx-engine.c';

  it('is silent when stop becomes a wrapper of a new function that still releases', async () => {
    const after = edit(
      STOP,
      'void fx_engine_stop(FxEngine *s)\n{\n    fx_engine_drain(s);\n    memory_listener_unregister(&s->listener);\n    s->running = false;\n}\n',
      'static void do_fx_engine_stop(FxEngine *engine, bool drain)\n{\n    if (drain) {\n        fx_engine_drain(engine);\n    }\n' +
        '    memory_listener_unregister(&engine->listener);\n    engine->running = false;\n}\n\n' +
        'void fx_engine_stop(FxEngine *s)\n{\n    do_fx_engine_stop(s, true);\n}\n',
    );
    expect(await lintChange({ [STOP_PATH]: STOP }, { [STOP_PATH]: after })).toEqual([]);
  });
});

describe('trace and log calls', () => {
  const PATH = 'hw/fx/fx-dma.c';
  const DMA = fx('trace-dma.c');
  const SCRATCH = '    if (fx_range_is_scratch(fc, iova)) {\n        return ret;\n    }\n';

  it('is silent on a new early return in unmap that skips only a trace point and an error report', async () => {
    const after = edit(DMA, '    trace_fx_unmap_dma(iova, size, ret);\n', SCRATCH + '    trace_fx_unmap_dma(iova, size, ret);\n');
    expect(await lintChange({ [PATH]: DMA }, { [PATH]: after })).toEqual([]);
  });

  it('still reports the same early return put before the unmap', async () => {
    const after = edit(
      DMA,
      '    ret = vfio_container_dma_unmap(',
      '    if (fx_range_is_scratch(fc, iova)) {\n        return 0;\n    }\n    ret = vfio_container_dma_unmap(',
    );
    const findings = await lintChange({ [PATH]: DMA }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['skip-asymmetry', 'fx_dma_unmap', lineOf(after, 'fx_range_is_scratch')],
    ]);
  });

  const BRANCH = fx('trace-branch.c');
  const BRANCH_PATH = 'hw/fx/fx-iommu.c';

  it('is silent when one branch of an attach/detach if gains a trace point', async () => {
    const after = edit(
      BRANCH,
      '        fx_domain_detach(iommu->domain, fdev->sid);\n',
      '        trace_fx_detach(fdev->sid);\n        fx_domain_detach(iommu->domain, fdev->sid);\n',
    );
    expect(await lintChange({ [BRANCH_PATH]: BRANCH }, { [BRANCH_PATH]: after })).toEqual([]);
  });

  it('still reports an undo added to one branch only', async () => {
    const after = edit(
      BRANCH,
      '        fx_domain_detach(iommu->domain, fdev->sid);\n',
      '        fx_domain_detach(iommu->domain, fdev->sid);\n        fx_domain_unref(iommu->domain);\n',
    );
    const findings = await lintChange({ [BRANCH_PATH]: BRANCH }, { [BRANCH_PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['branch-asymmetry', 'fx_iommu_set_attached', lineOf(after, 'fx_domain_unref')],
    ]);
  });
});

describe('an acquire the acquire side releases itself', () => {
  const PATH = 'hw/fx/fx-dev.c';
  const DEV = fx('temporary.c');
  const PROBE =
    '    feature = fx_feature_create(s->caps_offset);\n' +
    '    s->dirty_tracking = fx_feature_has(feature, FX_FEATURE_DIRTY);\n';
  const withProbe = (probe: string) =>
    edit(
      edit(DEV, '    fx_dev_reset_regs(s);\n', '    fx_dev_reset_regs(s);\n' + probe),
      '    FxDev *s = FX_DEV(dev);\n\n    s->regs',
      '    FxDev *s = FX_DEV(dev);\n    FxFeature *feature;\n\n    s->regs',
    );

  it('is silent on a temporary that realize creates and destroys before it returns', async () => {
    const after = withProbe(PROBE + '    fx_feature_destroy(feature);\n');
    expect(await lintChange({ [PATH]: DEV }, { [PATH]: after })).toEqual([]);
  });

  it('still reports the create when realize keeps it and nothing destroys it', async () => {
    const after = withProbe(PROBE + '    s->feature = feature;\n');
    const findings = await lintChange({ [PATH]: DEV }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_dev_realize', lineOf(after, 'fx_feature_create')],
    ]);
  });
});

describe('a deferred release', () => {
  const PATH = 'system/fx-ram.c';
  const RAM = fx('deferred.c');
  const REF = edit(RAM, '    block->idstr = g_strdup(block->name);\n', '    block->idstr = g_strdup(block->name);\n    memory_region_ref(block->mr);\n');

  it('is silent when the release is added to the function the release side hands to call_rcu()', async () => {
    const after = edit(REF, '    g_free(block->idstr);\n', '    memory_region_unref(block->mr);\n    g_free(block->idstr);\n');
    expect(await lintChange({ [PATH]: RAM }, { [PATH]: after })).toEqual([]);
  });

  it('still reports the acquire when the RCU callback does not release it either', async () => {
    const findings = await lintChange({ [PATH]: RAM }, { [PATH]: REF });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_ram_block_add', lineOf(REF, 'memory_region_ref')],
    ]);
  });
});

describe('unit tests named like a pair', () => {
  const PATH = 'tests/unit/test-fx-subregion.c';
  const TESTS = fx('test-fx-subregion.c');
  const SKIP = '    if (!fx_test_have_overlap()) {\n        g_test_skip("no overlapping subregions");\n        return;\n    }\n';
  const skipAdd = (text: string) => edit(text, '    memory_region_add_subregion(t->root', SKIP + '    memory_region_add_subregion(t->root');

  it('is silent when test_add_x(), registered with g_test_add_func(), learns to skip', async () => {
    // test_add_subregion() and test_remove_subregion() are independent tests, not two sides of a pair.
    expect(await lintChange({ [PATH]: TESTS }, { [PATH]: skipAdd(TESTS) })).toEqual([]);
  });

  it('still reports the same skip when the two functions are not registered as tests', async () => {
    const helpers = TESTS.slice(0, TESTS.indexOf('int main('));
    const after = skipAdd(helpers);
    const findings = await lintChange({ [PATH]: helpers }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['skip-asymmetry', 'test_add_subregion', lineOf(after, 'fx_test_have_overlap')],
    ]);
  });
});

describe('an acquire skipped because the state is inherited', () => {
  const PATH = 'backends/fx-iommufd.c';
  const CPR = fx('cpr.c');
  const skipTo = (predicate: string) =>
    edit(
      edit(CPR, '    ret = fx_hwpt_attach(', `    if (${predicate}) {\n        goto skip_attach;\n    }\n    ret = fx_hwpt_attach(`),
      '    d->ioas = ioas;\n',
      'skip_attach:\n    d->ioas = ioas;\n',
    );

  it('is silent on a CPR skip: on an incoming CPR the attachment already exists, and detach must still undo it', async () => {
    expect(await lintChange({ [PATH]: CPR }, { [PATH]: skipTo('cpr_is_incoming()') })).toEqual([]);
  });

  it('still reports the same goto under another predicate', async () => {
    const after = skipTo('fx_ioas_is_bypass(ioas)');
    const findings = await lintChange({ [PATH]: CPR }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['skip-asymmetry', 'fx_device_attach', lineOf(after, 'fx_ioas_is_bypass')],
    ]);
  });

  it('still reports that goto when detach names the IOAS through the device', async () => {
    // `d->ioas->hwpt_id` in detach is the `ioas->hwpt_id` attach used: the same object by another path.
    const base = edit(CPR, '    FxIOAS *ioas = d->ioas;\n\n    fx_hwpt_detach(d, ioas->hwpt_id);\n', '    fx_hwpt_detach(d, d->ioas->hwpt_id);\n');
    const after = edit(
      edit(base, '    ret = fx_hwpt_attach(', '    if (fx_ioas_is_bypass(ioas)) {\n        goto skip_attach;\n    }\n    ret = fx_hwpt_attach('),
      '    d->ioas = ioas;\n',
      'skip_attach:\n    d->ioas = ioas;\n',
    );
    const findings = await lintChange({ [PATH]: base }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['skip-asymmetry', 'fx_device_attach', lineOf(after, 'fx_ioas_is_bypass')],
    ]);
  });
});

describe('an open-coded undo', () => {
  const PATH = 'hw/fx/fx-container.c';
  const GROUPS = fx('open-undo.c');
  const OPEN_CODED = '    QLIST_INSERT_HEAD(&c->groups, group, next);\n    fx_group_add_kvm_device(group);\n    return 0;\n';
  const useHelper = (text: string) => edit(text, OPEN_CODED, '    fx_group_add(c, group);\n    return 0;\n');

  it('is silent when connect calls fx_group_add() and disconnect undoes its body without fx_group_del()', async () => {
    expect(await lintChange({ [PATH]: GROUPS }, { [PATH]: useHelper(GROUPS) })).toEqual([]);
  });

  it('still reports the helper when it does more than disconnect undoes', async () => {
    const base = edit(
      edit(GROUPS, '    fx_group_add_kvm_device(group);\n}\n', '    fx_group_add_kvm_device(group);\n    memory_listener_register(&group->listener, &address_space_memory);\n}\n'),
      '    fx_group_del_kvm_device(group);\n    QLIST_REMOVE(group, next);\n}\n',
      '    memory_listener_unregister(&group->listener);\n    fx_group_del_kvm_device(group);\n    QLIST_REMOVE(group, next);\n}\n',
    );
    const after = useHelper(base);
    const findings = await lintChange({ [PATH]: base }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_container_connect', lineOf(after, 'fx_group_add(c, group)')],
    ]);
  });
});

describe('an imbalance the base already has', () => {
  const PATH = 'hw/fx/fx-dev.c';
  const DEV = fx('preexisting.c');
  const SECOND_SITE = edit(
    DEV,
    '    memory_listener_register(&s->listener, &address_space_memory);\n',
    '    if (s->snoop_io) {\n        memory_listener_register(&s->listener, &address_space_io);\n    } else {\n' +
      '        memory_listener_register(&s->listener, &address_space_memory);\n    }\n',
  );

  it('is silent when the commit only adds a second call site of an acquire that was never released', async () => {
    expect(await lintChange({ [PATH]: DEV }, { [PATH]: SECOND_SITE })).toEqual([]);
  });

  it('still reports a new acquire in the same commit', async () => {
    const after = edit(SECOND_SITE, '    s->listener = fx_dev_listener;\n', '    s->listener = fx_dev_listener;\n    memory_region_ref(s->ram_mr);\n');
    const findings = await lintChange({ [PATH]: DEV }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_dev_realize', lineOf(after, 'memory_region_ref')],
    ]);
  });
});
