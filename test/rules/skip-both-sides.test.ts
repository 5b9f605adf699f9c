/**
 * A skip that keeps a function from both sides of a pair is mirrored by
 * itself: a set_status that returns when the device is already in the state
 * asked for, then starts or stops it, skips the start and the stop alike.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/fx-vhost.c';

/** Our own vhost-backed device: started on connect, stopped through set_status when it goes away. */
const DEVICE = `#include "qemu/osdep.h"

static int fx_vhost_start(VirtIODevice *vdev)
{
    FxVhost *f = FX_VHOST(vdev);

    return vhost_dev_start(&f->vhost_dev, vdev, true);
}

static void fx_vhost_stop(VirtIODevice *vdev)
{
    FxVhost *f = FX_VHOST(vdev);

    vhost_dev_stop(&f->vhost_dev, vdev, true);
}

static void fx_vhost_set_status(VirtIODevice *vdev, uint8_t status)
{
    FxVhost *f = FX_VHOST(vdev);
    bool should_start = fx_vhost_should_start(vdev, status);

    if (should_start) {
        fx_vhost_start(vdev);
    } else {
        fx_vhost_stop(vdev);
    }
}

static void fx_vhost_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);

    fx_vhost_start(vdev);
}

static void fx_vhost_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);

    fx_vhost_set_status(vdev, 0);
}

static void fx_vhost_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_vhost_realize;
    dc->unrealize = fx_vhost_unrealize;
}
`;

async function skips(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: DEVICE });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'skip-asymmetry');
}

describe('a skip that keeps one function from both sides', () => {
  it('is silent when set_status returns before both its start and its stop', async () => {
    const after = edit(DEVICE, '\n    if (should_start) {\n', '\n    if (f->vhost_dev.started == should_start) {\n        return;\n    }\n    if (should_start) {\n');
    expect(await skips(after)).toEqual([]);
  });

  it('still reports a skip before the stop alone', async () => {
    const after = edit(DEVICE, '    vhost_dev_stop(&f->vhost_dev, vdev, true);\n', '    if (fx_vhost_busy(f)) {\n        return;\n    }\n    vhost_dev_stop(&f->vhost_dev, vdev, true);\n');
    const found = await skips(after);
    // once, under the pair whose other side starts it itself (not realize, through its helper)
    expect(found.map((f) => [f.function, f.line])).toEqual([['fx_vhost_stop', lineOf(after, 'if (fx_vhost_busy(f))')]]);
    expect(found[0]?.message).toMatch(/^fx_vhost_stop\(\) now returns when `fx_vhost_busy\(f\)`, skipping vhost_dev_stop\(\) \(release side of fx_vhost_start\/fx_vhost_stop\), but fx_vhost_start\(\) still calls vhost_dev_start\(\) at hw\/fx\/fx-vhost.c:7/);
  });
});
