/**
 * Differential pair balance, moved code: a commit that moves functions to
 * another file (a file split, a function moved into an existing file), moves
 * a release into a generic teardown elsewhere, or into a new helper the
 * release side calls, adds no imbalance, whatever the moved code already
 * did. Each silent test has a sibling that makes a real imbalance in the
 * same fixture, so it cannot pass by the rule going silent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const fx = (name: string) => fixture(`rules/differential/${name}`);

const lintChange = pairFindingsOf;

/** Cut `text` from the line holding `from` up to (not including) the line holding `to`: [rest, piece]. */
function cut(text: string, from: string, to: string): [string, string] {
  const start = text.lastIndexOf('\n', text.indexOf(from)) + 1;
  const end = text.lastIndexOf('\n', text.indexOf(to)) + 1;
  if (text.indexOf(from) < 0 || text.indexOf(to) < 0 || end <= start) throw new Error(`cut: ${from}..${to} not found`);
  return [text.slice(0, start) + text.slice(end), text.slice(start, end)];
}

describe('a file split', () => {
  const PCI = fx('split-pci.c');
  // The quirk functions move verbatim, early return included, to a new fx-pci-quirks.c.
  const [PCI_AFTER, QUIRKS] = cut(PCI, '/* BAR quirks: begin */', 'static void fx_pci_realize');
  const QUIRKS_FILE = '/* BAR quirks of the fx PCI device, split out of fx-pci.c. */\n#include "qemu/osdep.h"\n#include "fixture-pci.h"\n\n' + QUIRKS;

  it('is silent when functions move verbatim, with their early returns, to a new file', async () => {
    const findings = await lintChange(
      { 'hw/fx/fx-pci.c': PCI },
      { 'hw/fx/fx-pci.c': PCI_AFTER, 'hw/fx/fx-pci-quirks.c': QUIRKS_FILE },
    );
    expect(findings).toEqual([]);
  });

  it('still reports an early return the split adds to a moved function', async () => {
    const quirks = edit(
      QUIRKS_FILE,
      '    if (!fx_quirk_applies(p, nr)) {\n',
      '    if (fx_quirks_disabled(p)) {\n        return;\n    }\n    if (!fx_quirk_applies(p, nr)) {\n',
    );
    const findings = await lintChange({ 'hw/fx/fx-pci.c': PCI }, { 'hw/fx/fx-pci.c': PCI_AFTER, 'hw/fx/fx-pci-quirks.c': quirks });
    expect(findings.map((f) => [f.ruleId, f.file, f.function, f.line])).toEqual([
      ['skip-asymmetry', 'hw/fx/fx-pci-quirks.c', 'fx_bar_quirk_setup', lineOf(quirks, 'fx_quirks_disabled')],
    ]);
  });
});

describe('a function moved into another existing file', () => {
  const DEV = fx('move-dev.c');
  const GROUP = fx('move-group.c');
  const [DEV_AFTER, MOVED] = cut(DEV, 'void fx_dev_attach_group', 'static void fx_dev_realize');
  const GROUP_AFTER = GROUP + '\n' + MOVED.trimEnd() + '\n';

  it('is silent when attach/detach move verbatim into fx-group.c', async () => {
    // fx_dev_attach_group() already returned early for shared groups, and detach never tested it.
    const findings = await lintChange(
      { 'hw/fx/fx-dev.c': DEV, 'hw/fx/fx-group.c': GROUP },
      { 'hw/fx/fx-dev.c': DEV_AFTER, 'hw/fx/fx-group.c': GROUP_AFTER },
    );
    expect(findings).toEqual([]);
  });

  it('still reports an acquire the move adds to a moved function', async () => {
    const group = edit(
      GROUP_AFTER,
      '    group->owner = d;\n',
      '    group->owner = d;\n    memory_listener_register(&group->listener, &address_space_memory);\n',
    );
    const findings = await lintChange(
      { 'hw/fx/fx-dev.c': DEV, 'hw/fx/fx-group.c': GROUP },
      { 'hw/fx/fx-dev.c': DEV_AFTER, 'hw/fx/fx-group.c': group },
    );
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([
      ['call-asymmetry', 'fx_dev_attach_group', lineOf(group, 'memory_listener_register')],
    ]);
  });
});

