/**
 * The learned table follows the tree through a range: a commit is checked
 * with the pairs its base and its own post-image show, and once it is
 * checked, what its touched functions showed before leaves the table. A pair
 * whose last use a commit removed is not asked of the commits after it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit } from '../support/fixtures.js';
import { emptyLearnedData, subtractEvidence, addEvidence } from '../../src/pairs/learn/learned.js';
import type { FileEvidence } from '../../src/pairs/learn/evidence.js';

afterAll(cleanupTempDirs);

/** The only code of the tree that shows fx_chan_open / fx_chan_close as a pair. */
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

static void fx_other_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_other_realize;
    dc->unrealize = fx_other_unrealize;
}
`;

/** The same channel, now opened and closed by the bus: the device no longer does either. */
const OTHER_WITHOUT = edit(edit(OTHER, '\n    fx_chan_open(&o->chan);\n', '\n    fx_bus_attach(&o->chan);\n'), '\n    fx_chan_close(&o->chan);\n', '\n    fx_bus_detach(&o->chan);\n');

const DEVICE = `#include "qemu/osdep.h"

static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxDev *s = FX_DEV(dev);

    fx_dev_reset_state(s);
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxDev *s = FX_DEV(dev);

    g_free(s->buf);
}

static void fx_dev_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
const DEVICE_OPENS = edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n    fx_chan_open(&s->chan);\n');

async function pairFindings(commits: Record<string, string>[]) {
  const repo = TestRepo.create();
  repo.commit('base', { 'hw/fx/other.c': OTHER, 'hw/fx/device.c': DEVICE });
  commits.forEach((files, i) => repo.commit(`change ${i + 1}`, files));
  return (await runJson([`HEAD~${commits.length}..HEAD`, '-C', repo.dir])).findings.filter((f) => f.category === 'pair');
}

describe('the learned table through a range', () => {
  it('asks a pair of a later commit while the tree still shows it', async () => {
    const findings = await pairFindings([{ 'hw/fx/other.c': edit(OTHER, 'static void fx_other_class_init', 'static void fx_other_noop(void)\n{\n}\n\nstatic void fx_other_class_init') }, { 'hw/fx/device.c': DEVICE_OPENS }]);
    expect(findings.map((f) => [f.ruleId, f.function, f.commit?.subject])).toEqual([['call-asymmetry', 'fx_dev_realize', 'change 2']]);
  });

  it('no longer asks it once a commit has removed its last use', async () => {
    const findings = await pairFindings([{ 'hw/fx/other.c': OTHER_WITHOUT }, { 'hw/fx/device.c': DEVICE_OPENS }]);
    expect(findings.filter((f) => f.commit?.subject === 'change 2')).toEqual([]);
  });

  it('still checks the commit that removes a release with the pair known', async () => {
    const onlyClose = edit(OTHER, '\n    fx_chan_close(&o->chan);\n', '\n    fx_bus_detach(&o->chan);\n');
    const findings = await pairFindings([{ 'hw/fx/other.c': onlyClose }]);
    expect(findings.map((f) => [f.ruleId, f.function])).toEqual([['call-asymmetry', 'fx_other_unrealize']]);
  });
});

describe('subtractEvidence', () => {
  const site = { path: 'a.c', fn: 'f', line: 3, releaseFn: 'f', releaseLine: 5, kind: 'same-function' as const };
  const ev = (n: number): FileEvidence => ({
    path: 'a.c',
    calls: { fx_open: n },
    pairs: { 'fx_open\u0000fx_close': { acquire: 'fx_open', release: 'fx_close', morphology: true, sameFunction: n, pairedFunctions: 0, examples: [site] } },
  });

  it('drops the sites and calls taken back, and the pair when none is left', () => {
    const data = emptyLearnedData();
    addEvidence(data, ev(2));
    expect(subtractEvidence(data, ev(1))).toBe(true);
    expect(data.pairs['fx_open\u0000fx_close']).toMatchObject({ sameFunction: 1, examples: [] });
    expect(data.calls).toEqual({ fx_open: 1 });
    subtractEvidence(data, ev(1));
    expect(data.pairs).toEqual({});
    expect(data.calls).toEqual({});
  });
});
