import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runCli, runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const DEVICE = fixture('rules/device.c');
const LISTENER = fixture('rules/listener.c');
/** Another device of the code base that opens and closes a channel: the evidence for fx_chan_open/fx_chan_close. */
const OTHER = `#include "qemu/osdep.h"

static void fx_other_realize(DeviceState *dev, Error **errp)
{
    FxOther *o = FX_OTHER(dev);

    fx_chan_open(&o->chan);
}

static void fx_other_unrealize(DeviceState *dev)
{
    FxOther *o = FX_OTHER(dev);

    fx_chan_close(&o->chan);
}
`;

async function pairFindings(base: Record<string, string>, after: Record<string, string>) {
  const repo = TestRepo.create();
  repo.commit('base', base);
  repo.commit('change', after);
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.category === 'pair');
}

describe('pairs learned from the code base', () => {
  const OPEN = '    fx_dev_reset_state(s);\n    fx_chan_open(&s->chan);\n';
  const after = edit(DEVICE, '    fx_dev_reset_state(s);\n', OPEN);

  it('checks an acquire whose release only an untouched file of the tree shows', async () => {
    const findings = await pairFindings({ 'hw/fx/device.c': DEVICE, 'hw/fx/other.c': OTHER }, { 'hw/fx/device.c': after });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'call-asymmetry', function: 'fx_dev_realize', line: lineOf(after, 'fx_chan_open') });
    expect(findings[0]?.message).toMatch(/fx_dev_unrealize\(\) .* never calls fx_chan_close\(\)/);
  });

  it('knows no pair the code base does not show', async () => {
    expect(await pairFindings({ 'hw/fx/device.c': DEVICE }, { 'hw/fx/device.c': after })).toEqual([]);
  });

  it('is silent when the release side releases the same object', async () => {
    const both = edit(after, '    g_free(s->buf);\n', '    fx_chan_close(&s->chan);\n    g_free(s->buf);\n');
    expect(await pairFindings({ 'hw/fx/device.c': DEVICE, 'hw/fx/other.c': OTHER }, { 'hw/fx/device.c': both })).toEqual([]);
  });
});

describe('the motivating bug in its natural forms', () => {
  const ANCHOR = '    if (memory_region_is_ram_device(section->mr)) {\n        if ((iova & pgmask)';
  const skip = (cond: string) => edit(LISTENER, ANCHOR, `    if (${cond}) {\n        return;\n    }\n\n${ANCHOR}`);
  const forms = [
    'memory_region_is_ram_device(section->mr) && section->mr->skip_iommu_map',
    'memory_region_is_ram_device(section->mr)',
    'memory_region_is_ram_device(section->mr) && !fx_p2p_enabled',
  ];

  it.each(forms)('reports region_add skipping the map under `%s` while region_del still unmaps', async (cond) => {
    const after = skip(cond);
    const findings = await pairFindings({ 'hw/fx/listener.c': LISTENER }, { 'hw/fx/listener.c': after });
    const skips = findings.filter((f) => f.ruleId === 'skip-asymmetry');
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatchObject({
      severity: 'error',
      function: 'fx_container_region_add',
      related: expect.arrayContaining([
        expect.objectContaining({ function: 'fx_listener_region_del', line: lineOf(after, 'ret = vfio_container_dma_unmap(') }),
      ]),
    });
    // region_del tests memory_region_is_ram_device() for the alignment: the message must not say it tests nothing
    expect(skips[0]?.message).toContain(`nothing on the way to that call skips it when \`${cond}\` holds`);
  });

  it('is silent when region_del skips the unmap under the same condition', async () => {
    const cond = forms[0] as string;
    const after = edit(
      skip(cond),
      '    if (try_unmap) {\n',
      `    if (${cond}) {\n        try_unmap = false;\n    }\n\n    if (try_unmap) {\n`,
    );
    const findings = await pairFindings({ 'hw/fx/listener.c': LISTENER }, { 'hw/fx/listener.c': after });
    expect(findings.filter((f) => f.ruleId === 'skip-asymmetry')).toEqual([]);
  });
});

