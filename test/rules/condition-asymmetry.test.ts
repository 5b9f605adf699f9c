import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/bus.c';
const BASE = fixture('rules/bus-window.c');
const UNREGISTER = '    bus->devs[d->slot] = NULL;\n';
const DEL = '    memory_region_del_subregion(&d->container, &d->window);\n';

async function lintChange(base: string, after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: base });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'condition-asymmetry');
}

describe('condition-asymmetry', () => {
  it('fires when unregister gains an unconditional del of a subregion register adds only on hotplug', async () => {
    const after = edit(BASE, UNREGISTER, UNREGISTER + DEL);
    const findings = await lintChange(BASE, after);
    expect(findings).toHaveLength(1);
    const add = lineOf(after, 'memory_region_add_subregion');
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      file: PATH,
      function: 'fx_dev_unregister',
      line: lineOf(after, 'memory_region_del_subregion'),
      related: [
        { file: PATH, line: add, function: 'fx_init_window' },
        { file: PATH, line: lineOf(after, 'if (fx_hotplug)'), function: 'fx_dev_register' },
      ],
    });
    expect(findings[0]?.message).toContain(
      `fx_init_window() calls memory_region_add_subregion() only when \`fx_hotplug\` (${PATH}:${add}, reached from fx_dev_register())`,
    );
    expect(findings[0]?.message).toMatch(/undoes what was never done/);
  });

  it('is silent when the del tests the region first', async () => {
    const guarded = '    if (memory_region_is_mapped(&d->window)) {\n    ' + DEL + '    }\n';
    expect(await lintChange(BASE, edit(BASE, UNREGISTER, UNREGISTER + guarded))).toEqual([]);
  });

  it('is silent when register adds the subregion always', async () => {
    const always = edit(BASE, '    if (fx_hotplug) {\n        fx_init_window(d);\n    }\n', '    fx_init_window(d);\n');
    expect(await lintChange(always, edit(always, UNREGISTER, UNREGISTER + DEL))).toEqual([]);
  });

  it('is silent when the unconditional del was already there', async () => {
    const before = edit(BASE, UNREGISTER, UNREGISTER + DEL);
    const after = edit(before, '    return 0;\n', '    d->registered = true;\n    return 0;\n');
    expect(await lintChange(before, after)).toEqual([]);
  });

  // The other direction: an acquire put under a new condition while the release stays unconditional.
  const MMIO_ADD = '    memory_region_add_subregion(&d->container, 0x1000, &d->mmio);\n';
  const MMIO_DEL = '    memory_region_del_subregion(&d->container, &d->mmio);\n';
  const DIRECT = edit(edit(BASE, '    bus->devs[d->slot] = d;\n', MMIO_ADD + '    bus->devs[d->slot] = d;\n'), UNREGISTER, UNREGISTER + MMIO_DEL);
  const ONLY_SOME = edit(DIRECT, MMIO_ADD, '    if (d->has_mmio) {\n    ' + MMIO_ADD + '    }\n');

  it('fires when register starts adding a subregion only for some devices', async () => {
    const findings = await lintChange(DIRECT, ONLY_SOME);
    expect(findings).toHaveLength(1);
    const del = lineOf(ONLY_SOME, 'memory_region_del_subregion(&d->container, &d->mmio)');
    expect(findings[0]).toMatchObject({
      function: 'fx_dev_register',
      line: lineOf(ONLY_SOME, 'if (d->has_mmio)'),
      related: [{ file: PATH, line: del, function: 'fx_dev_unregister' }],
    });
    expect(findings[0]?.message).toContain('fx_dev_register() now calls memory_region_add_subregion() only when `d->has_mmio`');
    expect(findings[0]?.message).toContain(`fx_dev_unregister() still calls memory_region_del_subregion() at ${PATH}:${del}`);
  });

  it('is silent when unregister tests the same condition', async () => {
    const after = edit(ONLY_SOME, MMIO_DEL, '    if (d->has_mmio) {\n    ' + MMIO_DEL + '    }\n');
    expect(await lintChange(DIRECT, after)).toEqual([]);
  });

  it('is silent when the other branch adds the same subregion another way', async () => {
    const otherWay = edit(
      DIRECT,
      MMIO_ADD,
      '    if (d->has_mmio) {\n    ' + MMIO_ADD + '    } else {\n        memory_region_add_subregion_overlap(&d->container, 0, &d->mmio, 1);\n    }\n',
    );
    expect(await lintChange(DIRECT, otherWay)).toEqual([]);
  });
});

