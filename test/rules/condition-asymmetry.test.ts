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
});