describe('pairlint pairs', () => {
  const tree = tempDir('pairlint-pairs-');
  mkdirSync(join(tree, 'hw', 'fx'), { recursive: true });
  writeFileSync(join(tree, 'hw', 'fx', 'other.c'), OTHER);
  writeFileSync(join(tree, 'hw', 'fx', 'device.c'), DEVICE);

  it('prints the learned pairs with their evidence, mined once and then read from the cache', async () => {
    const cold = await runCli(['pairs', '--tree', tree, '--no-cache']);
    expect(cold.code).toBe(0);
    expect(cold.stdout).toMatch(/^\d+ learned pairs? from 2 C files \(mined\)/);
    expect(cold.stdout).toContain('fx_chan_open / fx_chan_close  support 1 (same function 0, paired functions 1)');
    expect(cold.stdout).toContain('hw/fx/other.c:7 fx_other_realize() acquires, fx_other_unrealize() releases at line 14');
    await runCli(['pairs', '--tree', tree]);
    const warm = await runCli(['pairs', '--tree', tree]);
    expect(warm.stdout).toMatch(/\(cached\)/);
  });

  it('mines again only the files that changed since the last tree mined there', async () => {
    const dir = tempDir('pairlint-pairs-store-');
    mkdirSync(join(dir, 'hw'), { recursive: true });
    writeFileSync(join(dir, 'hw', 'other.c'), OTHER);
    writeFileSync(join(dir, 'hw', 'device.c'), DEVICE);
    const first = JSON.parse((await runCli(['pairs', '--tree', dir, '--format', 'json'])).stdout) as { source: { how: string; mined: number } };
    expect(first.source).toMatchObject({ how: 'mined', mined: 2 });
    writeFileSync(join(dir, 'hw', 'device.c'), DEVICE + '\n/* touched */\n');
    const second = JSON.parse((await runCli(['pairs', '--tree', dir, '--format', 'json'])).stdout) as { source: { how: string; mined: number; files: number } };
    expect(second.source).toMatchObject({ how: 'mined', mined: 1, files: 2 });
    const text = await runCli(['pairs', '--tree', dir]);
    expect(text.stdout).toMatch(/\(cached\)/);
  });

  it('selects the pairs a name is a side of, and speaks JSON', async () => {
    const run = await runCli(['pairs', 'fx_chan_close', '--tree', tree, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { pairs: { acquire: string; release: string; support: number; confidence: number }[] };
    expect(report.pairs).toEqual([expect.objectContaining({ acquire: 'fx_chan_open', release: 'fx_chan_close', support: 1, confidence: 1 })]);
  });

  it('gives a one-line error for a tree that does not exist', async () => {
    const run = await runCli(['pairs', '--tree', join(tree, 'nope')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^pairlint: --tree .*: no such directory\n$/);
  });
});

describe('objects a call produces', () => {
  // evidence elsewhere in the tree: a timer made in realize and freed in unrealize
  const CLOCK = `#include "qemu/osdep.h"

static void fx_clock_realize(DeviceState *dev, Error **errp)
{
    FxClock *c = FX_CLOCK(dev);

    c->tick = fx_timer_new(c->period);
}

static void fx_clock_unrealize(DeviceState *dev)
{
    FxClock *c = FX_CLOCK(dev);

    fx_timer_free(c->tick);
}
`;

  it('compares the field the value is stored in, not the argument it was made from', async () => {
    const after = edit(
      edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n    s->tick = fx_timer_new(s->period);\n'),
      '    g_free(s->buf);\n',
      '    fx_timer_free(s->tick);\n    g_free(s->buf);\n',
    );
    expect(await pairFindings({ 'hw/fx/device.c': DEVICE, 'hw/fx/clock.c': CLOCK }, { 'hw/fx/device.c': after })).toEqual([]);
    const leaks = edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n    s->tick = fx_timer_new(s->period);\n');
    const findings = await pairFindings({ 'hw/fx/device.c': DEVICE, 'hw/fx/clock.c': CLOCK }, { 'hw/fx/device.c': leaks });
    expect(findings.map((f) => f.ruleId)).toEqual(['call-asymmetry']);
    expect(findings[0]?.message).toContain('fx_timer_free()');
  });
});