describe('a release moved into a generic teardown in another file', () => {
  const BASE = {
    'hw/fx/fx-net.c': fx('teardown-net.c'),
    'hw/fx/fx-blk.c': fx('teardown-blk.c'),
    'hw/fx/fx-bus.c': fx('teardown-bus.c'),
  };
  const TEARDOWN =
    'static void fx_bus_device_teardown(FxBusDevice *bdev)\n{\n    event_notifier_cleanup(&bdev->kick);\n}\n\n';
  const BUS_AFTER = edit(
    edit(BASE['hw/fx/fx-bus.c'], '    k->unrealize(bdev);\n', '    k->unrealize(bdev);\n    fx_bus_device_teardown(bdev);\n'),
    'static void fx_bus_device_unrealize',
    TEARDOWN + 'static void fx_bus_device_unrealize',
  );

  it('is silent when each device drops its cleanup and the bus cleans up for all of them', async () => {
    const findings = await lintChange(BASE, {
      'hw/fx/fx-net.c': edit(BASE['hw/fx/fx-net.c'], '    event_notifier_cleanup(&n->parent.kick);\n', ''),
      'hw/fx/fx-blk.c': edit(BASE['hw/fx/fx-blk.c'], '    event_notifier_cleanup(&b->parent.kick);\n', ''),
      'hw/fx/fx-bus.c': BUS_AFTER,
    });
    expect(findings).toEqual([]);
  });

  it('still reports the dropped cleanups when no teardown takes them over', async () => {
    const findings = await lintChange(BASE, {
      'hw/fx/fx-net.c': edit(BASE['hw/fx/fx-net.c'], '    event_notifier_cleanup(&n->parent.kick);\n', ''),
      'hw/fx/fx-blk.c': edit(BASE['hw/fx/fx-blk.c'], '    event_notifier_cleanup(&b->parent.kick);\n', ''),
    });
    expect(findings.map((f) => [f.ruleId, f.function]).sort()).toEqual([
      ['call-asymmetry', 'fx_blk_unrealize'],
      ['call-asymmetry', 'fx_net_unrealize'],
    ]);
  });
});

describe('a release moved into a helper', () => {
  const PATH = 'hw/fx/fx-listener.c';
  const LISTENER = fx('unmap-helper.c');
  const UNMAP = '        vfio_container_dma_unmap(fc->bcontainer, iova, size, NULL, false);\n';
  const HELPER =
    'static void fx_unmap_one(FxContainer *c, hwaddr start, uint64_t len)\n{\n' +
    '    if (vfio_container_dma_unmap(c->bcontainer, start, len, NULL, false)) {\n' +
    '        error_report("fx: unmap of 0x%"PRIx64" failed", start);\n    }\n}\n\n';

  /** Replace each unmap of region_del (one per branch) with `to`. */
  function replaceUnmaps(text: string, to: string): string {
    return text.split(UNMAP).join(to);
  }

  it('is silent when the unmap moves into a new helper that region_del calls on every path', async () => {
    const after = edit(
      replaceUnmaps(LISTENER, '        fx_unmap_one(fc, iova, size);\n'),
      'static void fx_listener_region_del',
      HELPER + 'static void fx_listener_region_del',
    );
    expect(await lintChange({ [PATH]: LISTENER }, { [PATH]: after })).toEqual([]);
  });

  it('still reports the unmap dropped from region_del', async () => {
    const after = replaceUnmaps(LISTENER, '        fx_giommu_note(fc, section);\n');
    const findings = await lintChange({ [PATH]: LISTENER }, { [PATH]: after });
    expect(findings.map((f) => [f.ruleId, f.function])).toEqual([['call-asymmetry', 'fx_listener_region_del']]);
    expect(findings[0]?.message).toMatch(/no longer calls vfio_container_dma_unmap\(\)/);
  });
});
