/**
 * The object a call works on (objects.ts): the field chain that keys
 * acquires and releases across the two sides of a pair, read from real
 * parses of our own snippets.
 */
import { describe, expect, it } from 'vitest';
import { objectOf, sameObject } from '../../src/model/objects.js';
import { callTo, fn, modelOf } from '../cmodel/helpers.js';

const SNIPPET = `
static int fx_start(FxGpio *gpio, VirtIODevice *vdev)
{
    struct vhost_dev *vhost_dev = &gpio->vhost_dev;
    int ret;

    vfio_notifier_init(vdev, &vdev->intx.unmask, "unmask", 0);
    ret = vhost_dev_init(vhost_dev, &gpio->vhost_user, VHOST_BACKEND_TYPE_USER, 0);
    object_property_add_child(OBJECT(gpio), "bus", OBJECT(&gpio->bus));
    fx_buf_map(gpio->as, &gpio->ring.desc, 4096);
    return ret;
}

static void fx_stop(FxGpio *gpio)
{
    vhost_dev_cleanup(&gpio->vhost_dev);
    fx_buf_unmap(gpio->as, &gpio->ring.used, 4096);
}
`;

describe('objectOf', () => {
  it('is the field a first argument of its own does not name: the first argument is the object, its chain unknown', async () => {
    const model = await modelOf(SNIPPET);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'vhost_dev_init'))).toBeNull();
  });
  it('is the field argument when the first argument is its base (the context, not the object)', async () => {
    const model = await modelOf(SNIPPET);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'vfio_notifier_init'))).toEqual(['intx', 'unmask']);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'object_property_add_child'))).toEqual(['bus']);
  });
  it('is the first field argument when the first argument names a field itself', async () => {
    const model = await modelOf(SNIPPET);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'fx_buf_map'))).toEqual(['as']);
  });
  it('so a cleanup of the device field is not "another object" than an init through a local pointing at it', async () => {
    const model = await modelOf(SNIPPET);
    expect(sameObject(callTo(fn(model, 'fx_start'), 'vhost_dev_init'), callTo(fn(model, 'fx_stop'), 'vhost_dev_cleanup'))).toBe(true);
  });
});