describe('a release that checks for itself', () => {
  // memory_listener_unregister() returns at once for a listener never registered (safeRelease in the pair table)
  const DEVICE = fixture('rules/device.c');
  const DEVICE_PATH = 'hw/fx/device.c';
  const REGISTER = '    memory_listener_register(&s->listener, &address_space_memory);\n';
  const WITH_LISTENER = edit(
    edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n' + REGISTER),
    '    g_free(s->buf);\n',
    '    memory_listener_unregister(&s->listener);\n    g_free(s->buf);\n',
  );

  async function pairFindings(base: string, after: string) {
    const repo = TestRepo.create();
    repo.commit('base', { [DEVICE_PATH]: base });
    repo.commit('change', { [DEVICE_PATH]: after });
    return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.category === 'pair');
  }

  it('is no asymmetry when only the register is put under a condition', async () => {
    const after = edit(WITH_LISTENER, REGISTER, '    if (s->track_ram) {\n    ' + REGISTER + '    }\n');
    expect(await pairFindings(WITH_LISTENER, after)).toEqual([]);
  });

  it('is no asymmetry when realize learns to return before the register', async () => {
    const after = edit(WITH_LISTENER, REGISTER, '    if (!s->track_ram) {\n        return;\n    }\n' + REGISTER);
    expect(await pairFindings(WITH_LISTENER, after)).toEqual([]);
  });

  it('still reports a release that does not check for itself under the same change', async () => {
    // the same shape with a subregion, whose del asserts it was added
    const ADD = '    memory_region_add_subregion(&s->container, 0, &s->window);\n';
    const base = edit(
      edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n' + ADD),
      '    g_free(s->buf);\n',
      '    memory_region_del_subregion(&s->container, &s->window);\n    g_free(s->buf);\n',
    );
    const after = edit(base, ADD, '    if (s->track_ram) {\n    ' + ADD + '    }\n');
    expect((await pairFindings(base, after)).map((f) => [f.ruleId, f.function])).toEqual([['condition-asymmetry', 'fx_dev_realize']]);
  });
});

describe('condition-asymmetry with pairs the commit itself shows', () => {
  // a PCI-style class: realize and exit are paired by their slots, which name no pair in the built-in table
  const PCI = `#include "qemu/osdep.h"

static void fx_pci_realize(PCIDevice *pdev, Error **errp)
{
    FxPci *s = FX_PCI(pdev);

    fx_pci_setup_bars(s);
}

static void fx_pci_exit(PCIDevice *pdev)
{
    FxPci *s = FX_PCI(pdev);

    fx_pci_teardown_bars(s);
}

static void fx_pci_class_init(ObjectClass *klass, void *data)
{
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = fx_pci_realize;
    k->exit = fx_pci_exit;
}
`;
  async function lintPci(after: string) {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/pci.c': PCI });
    repo.commit('change', { 'hw/fx/pci.c': after });
    return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'condition-asymmetry');
  }
  const withNotifier = (add: string) =>
    edit(
      edit(PCI, '    fx_pci_setup_bars(s);\n', `    fx_pci_setup_bars(s);\n${add}`),
      '    fx_pci_teardown_bars(s);\n',
      '    fx_irq_remove_change_notifier(&s->irq_notifier);\n    fx_pci_teardown_bars(s);\n',
    );

  it('fires when realize adds a notifier only for some devices and exit removes it always', async () => {
    const after = withNotifier('    if (fx_pci_has_pin(s)) {\n        fx_irq_add_change_notifier(&s->irq_notifier);\n    }\n');
    const findings = await lintPci(after);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ function: 'fx_pci_exit', line: lineOf(after, 'fx_irq_remove_change_notifier') });
    expect(findings[0]?.message).toContain('only when `fx_pci_has_pin(s)`');
  });

  it('is silent when realize adds it always', async () => {
    expect(await lintPci(withNotifier('    fx_irq_add_change_notifier(&s->irq_notifier);\n'))).toEqual([]);
  });
});
